package dev.mnistdrill.ui.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    @Test
    void lowersOnlyTheCallingThreadAndTheThreadsItStartsLater() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = currentNiceness();
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
        assertEquals(before + BackgroundPriority.NICENESS, lowered.get(), "the calling thread");
        assertEquals(lowered.get(), child.get(), "a thread it started afterwards");
        assertEquals(before, currentNiceness(), "other threads keep their priority");
    }

    /** The calling thread's nice value, or 0 where it cannot be read. */
    private static int currentNiceness() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // Fields after the ")" that ends the thread name; nice is field 19 of stat, the 17th after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[16]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
