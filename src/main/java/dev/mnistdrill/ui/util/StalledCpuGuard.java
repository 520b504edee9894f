package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

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
 * may run anywhere again; should the CPU holding them stop meanwhile, the other watcher takes them over. A window
 * thread that was running when its CPU stopped cannot be moved: that wait stays. Pinning uses util-linux's
 * {@code taskset} (Linux only; elsewhere, or without it on the PATH, the guard does nothing).
 */
public final class StalledCpuGuard {
    static final long TICK_MILLIS = 2;
    static final long STALL_MILLIS = 12;
    /** Thread names as Linux keeps them (cut at 15 characters), of the threads a frame needs. */
    static final List<String> WINDOW_THREADS = List.of("JavaFX Applicat", "InvokeLaterDisp", "QuantumRenderer");
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    /**
     * The other watcher's last tick before it first ticks: it is still starting (a thread, then a taskset process
     * to pin it, which took over 12 ms at a run's start), and its lateness says nothing about its CPU. Judging it
     * anyway made a false rescue at the Start of 4 of 12 runs, pinning the FX and render threads to one CPU through
     * the Start's own heavy frame.
     */
    static final long NOT_WATCHING_YET = Long.MIN_VALUE;
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
    /**
     * Who holds the window's threads: the {@link #token} of the watcher that pinned them, or -1. A token names the
     * watcher and the start it belongs to, so that a watcher of an earlier start never lets go of a later rescue.
     */
    private volatile int rescuer = -1;
    private final List<long[]> rescues = new ArrayList<>();
    /** Watcher threads started and not known to have ended (see {@link #liveWatchers()}). */
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

    /** Opt-in: the guard answers a quirk of shared build VMs, not of a user's desktop, so it is off by default. */
    public static final String ENABLE_PROPERTY = "mnistdrill.cpuGuard";

    /**
     * The guard for this machine: watchers on the first two CPUs this process may use, when asked for with
     * {@code -Dmnistdrill.cpuGuard=true}. Otherwise, with fewer than two CPUs, or off Linux, it does nothing.
     */
    public static StalledCpuGuard forThisMachine(Consumer<Runnable> fxExecutor) {
        List<Integer> allowed = !Boolean.getBoolean(ENABLE_PROPERTY) || !tasksetInstalled() ? List.of()
                : allowedCpus();
        int[] watched = allowed.size() >= 2 ? new int[] {allowed.get(0), allowed.get(1)} : new int[0];
        return new StalledCpuGuard(fxExecutor, watched, cpuList(allowed), StalledCpuGuard::taskset);
    }

    /** Starts watching (idempotent). */
    public synchronized void start() {
        if (started || cpus.length == 0) {
            return;
        }
        started = true;
        watchers.removeIf(t -> !t.isAlive());
        int current = ++generation;
        for (int i = 0; i < cpus.length; i++) {
            lastTick.set(i, NOT_WATCHING_YET);
            int me = i;
            Thread t = new Thread(() -> watch(me, current), "mnistdrill-cpu-guard-" + i);
            t.setDaemon(true);
            watchers.add(t);
            t.start();
        }
    }

    /**
     * Stops watching (idempotent) and returns at once: the watcher holding the window's threads gives them every CPU
     * back as it ends, within a tick and a taskset round.
     */
    public synchronized void stop() {
        if (!started) {
            return;
        }
        started = false;
        generation++;
        watchers.forEach(LockSupport::unpark); // wakes this start's watchers to end; ended ones ignore it
    }

    public synchronized boolean isStarted() {
        return started;
    }

    /** Watcher threads of this guard still running (those of a stop end within a tick and a taskset round). */
    synchronized int liveWatchers() {
        watchers.removeIf(t -> !t.isAlive());
        return watchers.size();
    }

    /** Each rescue so far: wall-clock ms when it pinned the window's threads, and when it let them go (0: not yet). */
    public synchronized List<long[]> rescues() {
        return rescues.stream().map(long[]::clone).toList();
    }

    private void watch(int me, int myGeneration) {
        int mine = token(myGeneration, me);
        int others = token(myGeneration, 1 - me);
        try {
            if (cpus[me] >= 0) {
                taskset(LinuxThreads.currentTid().stream().toList(), Integer.toString(cpus[me]));
            }
            long previous = System.nanoTime();
            lastTick.set(me, previous); // pinning took a while: not a stall of this CPU
            while (generation == myGeneration) {
                LockSupport.parkNanos(TICK_NANOS);
                long now = System.nanoTime();
                lastTick.set(me, now);
                Action action = decide(now, previous, lastTick.get(1 - me), rescuer, mine, others);
                previous = now;
                if (generation != myGeneration) {
                    break;
                }
                if (action != Action.NOTHING && rescuing.compareAndSet(false, true)) {
                    try {
                        if (action == Action.RESCUE) {
                            rescue(me, mine, others);
                        } else if (rescuer == mine || rescuer >= 0 && rescuer != others) {
                            release();
                        }
                    } finally {
                        rescuing.set(false);
                    }
                    // taskset took a while: neither that nor the time before it is a stall of this CPU
                    previous = System.nanoTime();
                    lastTick.set(me, previous);
                }
            }
        } finally {
            releaseOnExit(mine);
        }
    }

