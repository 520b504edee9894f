package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.StudySpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains a study's missing members, several at once, each in its own process (see {@link MemberLauncher}), and
 * judges the study when they are done. Resumable by construction: members have deterministic run ids, a completed
 * member is never trained again, and one that was interrupted, cancelled or failed is set aside (moved to
 * removed-runs, nothing deleted) and trained anew. {@link #run} blocks; {@link #cancel} may be called from any
 * thread and stops every member process within a batch.
 */
public final class StudyRunner {
    /** How long a member process may take to stop after being asked to (it finishes its batch and its files). */
    private static final long STOP_GRACE_SECONDS = 30;
    /** How long to wait for a member still held by a process of an earlier, killed runner to let go. */
    private static final long ORPHAN_WAIT_SECONDS = 60;

    /** What the runner reports; called on its worker threads, so a UI hands the data over to its own thread. */
    public interface Listener {
        default void onPlan(Plan plan) {
        }

        default void onProgress(Progress progress) {
        }

        default void onMemberFinished(StudySpec.Member member, RunRecord run) {
        }

        default void onMessage(String message) {
        }
    }

    /**
     * What a (re)started study has to do: members total, kept from before, copied from runs done elsewhere with the
     * same settings and seed, set aside, and to train now.
     */
    public record Plan(String studyId, int members, int kept, int copied, int setAside, int toTrain, int parallel,
                       int threadsPerRun) {
    }

    /** The whole study's progress: runs done and running, aggregate images/s of the running ones, an estimate. */
    public record Progress(int done, int running, int toTrain, int members, double imagesPerSecond,
                           double elapsedSeconds, double etaSeconds) {
    }

    /** How a study run ended, with its verdict so far. */
    public record Outcome(TrainingStatus status, StudyVerdict verdict, double seconds, List<String> failures) {
    }

    private final StudyStore store;
    private final Path dataDir;
    private final Integer parallelAsked;
    private final int cores;
    private final long memoryBytes;
    private final MemberLauncher launcher;
    private final Map<Process, Boolean> processes = new ConcurrentHashMap<>();
    /** Chosen by {@link #plan} from the runs left to train. */
    private int parallel = 1;
    private volatile boolean cancelled;

    /**
     * @param dataDir  where the verified MNIST files are (the members read them from there), null for the default
     * @param parallel runs at once, or null to choose from this machine's cores and memory (see {@link #parallelRuns})
     */
    public StudyRunner(StudyStore store, Path dataDir, Integer parallel, MemberLauncher launcher) {
        if (parallel != null && parallel < 1) {
            throw new IllegalArgumentException("parallel runs must be at least 1");
        }
        this.store = store;
        this.dataDir = dataDir;
        this.parallelAsked = parallel;
        this.cores = Runtime.getRuntime().availableProcessors();
        this.memoryBytes = totalMemory();
        this.launcher = launcher;
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
     * Native threads of every member, whatever the split. The floats of a run depend on its thread count (the order
     * of a convolution's sums changes), so a member trained when one run was left must train on as many threads as
     * its siblings did, or a seed's result would depend on how busy its study was.
     */
    public static final int MEMBER_NATIVE_THREADS = 1;

    /**
     * The split of this machine between concurrent runs: one run per core (a drill network is too small to spread
     * one step over cores well), at most as many as there are runs to train, and at most one per 2 GiB of memory; or
     * the number asked for (at most one per run). Each run has {@link #MEMBER_NATIVE_THREADS} native threads.
     */
    public static int parallelRuns(int runs, Integer asked, int cores, long memoryBytes) {
        long byMemory = Math.max(1, memoryBytes / (2L << 30));
        return asked != null ? Math.min(asked, Math.max(1, runs))
                : (int) Math.max(1, Math.min(Math.min(cores, Math.max(1, runs)), byMemory));
    }

    /**
     * Stops the study: each member process is asked to stop after its current batch by closing its standard input
     * (the same on every OS), and forced only if it has not ended within {@value #STOP_GRACE_SECONDS} s.
     */
    public void cancel() {
        cancelled = true;
        processes.keySet().forEach(StudyRunner::askToStop);
    }

    private static void askToStop(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            p.destroy();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public Outcome run(StudySpec spec, Listener listener) {
        long started = System.nanoTime();
        spec.validated();
        Path folder = store.folder(spec.id());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + folder + ": " + e.getMessage(), e);
        }
        // the lock before the manifest: a second runner must not mark a study RUNNING that another one is finishing
        RunStore.LiveLock lock = RunStore.LiveLock.acquire(folder);
        if (!lock.acquired()) {
            throw new IllegalStateException("study " + spec.id() + " is being run by another process already");
        }
        List<String> failures = new ArrayList<>();
        try {
            store.save(spec, TrainingStatus.RUNNING);
            Outcome outcome;
            try {
                List<StudySpec.Member> pending = plan(spec, listener);
                trainAll(spec, pending, listener, failures, started);
            } finally {
                // whatever happened, the manifest and the verdict say how the study stands
                StudyVerdict verdict = StudyVerdict.of(spec, store.memberRuns(spec, p -> { }));
                TrainingStatus status = verdict.runsComplete() == verdict.runsPlanned() ? TrainingStatus.COMPLETED
                        : cancelled ? TrainingStatus.CANCELLED : TrainingStatus.FAILED;
                store.writeVerdict(store.save(spec, status), verdict);
                outcome = new Outcome(status, verdict, (System.nanoTime() - started) / 1e9, failures);
            }
            return outcome;
        } finally {
            lock.release();
        }
    }

    /** Decides, member by member, what is kept and what is trained; sets aside the remains of unfinished runs. */
    private List<StudySpec.Member> plan(StudySpec spec, Listener listener) {
        List<StudySpec.Member> pending = new ArrayList<>();
        int kept = 0;
        int copied = 0;
        int setAside = 0;
        RunStore runs = store.runs();
        Map<ExperimentConfig, RunRecord> done = null;
        for (StudySpec.Member m : spec.members()) {
            Path folder = runs.root().resolve(spec.runId(m));
            if (!Files.isDirectory(folder)) {
                if (done == null) {
                    done = completedRunsBySettings(runs);
                }
                RunRecord same = done.get(settingsOf(m.config()));
                if (same != null) {
                    runs.adoptAsMember(same, spec.runId(m), StudyTag.copiedFrom(spec.id(), m.setting().label(),
                            m.seed(), same));
                    listener.onMessage("seed " + m.seed() + (m.setting().values().isEmpty() ? ""
                            : " of " + m.setting().label()) + ": copied from run " + same.id()
                            + ", which trained the same settings");
                    copied++;
                } else {
                    pending.add(m);
                }
                continue;
            }
            waitForOrphan(folder, listener);
            RunRecord record = null;
            try {
                record = RunStore.read(folder);
            } catch (RuntimeException e) {
                listener.onMessage(folder.getFileName() + " is unreadable (" + e.getMessage() + "); training it anew");
            }
            if (record != null && record.finishedAllEpochs()) {
                kept++;
                continue;
            }
            Path aside = runs.remove(folder);
            listener.onMessage("set aside the unfinished run " + folder.getFileName() + " ("
                    + (record == null ? "unreadable" : record.summary().status().name().toLowerCase()) + ") in "
                    + aside.getParent());
            setAside++;
            pending.add(m);
        }
        parallel = parallelRuns(pending.size(), parallelAsked, cores, memoryBytes);
        listener.onPlan(new Plan(spec.id(), spec.runCount(), kept, copied, setAside, pending.size(), parallel,
                MEMBER_NATIVE_THREADS));
        return pending;
    }

    /** The store's completed runs by their settings (name aside), to find one a member can be copied from. */
    private static Map<ExperimentConfig, RunRecord> completedRunsBySettings(RunStore runs) {
        Map<ExperimentConfig, RunRecord> done = new java.util.HashMap<>();
        for (RunRecord r : runs.list(p -> { })) {
            if (r.finishedAllEpochs()) {
                done.putIfAbsent(settingsOf(r.config()), r);
            }
        }
        return done;
    }

    /** A config as far as training is concerned: the name only labels it. */
    private static ExperimentConfig settingsOf(ExperimentConfig c) {
        return c.withName("");
    }

    /** A member process of a killed runner notices within a second or so and stops; give it time to. */
    private void waitForOrphan(Path folder, Listener listener) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ORPHAN_WAIT_SECONDS);
        boolean said = false;
        while (RunStore.LiveLock.isHeld(folder) && System.nanoTime() < deadline && !cancelled) {
            if (!said) {
                listener.onMessage(folder.getFileName() + " is still held by an earlier process; waiting for it");
                said = true;
            }
            sleep(500);
        }
        if (RunStore.LiveLock.isHeld(folder)) {
            throw new IllegalStateException(folder.getFileName() + " is being trained by another process; stop it or"
                    + " wait for it, then run the study again");
        }
    }

    private TrainingStatus trainAll(StudySpec spec, List<StudySpec.Member> pending, Listener listener,
                                    List<String> failures, long started) {
        if (pending.isEmpty()) {
            return TrainingStatus.COMPLETED;
        }
        ConcurrentLinkedQueue<StudySpec.Member> queue = new ConcurrentLinkedQueue<>(pending);
        ProgressBoard board = new ProgressBoard(spec, pending, listener, started);
        int workers = Math.min(parallel, pending.size());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> {
                StudySpec.Member m;
                while (!cancelled && (m = queue.poll()) != null) {
                    String failure;
                    try {
                        failure = trainOne(spec, m, board, listener);
                    } catch (RuntimeException e) {
                        failure = spec.runId(m) + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                    }
                    if (failure != null) {
                        synchronized (failures) {
                            failures.add(failure);
                        }
                    }
                }
            }, "study-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
            }
        }
        return cancelled ? TrainingStatus.CANCELLED : failures.isEmpty() ? TrainingStatus.COMPLETED
                : TrainingStatus.FAILED;
    }

    /** Trains one member in its own process; returns a failure message, or null. */
    private String trainOne(StudySpec spec, StudySpec.Member m, ProgressBoard board, Listener listener) {
        String runId = spec.runId(m);
        StudyTag tag = StudyTag.forAttempt(spec.id(), m.setting().label(), m.seed(), MEMBER_NATIVE_THREADS);
        Path folder = store.runs().createMember(runId, m.config(), tag);
        Process process;
        try {
            // its standard input stays open as the member's lifeline: closed (by cancel, or by this process ending in
            // any way), the member stops
            ProcessBuilder pb = launcher.processFor(folder, tag.attempt(), dataDir, MEMBER_NATIVE_THREADS);
            pb.redirectErrorStream(false);
            pb.redirectError(ProcessBuilder.Redirect.appendTo(folder.resolve("train.log").toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            process = pb.start();
        } catch (IOException e) {
            return runId + ": cannot start its process (" + e.getMessage() + ")";
        }
        processes.put(process, Boolean.TRUE);
        if (cancelled) {
            askToStop(process);
        }
        board.started(runId);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                board.line(runId, line);
            }
        } catch (IOException e) {
            // stopping a process closes its streams: what matters is how the process itself ends, below
        }
        try {
            if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            processes.remove(process);
            board.finished(runId);
        }
        RunRecord record;
        try {
            record = RunStore.read(folder);
        } catch (RuntimeException e) {
            return runId + ": unreadable after training (" + e.getMessage() + ")";
        }
        board.completed(record);
        listener.onMemberFinished(m, record);
        if (record.finishedAllEpochs() || cancelled) {
            return null; // complete, or stopped as asked: the next run of the study trains it again
        }
        String error = record.summary().error();
        if (error == null || error.isBlank()) {
            error = lastLine(folder.resolve("train.log"));
        }
        return runId + ": " + record.summary().status().name().toLowerCase() + (error.isBlank() ? "" : " (" + error
                + ")") + (process.isAlive() ? "; its process did not stop" : "; exit code " + process.exitValue());
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no log to quote
        }
        return "";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds up the member processes' reports ({@link MemberProtocol} lines) into one progress for the whole study.
     * The estimate is the images still to train over the images/s achieved so far, start-ups and evaluations
     * included.
     */
    private static final class ProgressBoard {
        private final Listener listener;
        private final long started;
        private final int members;
        private final int toTrain;
        private final long imagesPerRun;
        private final Map<String, double[]> running = new ConcurrentHashMap<>(); // runId -> {images done, img/s}
        private final AtomicInteger done = new AtomicInteger();
        private long imagesFinished;
        private long lastReport;

        ProgressBoard(StudySpec spec, List<StudySpec.Member> pending, Listener listener, long started) {
            this.listener = listener;
            this.started = started;
            this.members = spec.runCount();
            this.toTrain = pending.size();
            long images = 0;
            for (StudySpec.Member m : pending) {
                int train = m.config().subset() == 0 ? 60_000 : m.config().subset();
                images += (long) train * m.config().epochs();
            }
            this.imagesPerRun = pending.isEmpty() ? 0 : images / pending.size();
        }

        void started(String runId) {
            running.put(runId, new double[] {0, 0});
            report(true);
        }

        void line(String runId, String line) {
            MemberProtocol.Report r = MemberProtocol.parse(line);
            if (r == null) {
                return;
            }
            double[] state = running.get(runId);
            if (state != null) {
                state[0] = r.imagesDone();
                state[1] = r.imagesPerSecond();
            }
            report(false);
        }

        void finished(String runId) {
            running.remove(runId);
        }

        synchronized void completed(RunRecord record) {
            done.incrementAndGet();
            imagesFinished += imagesPerRun;
            report(true);
        }

        private synchronized void report(boolean always) {
            long now = System.nanoTime();
            if (!always && now - lastReport < 500_000_000L) {
                return;
            }
            lastReport = now;
            double rate = 0;
            double imagesRunning = 0;
            for (double[] s : running.values()) {
                rate += s[1];
                imagesRunning += s[0];
            }
            double elapsed = (now - started) / 1e9;
            double doneImages = imagesFinished + imagesRunning;
            double remaining = Math.max(0, (double) imagesPerRun * toTrain - doneImages);
            double eta = doneImages <= 0 ? Double.NaN : remaining / (doneImages / elapsed);
            listener.onProgress(new Progress(done.get(), running.size(), toTrain, members, rate, elapsed, eta));
        }
    }
}
