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

    /** Tokens of watcher 0 and 1 of the current start, and of watcher 0 of an earlier one. */
    private static final int ME = 10;
    private static final int OTHER = 11;
    private static final int EARLIER = 8;

    @Test
    void blamesTheOtherCpuOnlyWhenItselfRanOnTime() {
        long now = 1_000 * MS;
        long onTime = now - TICK;
        long late = now - STALL - 5 * MS;
        // the other watcher late, this one on time: the other CPU stopped
        assertEquals(RESCUE, StalledCpuGuard.decide(now, onTime, late, -1, ME, OTHER));
        // both late: the JVM or the whole machine paused, moving threads would not help
        assertEquals(NOTHING, StalledCpuGuard.decide(now, late, late, -1, ME, OTHER));
        // the other on time
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, onTime, -1, ME, OTHER));
        // this one holds them already: no second rescue
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, late, ME, ME, OTHER));
    }

    @Test
    void aWatcherStillStartingIsNotBlamed() {
        long now = 1_000 * MS;
        // the other is still being started and pinned: however long that takes, its CPU is not taken for stopped
        assertEquals(NOTHING, StalledCpuGuard.decide(now, now - TICK, StalledCpuGuard.NOT_WATCHING_YET, -1, ME,
                OTHER));
        // nor is its rescue let go before it ticks
        assertEquals(NOTHING, StalledCpuGuard.decide(now, now - TICK, StalledCpuGuard.NOT_WATCHING_YET, ME, ME,
                OTHER));
    }

    @Test
    void takesOverWhenTheCpuHoldingTheThreadsStops() {
        long now = 1_000 * MS;
        assertEquals(RESCUE, StalledCpuGuard.decide(now, now - TICK, now - STALL - 5 * MS, OTHER, ME, OTHER));
        // the other holds them and ticks: leave them
        assertEquals(NOTHING, StalledCpuGuard.decide(now, now - TICK, now - TICK, OTHER, ME, OTHER));
    }

    @Test
    void letsTheThreadsGoOnceTheOtherCpuTicksAgain() {
        long now = 1_000 * MS;
        long onTime = now - TICK;
        assertEquals(RELEASE, StalledCpuGuard.decide(now, onTime, now - TICK, ME, ME, OTHER));
        // still stalled, or its tick not fresh yet: keep them
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, now - STALL - 5 * MS, ME, ME, OTHER));
        assertEquals(NOTHING, StalledCpuGuard.decide(now, onTime, now - 3 * TICK, ME, ME, OTHER));
        // a rescue left by a watcher of an earlier start: let go of it too
        assertEquals(RELEASE, StalledCpuGuard.decide(now, onTime, now - TICK, EARLIER, ME, OTHER));
    }

    @Test
    void pinsAWindowThreadToOneCpuAndGivesAllBack() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        List<Integer> cpus = StalledCpuGuard.allowedCpus();
        assumeTrue(cpus.size() >= 2, "needs two CPUs");
        assumeTrue(StalledCpuGuard.tasksetInstalled(), "needs util-linux's taskset");
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
            String one = Integer.toString(cpus.get(1));
            StalledCpuGuard.taskset(List.of(tid.get()), one);
            await(() -> one.equals(cpusAllowed(tid.get()))); // taskset waits 50 ms at most: a slow spawn may lag
            StalledCpuGuard.taskset(List.of(tid.get()), all);
            String every = cpusAllowed(ownTid());
            await(() -> every.equals(cpusAllowed(tid.get())));
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
        await(() -> guard.liveWatchers() == 2);
        guard.stop();
        assertFalse(guard.isStarted());
        await(() -> guard.liveWatchers() == 0);
        guard.start(); // again after a stop
        await(() -> guard.liveWatchers() == 2);
        guard.stop();
        await(() -> guard.liveWatchers() == 0);
        StalledCpuGuard none = new StalledCpuGuard(r -> { }, new int[0], "", (tids, cpus) -> { });
        none.start(); // one CPU: nothing to watch
        assertFalse(none.isStarted());
        assertEquals(0, none.liveWatchers());
    }

    private static String ownTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cpusAllowed(String tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/task", tid, "status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            return e.toString();
        }
        return "?";
    }

    @Test
    void theGuardIsOffUnlessAskedFor() {
        String before = System.getProperty(StalledCpuGuard.ENABLE_PROPERTY);
        System.clearProperty(StalledCpuGuard.ENABLE_PROPERTY);
        try {
            StalledCpuGuard guard = StalledCpuGuard.forThisMachine(Runnable::run);
            guard.start();
            assertFalse(guard.isStarted(), "no watcher threads on a machine that did not ask for them");
            guard.stop();
        } finally {
            if (before != null) {
                System.setProperty(StalledCpuGuard.ENABLE_PROPERTY, before);
            }
        }
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