    /** As a watcher ends (stopped, or failed): lets go of the window's threads if it holds them. */
    private void releaseOnExit(int mine) {
        while (rescuer == mine) {
            if (rescuing.compareAndSet(false, true)) {
                try {
                    if (rescuer == mine) {
                        release();
                    }
                } finally {
                    rescuing.set(false);
                }
                return;
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** A watcher's token: its index and the start it belongs to. */
    private static int token(int generation, int index) {
        return (generation & 0x3fffffff) * 2 + index;
    }

    /**
     * What the watcher with token {@code mine} does after a tick at {@code now} (its previous at {@code previous},
     * the other's last at {@code otherLast}; {@code rescuer} the token holding the window's threads, or -1;
     * {@code others} the other watcher's token). It blames the other's CPU only when it ran on time itself: were both
     * late, the JVM or the whole machine paused, and moving threads would not help. It takes over when the CPU
     * holding the window's threads is the one that stopped, and lets go of a rescue left by an earlier start.
     */
    static Action decide(long now, long previous, long otherLast, int rescuer, int mine, int others) {
        boolean meOnTime = now - previous < STALL_NANOS;
        boolean otherWatching = otherLast != NOT_WATCHING_YET;
        boolean otherStalled = otherWatching && now - otherLast > STALL_NANOS;
        boolean otherFresh = otherWatching && now - otherLast <= 2 * TICK_NANOS;
        if ((rescuer < 0 || rescuer == others) && meOnTime && otherStalled) {
            return Action.RESCUE;
        }
        boolean mineToRelease = rescuer == mine || rescuer >= 0 && rescuer != others;
        if (mineToRelease && otherFresh) {
            return Action.RELEASE;
        }
        return Action.NOTHING;
    }

    /** Pins the window's threads to this watcher's CPU and wakes the FX thread (with {@link #rescuing} held). */
    private void rescue(int me, int mine, int others) {
        if (rescuer >= 0 && rescuer != others) {
            return; // decided on a stale view: the other rescued meanwhile, or this one already holds them
        }
        List<String> tids = windowThreadIds();
        if (tids.isEmpty()) {
            return; // no window (tests, Monocle): nothing to move
        }
        long at = System.currentTimeMillis();
        affinity.set(tids, Integer.toString(cpus[me]));
        rescuer = mine;
        fxExecutor.accept(() -> { }); // wakes the FX thread here, should it sleep on the stopped CPU's timer
        synchronized (this) {
            if (!rescues.isEmpty() && rescues.get(rescues.size() - 1)[1] == 0) {
                rescues.get(rescues.size() - 1)[1] = at; // taken over from the other watcher
            }
            rescues.add(new long[] {at, 0});
        }
    }

    /** Gives the window's threads every CPU back (with {@link #rescuing} held). */
    private void release() {
        affinity.set(windowThreadIds(), allCpus);
        rescuer = -1;
        synchronized (this) {
            if (!rescues.isEmpty() && rescues.get(rescues.size() - 1)[1] == 0) {
                rescues.get(rescues.size() - 1)[1] = System.currentTimeMillis();
            }
        }
    }

    /** Whether util-linux's taskset is on the PATH. */
    static boolean tasksetInstalled() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    /** Ids of this process's threads named as {@link #WINDOW_THREADS}; empty off Linux. */
    static List<String> windowThreadIds() {
        return LinuxThreads.tidsNamed(name -> WINDOW_THREADS.stream().anyMatch(name::startsWith));
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

    /**
     * Sets the affinity of {@code tids} with one {@code taskset} each, started together, and waits until /proc shows
     * it, for at most 50 ms: a thread running on the stopped CPU cannot be moved before it is back. It reads /proc
     * instead of waiting for the processes, because Java learns of their exit through its process reaper thread,
     * which may itself be asleep on the stopped CPU (z1: every wait took the whole 50 ms).
     */
    static void taskset(List<String> tids, String cpuList) {
        List<String> pending = new ArrayList<>();
        for (String tid : tids) {
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
