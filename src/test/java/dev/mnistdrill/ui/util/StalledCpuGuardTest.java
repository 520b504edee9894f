package dev.mnistdrill.ui.util;

import static dev.mnistdrill.ui.util.StalledCpuGuard.Action.NOTHING;
import static dev.mnistdrill.ui.util.StalledCpuGuard.Action.RELEASE;
import static dev.mnistdrill.ui.util.StalledCpuGuard.Action.RESCUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class StalledCpuGuardTest {
    private static final long MS = 1_000_000L;
    private static final long TICK = StalledCpuGuard.TICK_MILLIS * MS;
    private static final long STALL = StalledCpuGuard.STALL_MILLIS * MS;

    @Test
    void blamesTheOtherCpuOnlyWhenItselfRanOnTime() {
        long now = 1_000 * MS;
        long onTime = now - TICK;
        long late = now - STALL - 5 * MS;
        // the other watcher late, this one on time: the other CPU stopped
        assertEquals(RESCUE, StalledCpuGuard.decide(now, onTime, late, -1, 0));
        // both late: the JVM or the whole machine paused, moving threads would not help
        assertEquals(NOTHING, StalledCpuGuard.decide(now, late, late, -1, 0));
        // the other on time
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, onTime, -1, 0));
        // already rescued (by either): no second rescue
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, late, 0, 0));
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, late, 1, 0));
    }

    @Test
    void letsTheThreadsGoOnceTheOtherCpuTicksAgain() {
        long now = 1_000 * MS;
        long onTime = now - TICK;
        assertEquals(RELEASE, StalledCpuGuard.decide(now, onTime, now - TICK, 0, 0));
        // still stalled, or its tick not fresh yet: keep them
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, now - STALL - 5 * MS, 0, 0));
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, now - 3 * TICK, 0, 0));
        // only the watcher that holds them lets them go
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, now - TICK, 1, 0));
    }

    @Test
    void pinsAWindowThreadToOneCpuAndGivesAllBack() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        List<Integer> cpus = StalledCpuGuard.allowedCpus();
        assumeTrue(cpus.size() >= 2, "needs two CPUs");
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<String> tid = new AtomicReference<>();
        // HotSpot gives Linux the Java name, cut at 15 characters: found as Quantum's renderer
        Thread renderer = new Thread(() -> {
            tid.set(ownTid());
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "QuantumRenderer-test");
        renderer.start();
        try {
            await(() -> tid.get() != null);
            assertTrue(StalledCpuGuard.windowThreadIds().contains(tid.get()));
            String all = StalledCpuGuard.cpuList(cpus);
            StalledCpuGuard.taskset(List.of(tid.get()), Integer.toString(cpus.get(1)));
            assertEquals(Integer.toString(cpus.get(1)), cpusAllowed(tid.get()));
            StalledCpuGuard.taskset(List.of(tid.get()), all);
            assertEquals(cpusAllowed(ownTid()), cpusAllowed(tid.get()));
        } finally {
            done.countDown();
            renderer.join();
        }
    }

    @Test
    void watchesOnlyWhileStarted() throws Exception {
        StalledCpuGuard guard = new StalledCpuGuard(r -> { }, new int[] {-1, -1}, "", (tids, cpus) -> { });
        guard.start();
        guard.start(); // idempotent: still two watchers
        assertTrue(guard.isStarted());
        await(() -> watchers() == 2);
        guard.stop();
        assertFalse(guard.isStarted());
        await(() -> watchers() == 0);
        StalledCpuGuard none = new StalledCpuGuard(r -> { }, new int[0], "", (tids, cpus) -> { });
        none.start(); // one CPU: nothing to watch
        assertEquals(0, watchers());
    }

    private static long watchers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("mnistdrill-cpu-guard-")).count();
    }

    private static String ownTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cpusAllowed(String tid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/task", tid, "status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        return "?";
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
