package dev.mnistdrill.ui.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PulseKeeperTest {
    /** Posts held here stand for runLater's queue: they "run on the FX thread" when the test runs them. */
    private final List<Runnable> queued = new CopyOnWriteArrayList<>();

    @Test
    void postsOneWakeUpAtATimeWhileStartedAndNoneOnceStopped() throws Exception {
        PulseKeeper keeper = new PulseKeeper(queued::add, -1, -1);
        keeper.start();
        keeper.start(); // idempotent: still two threads
        assertTrue(keeper.isStarted());
        await(() -> queued.size() == 1);
        Thread.sleep(20 * PulseKeeper.PERIOD_MILLIS);
        assertEquals(1, queued.size(), "a wake-up the FX thread has not run yet is not repeated");

        queued.get(0).run();
        await(() -> queued.size() == 2);
        queued.get(1).run();
        await(() -> queued.size() == 3);

        keeper.stop();
        assertFalse(keeper.isStarted());
        queued.get(2).run();
        Thread.sleep(20 * PulseKeeper.PERIOD_MILLIS);
        assertEquals(3, queued.size(), "nothing posted after stop");

        keeper.start(); // starts again after a stop
        await(() -> queued.size() == 4);
        keeper.stop();
    }

    @Test
    void pinsEachThreadToItsOwnCpu() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        List<Integer> cpus = PulseKeeper.allowedCpus();
        assumeTrue(cpus.size() >= 2, "needs two CPUs");
        Set<String> allowed = ConcurrentHashMap.newKeySet();
        PulseKeeper keeper = new PulseKeeper(r -> {
            allowed.add(Thread.currentThread().getName() + " " + cpusAllowed());
            r.run();
        }, cpus.get(0), cpus.get(1));
        keeper.start();
        try {
            await(() -> allowed.size() >= 2);
        } finally {
            keeper.stop();
        }
        assertTrue(allowed.contains("mnistdrill-pulse-keeper-0 " + cpus.get(0)), allowed.toString());
        assertTrue(allowed.contains("mnistdrill-pulse-keeper-1 " + cpus.get(1)), allowed.toString());
    }

    private static String cpusAllowed() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (java.io.IOException e) {
            return e.toString();
        }
        return "?";
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(2);
        }
    }
}
