package dev.mnistdrill.ui.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    @Test
    void lowersOnlyTheCallingThreadAndTheThreadsItStartsLater() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = currentNiceness();
        assumeTrue(before < BackgroundPriority.NICENESS, "a JVM niced already to " + before);
        AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger child = new AtomicInteger(Integer.MIN_VALUE);
        Thread worker = new Thread(() -> {
            assertTrue(BackgroundPriority.lowerCurrentThread(), "renice failed");
            lowered.set(currentNiceness());
            Thread started = new Thread(() -> child.set(currentNiceness()));
            started.start();
            try {
                started.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        worker.start();
        worker.join();
        // util-linux's renice -n sets the value (2.38), POSIX's adds it: in a JVM started with nice (a build run with
        // nice -n 5) the two differ
        int nice = BackgroundPriority.NICENESS;
        assertTrue(lowered.get() == nice || lowered.get() == before + nice,
                "the calling thread: " + before + " before, " + lowered.get() + " after");
        assertTrue(lowered.get() > before, "the calling thread is lowered");
        assertEquals(lowered.get(), child.get(), "a thread it started afterwards");
        assertEquals(before, currentNiceness(), "other threads keep their priority");
    }

    /** Lowers this test JVM's JIT for the tests after it too, which only costs them time on a busy machine. */
    @Test
    void lowersTheJitCompilerThreadsAndNoOther() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = currentNiceness();
        assumeTrue(before == 0, "renice sets a value, not an increment: expects a JVM at nice 0");
        int lowered = BackgroundPriority.lowerJitCompilerThreads();
        Map<String, Integer> lowerable = new TreeMap<>();
        Map<String, Integer> others = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name = Files.readString(task.resolve("comm")).strip();
                int nice = niceness(task.resolve("stat"));
                if (name.contains("CompilerThre") || name.equals("Sweeper thread")) {
                    lowerable.put(name + " " + task.getFileName(), nice);
                } else if (name.equals("Reference Handl") || name.equals("Finalizer")) {
                    others.put(name + " " + task.getFileName(), nice);
                }
            }
        }
        assertTrue(lowerable.keySet().stream().anyMatch(n -> n.contains("CompilerThre")),
                "a JVM with a JIT has compiler threads: " + lowerable);
        assertTrue(lowered > 0, "none lowered of " + lowerable);
        lowerable.forEach((name, nice) -> assertEquals(BackgroundPriority.NICENESS, nice, name));
        // the JVM's own other threads keep theirs (threads of earlier tests' trainings may be niced on purpose)
        assertEquals(2, others.size(), "Reference Handler and Finalizer: " + others);
        others.forEach((name, nice) -> assertEquals(0, nice, name));
        assertEquals(0, currentNiceness(), "the calling thread keeps its priority");
    }

    /** The calling thread's nice value, or 0 where it cannot be read. */
    private static int currentNiceness() {
        return niceness(Path.of("/proc/thread-self/stat"));
    }

    private static int niceness(Path stat) {
        try {
            String text = Files.readString(stat);
            // Fields after the ")" that ends the thread name; nice is field 19 of stat, the 17th after it.
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
