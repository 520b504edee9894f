package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Moves the window's threads off a CPU that has stopped running, and wakes them on one that runs.
 *
 * <p>Why: the host of a virtual machine may take a vCPU away; this project's 2-core VM loses one for ~100 ms several
 * times a run. Whatever the guest had on that CPU waits with it: a thread running there, a thread queued there, and a
 * thread asleep with its wake-up timer there. The last is where glass's FX thread spends the time between pulses
 * ({@code poll()} on its GLib main loop, whose timeout is the pulse timer), so the window skips six frames while
 * the other CPU runs the training: 47 of 70 recorded gaps over 50 ms were that (docs/results/ui-session7). Posting a
 * {@code runLater} from the other CPU is not enough: the wake-up queues glass's dispatcher thread back on the CPU it
 * last ran on, the stopped one (docs/results/ui-session8).
 *
 * <p>How: while started, a watcher thread pinned to each of the first two CPUs ticks every {@value #TICK_MILLIS} ms
 * and checks the other's last tick. When the other is {@value #STALL_MILLIS} ms late while this one is on time, the
 * other's CPU has stopped: the window's threads (FX, glass's InvokeLaterDispatcher, Quantum's renderer) are pinned
 * to this CPU, which moves those queued on the stopped one at once and lands their next wake-ups here, and an empty
 * {@code runLater} wakes the FX thread, whose main loop then finds its pulse due. Once the other CPU ticks again they
 * may run anywhere again. A window thread that was running when its CPU stopped cannot be moved: that wait stays.
 * Pinning uses util-linux's {@code taskset} (Linux only; elsewhere, or without it, the guard does nothing).
 */
public final class StalledCpuGuard {
    static final long TICK_MILLIS = 2;
    static final long STALL_MILLIS = 12;
    /** Thread names as Linux keeps them (cut at 15 characters), of the threads a frame needs. */
    static final List<String> WINDOW_THREADS = List.of("JavaFX Applicat", "InvokeLaterDisp", "QuantumRenderer");
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    private static final System.Logger LOG = System.getLogger(StalledCpuGuard.class.getName());

    /** What a watcher does after its tick. */
    enum Action { NOTHING, RESCUE, RELEASE }

    /** Sets a thread's CPU affinity; {@link #taskset} in the app. */
    interface Affinity {
        void set(List<String> tids, String cpuList);
    }

    private final Consumer<Runnable> fxExecutor;
    private final int[] cpus;
    private final String allCpus;
    private final Affinity affinity;
    private final AtomicLongArray lastTick;
    private final AtomicBoolean rescuing = new AtomicBoolean();
    /** The watcher whose CPU holds the window's threads, or -1. */
    private volatile int rescuer = -1;
    private final List<long[]> rescues = new ArrayList<>();
    private final List<Thread> watchers = new ArrayList<>();
    /** Bumped by each start and stop: a watcher runs while the generation it was started in is current. */
    private volatile int generation;
    private boolean started;

    /**
     * {@code fxExecutor} is {@code Platform::runLater} in the app; a watcher per entry of {@code cpus} (two, or none
     * for a guard that does nothing), and {@code allCpus} the affinity to give back (a taskset CPU list).
     */
    StalledCpuGuard(Consumer<Runnable> fxExecutor, int[] cpus, String allCpus, Affinity affinity) {
        if (cpus.length != 0 && cpus.length != 2) {
            throw new IllegalArgumentException("two CPUs to watch, or none");
        }
        this.fxExecutor = fxExecutor;
        this.cpus = cpus.clone();
        this.allCpus = allCpus;
        this.affinity = affinity;
        this.lastTick = new AtomicLongArray(cpus.length);
    }

    /**
     * The guard for this machine: watchers on the first two CPUs this process may use. It does nothing with fewer
     * than two, off Linux, or with {@code -Dmnistdrill.noCpuGuard=true} (for comparisons).
     */
    public static StalledCpuGuard forThisMachine(Consumer<Runnable> fxExecutor) {
        List<Integer> allowed = Boolean.getBoolean("mnistdrill.noCpuGuard") ? List.of() : allowedCpus();
        int[] watched = allowed.size() >= 2 ? new int[] {allowed.get(0), allowed.get(1)} : new int[0];
        return new StalledCpuGuard(fxExecutor, watched, cpuList(allowed), StalledCpuGuard::taskset);
    }

    /** Starts watching (idempotent). */
    public synchronized void start() {
        if (started || cpus.length == 0) {
            return;
        }
        started = true;
        int current = ++generation;
        long now = System.nanoTime();
        for (int i = 0; i < cpus.length; i++) {
            lastTick.set(i, now);
            int me = i;
            Thread t = new Thread(() -> watch(me, current), "mnistdrill-cpu-guard-" + i);
            t.setDaemon(true);
            watchers.add(t);
            t.start();
        }
    }

    /** Stops watching (idempotent); the watcher holding the window's threads gives them every CPU back. */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        generation++;
        watchers.forEach(LockSupport::unpark);
        watchers.clear();
    }

    public synchronized boolean isStarted() {
        return started;
    }

    /** Each rescue so far: wall-clock ms when it pinned the window's threads, and when it let them go (0: not yet). */
    public synchronized List<long[]> rescues() {
        return rescues.stream().map(long[]::clone).toList();
    }

    private void watch(int me, int myGeneration) {
        if (cpus[me] >= 0) {
            taskset(List.of(currentTid()), Integer.toString(cpus[me]));
        }
        int other = 1 - me;
        long previous = System.nanoTime();
        while (generation == myGeneration) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            lastTick.set(me, now);
            Action action = decide(now, previous, lastTick.get(other), rescuer, me);
            previous = now;
            if (generation != myGeneration) {
                break;
            }
            if (action == Action.RESCUE && rescuing.compareAndSet(false, true)) {
                rescue(me);
            } else if (action == Action.RELEASE && rescuing.compareAndSet(false, true)) {
                release();
            }
        }
        if (rescuer == me && rescuing.compareAndSet(false, true)) {
            release();
        }
    }

    /**
     * What watcher {@code me} does after a tick at {@code now} (its previous at {@code previous}, the other's last
     * at {@code otherLast}; {@code rescuer} the watcher holding the window's threads, or -1). It blames the other's
     * CPU only when it ran on time itself: were both late, the JVM or the whole machine paused, and moving threads
     * would not help.
     */
    static Action decide(long now, long previous, long otherLast, int rescuer, int me) {
        boolean meOnTime = now - previous < STALL_NANOS;
        boolean otherStalled = now - otherLast > STALL_NANOS;
        if (rescuer < 0 && meOnTime && otherStalled) {
            return Action.RESCUE;
        }
        if (rescuer == me && !otherStalled && now - otherLast <= 2 * TICK_NANOS) {
            return Action.RELEASE;
        }
        return Action.NOTHING;
    }

    private void rescue(int me) {
        try {
            long at = System.currentTimeMillis();
            affinity.set(windowThreadIds(), Integer.toString(cpus[me]));
            rescuer = me;
            fxExecutor.accept(() -> { }); // wakes the FX thread here, should it sleep on the stopped CPU's timer
            synchronized (this) {
                rescues.add(new long[] {at, 0});
            }
        } finally {
            rescuing.set(false);
        }
    }

    private void release() {
        try {
            affinity.set(windowThreadIds(), allCpus);
            rescuer = -1;
            synchronized (this) {
                if (!rescues.isEmpty()) {
                    rescues.get(rescues.size() - 1)[1] = System.currentTimeMillis();
                }
            }
        } finally {
            rescuing.set(false);
        }
    }

    /** Ids of this process's threads named as {@link #WINDOW_THREADS}; empty off Linux. */
    static List<String> windowThreadIds() {
        Path tasks = Path.of("/proc/self/task");
        List<String> tids = new ArrayList<>();
        if (!Files.isDirectory(tasks)) {
            return tids;
        }
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    if (WINDOW_THREADS.stream().anyMatch(name::startsWith)) {
                        tids.add(task.getFileName().toString());
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        return tids;
    }

    /** The CPUs this process may run on (Linux's Cpus_allowed_list); empty where unknown. */
    static List<Integer> allowedCpus() {
        return cpusAllowed(Path.of("/proc/self/status"));
    }

    /** The CPUs of a /proc status file's Cpus_allowed_list (e.g. "0-3,6"); empty where unknown. */
    private static List<Integer> cpusAllowed(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseCpuList(line.substring(line.indexOf(':') + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, a thread that ended, or a format we do not know
        }
        return List.of();
    }

    /** A CPU list as Linux and taskset write it: "0-3,6". */
    static List<Integer> parseCpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String range : list.strip().split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0].strip());
            int to = Integer.parseInt(ends[ends.length - 1].strip());
            for (int cpu = from; cpu <= to; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    /** {@code cpus} as a taskset CPU list ("0,1,2"). */
    static String cpuList(List<Integer> cpus) {
        return String.join(",", cpus.stream().map(String::valueOf).toList());
    }

    private static String currentTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    /**
     * Sets the affinity of {@code tids} with one {@code taskset} each, started together, and waits until /proc shows
     * it, for at most 50 ms: a thread running on the stopped CPU cannot be moved before it is back. It reads /proc
     * instead of waiting for the processes, because Java learns of their exit through its process reaper thread,
     * which may itself be asleep on the stopped CPU (z1: every wait took the whole 50 ms).
     */
    static void taskset(List<String> tids, String cpuList) {
        List<String> pending = new ArrayList<>();
        for (String tid : tids) {
            if (tid.isEmpty()) {
                continue;
            }
            try {
                new ProcessBuilder("taskset", "-p", "-c", cpuList, tid)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .getOutputStream().close(); // its stdin: nothing to say
                pending.add(tid);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot run taskset: " + e.getMessage());
                return;
            }
        }
        List<Integer> wanted = parseCpuList(cpuList);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            // a thread that ended shows an empty list: nothing to wait for either
            pending.removeIf(tid -> {
                List<Integer> now = cpusAllowed(Path.of("/proc/self/task", tid, "status"));
                return now.isEmpty() || now.equals(wanted);
            });
            if (!pending.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }
}
