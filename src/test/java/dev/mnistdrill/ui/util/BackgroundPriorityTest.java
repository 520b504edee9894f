package dev.mnistdrill.ui.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundPriorityTest {
    @Test
    void lowersOnlyTheCallingThreadAndTheThreadsItStartsLater() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = BackgroundPriority.currentNiceness();
        AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger child = new AtomicInteger(Integer.MIN_VALUE);
        Thread worker = new Thread(() -> {
            assertTrue(BackgroundPriority.lowerCurrentThread(), "renice failed");
            lowered.set(BackgroundPriority.currentNiceness());
            Thread started = new Thread(() -> child.set(BackgroundPriority.currentNiceness()));
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
        assertEquals(before, BackgroundPriority.currentNiceness(), "other threads keep their priority");
    }
}
