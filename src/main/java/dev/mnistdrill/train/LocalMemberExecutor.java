package dev.mnistdrill.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Trains each member in a process of its own on this machine ({@link MemberLauncher}), about one run per core by
 * default (see {@link #parallelRuns(int, Integer, int, long)}), each on {@value #MEMBER_NATIVE_THREADS} native
 * thread. A cluster task uses it too, for the one member it trains.
 */
public final class LocalMemberExecutor implements MemberExecutor {
    /**
     * Native threads of every member, whatever the split. The floats of a run depend on its thread count (the order
     * of a convolution's sums changes), so a member trained when one run was left must train on as many threads as
     * its siblings did, or a seed's result would depend on how busy its study was.
     */
    public static final int MEMBER_NATIVE_THREADS = 1;
    /** How long a member process may take to stop after being asked to (it finishes its batch and its files). */
    static final long STOP_GRACE_SECONDS = 30;

    private final Path dataDir;
    private final Integer parallelAsked;
    private final int threads;
    private final MemberLauncher launcher;
    private final int cores;
    private final long memoryBytes;
    private final Map<Process, Boolean> processes = new ConcurrentHashMap<>();
    private volatile boolean cancelled;

    /**
     * @param dataDir  where the verified MNIST files are (the members read them from there), null for the default
     * @param parallel runs at once, or null to choose from this machine's cores and memory
     */
    public LocalMemberExecutor(Path dataDir, Integer parallel, MemberLauncher launcher) {
        this(dataDir, parallel, launcher, MEMBER_NATIVE_THREADS);
    }

    /** @param threads native threads of each member: a cluster task's share of its machine */
    public LocalMemberExecutor(Path dataDir, Integer parallel, MemberLauncher launcher, int threads) {
        if (parallel != null && parallel < 1) {
            throw new IllegalArgumentException("parallel runs must be at least 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("a member needs at least one native thread");
        }
        this.threads = threads;
        this.dataDir = dataDir;
        this.parallelAsked = parallel;
        this.launcher = launcher;
        this.cores = Runtime.getRuntime().availableProcessors();
        this.memoryBytes = totalMemory();
    }

    /** The machine's memory; 4 GiB when the runtime cannot tell (jdk.management left out of an image). */
    public static long totalMemory() {
        try {
            if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (LinkageError e) {
            // fall through
        }
        return 4L << 30;
    }

    /**
     * Extra time each run takes, per core's worth of runs beyond the cores, when runs share cores. Fitted to code4,
     * 5 runs on 2 cores (docs/studies.md, "How many runs at once"): each run's share of the wall time was 5-10% more
     * with three on two cores than with two, about 25% more with five.
     */
    static final double SHARING_COST = 0.17;
    /** A split beyond one run per core must be estimated this much faster, or the simpler one is kept. */
    static final double MIN_GAIN = 0.05;

    /**
     * The split of this machine between concurrent runs: one run per core (a drill network is too small to spread
     * one step over cores well), but at most as many as there are runs to train and one per 2 GiB of memory; or the
     * number asked for (at most one per run). Where the runs do not divide evenly among the cores, a few more at once
     * can keep every core busy to the end, if the estimate ({@link #estimatedTime}) says it pays for the cores'
     * sharing: five runs on two cores train three at a time, then two, not two, two and one alone; seven keep two.
     */
    public static int parallelRuns(int runs, Integer asked, int cores, long memoryBytes) {
        int pending = Math.max(1, runs);
        if (asked != null) {
            return Math.min(asked, pending);
        }
        int byMemory = (int) Math.max(1, Math.min(Integer.MAX_VALUE, memoryBytes / (2L << 30)));
        int most = Math.min(pending, byMemory);
        int best = Math.min(Math.max(1, cores), most);
        for (int k = best + 1; k <= most; k++) {
            if (estimatedTime(pending, k, cores) < estimatedTime(pending, best, cores) * (1 - MIN_GAIN)) {
                best = k;
            }
        }
        return best;
    }

    /**
     * How long {@code runs} equal runs take, {@code atOnce} at a time on {@code cores} cores, in units of one run's
     * time with a core of its own: rounds of atOnce, then one of the rest.
     */
    static double estimatedTime(int runs, int atOnce, int cores) {
        int rest = runs % atOnce;
        return runs / atOnce * roundTime(atOnce, cores) + (rest == 0 ? 0 : roundTime(rest, cores));
    }

    /**
     * A round of {@code runs} started together: one run's time if each has a core, else the cores' shares of them,
     * each made slower by sharing ({@link #SHARING_COST}).
     */
    static double roundTime(int runs, int cores) {
        int c = Math.max(1, cores);
        return runs <= c ? 1 : (double) runs / c * (1 + SHARING_COST * (runs - c) / c);
    }

    @Override
    public int parallelRuns(int pending) {
        return parallelRuns(pending, parallelAsked, cores, memoryBytes);
    }

    @Override
    public int threadsPerRun() {
        return threads;
    }

    @Override
    public String where() {
        return "on this machine";
    }

    @Override
    public String train(Path folder, StudyTag tag, Consumer<String> reports) throws InterruptedException {
        Process process;
        try {
            // its standard input stays open as the member's lifeline: closed (by cancel, or by this process ending in
            // any way), the member stops
            ProcessBuilder pb = launcher.processFor(folder, tag.attempt(), dataDir, threads);
            pb.redirectErrorStream(false);
            pb.redirectError(ProcessBuilder.Redirect.appendTo(folder.resolve("train.log").toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            process = pb.start();
        } catch (IOException e) {
            return "cannot start its process (" + e.getMessage() + ")";
        }
        processes.put(process, Boolean.TRUE);
        if (cancelled) {
            askToStop(process);
        }
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    reports.accept(line);
                }
            } catch (IOException e) {
                // stopping a process closes its streams: what matters is how the process itself ends, below
            }
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            processes.remove(process);
        }
        return process.isAlive() ? "its process did not stop" : "exit code " + process.exitValue();
    }

    /**
     * Asks each member process to stop after its current batch by closing its standard input (the same on every OS);
     * {@link #train} forces it only if it has not ended within {@value #STOP_GRACE_SECONDS} s.
     */
    @Override
    public void cancel() {
        cancelled = true;
        processes.keySet().forEach(LocalMemberExecutor::askToStop);
    }

    private static void askToStop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            p.destroy();
        }
    }
}
