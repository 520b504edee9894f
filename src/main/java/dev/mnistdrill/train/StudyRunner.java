package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.StudySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains a study's missing members, several at once, with a {@link MemberExecutor} (processes on this machine by
 * default), and judges the study when they are done. Resumable by construction: members have deterministic run ids, a completed
 * member is never trained again, and one that was interrupted, cancelled or failed is set aside (moved to
 * removed-runs, nothing deleted) and trained anew. {@link #run} blocks; {@link #cancel} may be called from any
 * thread and stops every member process within a batch.
 */
public final class StudyRunner {
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
                       int threadsPerRun, String where) {
    }

    /**
     * The whole study's progress: runs done and running, aggregate images/s of the running ones, an estimate (NaN
     * when unknown), and the share of this start's training images trained so far.
     */
    public record Progress(int done, int running, int toTrain, int members, double imagesPerSecond,
                           double elapsedSeconds, double etaSeconds, double trainedFraction) {
    }

    /** How a study run ended, with its verdict so far. */
    public record Outcome(TrainingStatus status, StudyVerdict verdict, double seconds, List<String> failures) {
    }

    private final StudyStore store;
    private final MemberExecutor executor;
    /** Chosen by {@link #plan} from the runs left to train. */
    private int parallel = 1;
    private volatile boolean cancelled;

    /** A runner whose members train as processes on this machine: see {@link LocalMemberExecutor}. */
    public StudyRunner(StudyStore store, Path dataDir, Integer parallel, MemberLauncher launcher) {
        this(store, new LocalMemberExecutor(dataDir, parallel, launcher));
    }

    public StudyRunner(StudyStore store, MemberExecutor executor) {
        this.store = store;
        this.executor = executor;
    }

    /** Stops the study: every member in training is asked to stop after its current batch, and none is started. */
    public void cancel() {
        cancelled = true;
        executor.cancel();
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
            if (Files.isDirectory(folder)) {
                waitForOrphan(folder, listener);
                RunRecord record = null;
                try {
                    record = RunStore.read(folder);
                } catch (RuntimeException e) {
                    listener.onMessage(folder.getFileName() + " is unreadable (" + e.getMessage()
                            + "); training it anew");
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
            }
            // Missing, or just set aside: a completed run of the same settings elsewhere in the store is copied.
            if (done == null) {
                done = completedRunsBySettings(runs);
            }
            RunRecord same = done.get(settingsOf(m.config()));
            if (same != null) {
                runs.adoptAsMember(same, spec.runId(m), m.config().name(),
                        StudyTag.copiedFrom(spec.id(), m.setting().label(), m.seed(), same));
                listener.onMessage("seed " + m.seed() + (m.setting().values().isEmpty() ? ""
                        : " of " + m.setting().label()) + ": copied from run " + same.id()
                        + ", which trained the same settings");
                copied++;
            } else {
                pending.add(m);
            }
        }
        parallel = executor.parallelRuns(pending.size());
        listener.onPlan(new Plan(spec.id(), spec.runCount(), kept, copied, setAside, pending.size(), parallel,
                executor.threadsPerRun(), executor.where()));
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

    /** Trains one member with the executor; returns a failure message, or null. */
    private String trainOne(StudySpec spec, StudySpec.Member m, ProgressBoard board, Listener listener) {
        String runId = spec.runId(m);
        StudyTag tag = StudyTag.forAttempt(spec.id(), m.setting().label(), m.seed(), executor.threadsPerRun());
        Path folder = store.runs().createMember(runId, m.config(), tag);
        board.started(runId);
        String detail;
        try {
            detail = executor.train(folder, tag, line -> board.line(runId, line));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
            detail = "interrupted";
        } finally {
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
                + ")") + (detail == null ? "" : "; " + detail);
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
     * Each run counts its own planned training images (a grid may vary epochs or subset). The estimate is the images
     * still to train over the images/s achieved so far, start-ups and evaluations included; it is unknown, not 0,
     * while the last runs only evaluate their last epoch.
     */
    static final class ProgressBoard {
        private final Listener listener;
        private final long started;
        private final int members;
        private final int toTrain;
        private final Map<String, Long> planned = new HashMap<>(); // runId -> training images
        private final long plannedTotal;
        private final Map<String, double[]> running = new ConcurrentHashMap<>(); // runId -> {images done, img/s}
        private final AtomicInteger done = new AtomicInteger();
        private long imagesFinished;
        private long lastReport;

        ProgressBoard(StudySpec spec, List<StudySpec.Member> pending, Listener listener, long started) {
            this.listener = listener;
            this.started = started;
            this.members = spec.runCount();
            this.toTrain = pending.size();
            long total = 0;
            for (StudySpec.Member m : pending) {
                long images = (long) m.config().trainingDigits() * m.config().epochs();
                planned.put(spec.runId(m), images);
                total += images;
            }
            this.plannedTotal = total;
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
            imagesFinished += planned.getOrDefault(record.id(), 0L);
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
            for (Map.Entry<String, double[]> e : running.entrySet()) {
                long plan = planned.getOrDefault(e.getKey(), 0L);
                rate += e.getValue()[1];
                imagesRunning += Math.min(e.getValue()[0], plan);
            }
            double elapsed = (now - started) / 1e9;
            double doneImages = imagesFinished + imagesRunning;
            double remaining = Math.max(0, plannedTotal - doneImages);
            boolean onlyEvaluating = !running.isEmpty() && remaining == 0; // every run has trained its images
            double eta = doneImages <= 0 || onlyEvaluating ? Double.NaN : remaining / (doneImages / elapsed);
            double fraction = plannedTotal == 0 ? 1 : Math.min(1, doneImages / plannedTotal);
            listener.onProgress(new Progress(done.get(), running.size(), toTrain, members, rate, elapsed, eta,
                    fraction));
        }
    }
}
