package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Keeps the JavaFX thread's pulses coming when the CPU that holds its wake-up timer stops.
 *
 * <p>On Linux, glass's pulse timer is a GLib timeout of the FX thread's own main loop: between pulses the FX thread
 * sleeps in {@code poll()} with a kernel timer on the CPU it last ran on. On a virtual machine whose host takes a
 * vCPU away for ~100 ms (this project's 2-core VM does it several times a run), that timer cannot fire until the CPU
 * is back, and the window skips six frames even with the other CPU free (docs/results/ui-session7: 47 of 70 gaps
 * over 50 ms were this). While started, each of its threads, one pinned to each of the first CPUs, posts an empty
 * {@code runLater} every {@value #PERIOD_MILLIS} ms: that wakes the FX thread from any CPU still running, and the
 * main loop then sees its pulse timeout expired and pulses. A post still waiting to run is not repeated, so a busy FX
 * thread is not flooded.
 */
public final class PulseKeeper {
    static final long PERIOD_MILLIS = 8;
    private static final System.Logger LOG = System.getLogger(PulseKeeper.class.getName());

    private final Consumer<Runnable> fxExecutor;
    /** The CPU each thread is pinned to; -1 leaves it unpinned. */
    private final int[] cpus;
    private final AtomicBoolean posted = new AtomicBoolean();
    private final List<Thread> running = new ArrayList<>();
    /** Bumped by each start and stop: a thread runs while the generation it was started in is current. */
    private volatile int generation;
    private boolean started;

    /**
     * {@code fxExecutor} is {@code Platform::runLater} in the app; one thread per entry of {@code cpus}, pinned to
     * that CPU (-1: not pinned).
     */
    public PulseKeeper(Consumer<Runnable> fxExecutor, int... cpus) {
        this.fxExecutor = fxExecutor;
        this.cpus = cpus.clone();
    }

    /**
     * A keeper for this machine: one thread on each of the first two CPUs this process may use; none with one CPU,
     * or with {@code -Dmnistdrill.noPulseKeeper=true} (for comparisons).
     */
    public static PulseKeeper forThisMachine(Consumer<Runnable> fxExecutor) {
        if (Runtime.getRuntime().availableProcessors() < 2 || Boolean.getBoolean("mnistdrill.noPulseKeeper")) {
            return new PulseKeeper(fxExecutor);
        }
        List<Integer> allowed = allowedCpus();
        return allowed.size() >= 2 ? new PulseKeeper(fxExecutor, allowed.get(0), allowed.get(1))
                : new PulseKeeper(fxExecutor, -1, -1);
    }

    /** The CPUs this process may run on (Linux's Cpus_allowed_list, e.g. "0-3,6"); empty where unknown. */
    static List<Integer> allowedCpus() {
        List<Integer> cpus = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    for (String range : line.substring(line.indexOf(':') + 1).strip().split(",")) {
                        String[] ends = range.split("-");
                        int from = Integer.parseInt(ends[0].strip());
                        int to = Integer.parseInt(ends[ends.length - 1].strip());
                        for (int cpu = from; cpu <= to; cpu++) {
                            cpus.add(cpu);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // not Linux, or a format we do not know: unpinned then
        }
        return cpus;
    }

    /** Starts posting (idempotent). */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        int current = ++generation;
        for (int i = 0; i < cpus.length; i++) {
            int cpu = cpus[i];
            Thread t = new Thread(() -> run(cpu, current), "mnistdrill-pulse-keeper-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    /** Stops posting (idempotent); the threads end within one period. */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        generation++;
        running.forEach(LockSupport::unpark);
        running.clear();
    }

    public synchronized boolean isStarted() {
        return started;
    }

    private void run(int cpu, int myGeneration) {
        if (cpu >= 0) {
            pinCurrentThread(cpu);
        }
        while (generation == myGeneration) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
            if (generation == myGeneration && posted.compareAndSet(false, true)) {
                fxExecutor.accept(() -> posted.set(false));
            }
        }
    }

    /**
     * Pins the calling thread to {@code cpu} with util-linux's {@code taskset}, so that the keepers' own timers are on
     * different CPUs and one of them runs whichever CPU stops. Without /proc or taskset it stays unpinned (and may
     * share the stopped CPU).
     */
    private static void pinCurrentThread(int cpu) {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return;
        }
        try {
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process taskset = new ProcessBuilder("taskset", "-p", "-c", Integer.toString(cpu), tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!taskset.waitFor(5, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
                LOG.log(System.Logger.Level.DEBUG, "taskset could not pin the pulse keeper to cpu " + cpu);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot run taskset: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
