package dev.mnistdrill.ui.vm;

import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.MemberLauncher;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.StudyRunner;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyVerdict;
import dev.mnistdrill.train.StudyVerdict.SettingVerdict;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.MarkdownReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The stored studies with their verdicts so far, and the one study this window trains: started from the experiment
 * form, stopped, resumed. Every listing and verdict is read on a worker thread; the study runs on its own niced
 * thread (its member processes inherit the nice value, so that the window keeps a core), and its reports reach the FX
 * thread coalesced, at most one progress update per frame.
 */
public final class StudiesViewModel {
    public enum State { IDLE, STARTING, RUNNING, STOPPING }

    /** How often a study in training is re-read between finished runs, so that its bands grow epoch by epoch. */
    static final long LIVE_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(15);

    /** Trains one study: the window's seam to the engine's {@link StudyRunner} (tests put a stand-in here). */
    public interface StudyTraining {
        /** Blocks until the study ends, however it ends. */
        StudyRunner.Outcome run(StudySpec spec, StudyRunner.Listener listener);

        /** From any thread: stop every run in training (each keeps its completed epochs). */
        void cancel();
    }

    /** Makes the training of {@code spec} with the MNIST files verified in {@code dataDir}. */
    @FunctionalInterface
    public interface StudyTrainingFactory {
        StudyTraining create(StudyStore store, Path dataDir, StudySpec spec);
    }

    /** A stored study and its verdict, as read by the last listing. */
    public record StudyRow(StudyStore.Manifest manifest, StudyVerdict verdict) {
        public String id() {
            return manifest.id();
        }

        public String name() {
            return manifest.spec().base().name();
        }

        public StudySpec spec() {
            return manifest.spec();
        }

        public int runsDone() {
            return verdict.runsComplete();
        }

        public int runsPlanned() {
            return verdict.runsPlanned();
        }

        /** The setting that held on the most seeds (then the best worst last-K epoch), as the CLI ranks them. */
        public SettingVerdict best() {
            return bestOf(verdict);
        }
    }

    /** The best setting of {@code verdict}, or null when it has none. */
    public static SettingVerdict bestOf(StudyVerdict verdict) {
        return verdict.settings().stream().max(Comparator.comparingInt(SettingVerdict::held)
                .thenComparingDouble(s -> Double.isNaN(s.worstLastK()) ? -1 : s.worstLastK())).orElse(null);
    }

    private final StudyStore store;
    private final DataService data;
    /** For what the user waits for: a report. */
    private final Executor io;
    /** For the listings, at the background's priority. */
    private final Executor background;
    /** The study's own thread, niced: it waits on the member processes, which inherit its priority. */
    private final Executor studyThread;
    private final ObservableBooleanValue trainingBusy;
    private StudyTrainingFactory factory = StudiesViewModel::engineTraining;

    private final ObservableList<StudyRow> studies = FXCollections.observableArrayList();
    private final StringProperty selectedId = new SimpleStringProperty(this, "selectedId");
    private final ReadOnlyObjectWrapper<StudyRow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private final StringProperty compareId = new SimpleStringProperty(this, "compareId");
    private final ReadOnlyObjectWrapper<StudyRow> compared = new ReadOnlyObjectWrapper<>(this, "compared");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper activeId = new ReadOnlyStringWrapper(this, "activeId");
    private final ReadOnlyObjectWrapper<StudyRunner.Progress> progress = new ReadOnlyObjectWrapper<>(this,
            "progress");
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper runsDoneText = new ReadOnlyStringWrapper(this, "runsDoneText", "");
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper(this, "speedText", "");
    private final ReadOnlyStringWrapper etaText = new ReadOnlyStringWrapper(this, "etaText", "");
    private final ReadOnlyDoubleWrapper fractionDone = new ReadOnlyDoubleWrapper(this, "fractionDone");
    private final StatusMessage status = new StatusMessage();
    private final ReadOnlyBooleanWrapper refreshing = new ReadOnlyBooleanWrapper(this, "refreshing");
    private final List<Consumer<RunRecord>> memberHandlers = new ArrayList<>();
    private final BooleanBinding busy = state.isNotEqualTo(State.IDLE);
    private final BooleanBinding resumable;

    /** The study in training and how to stop it; worker threads read them. */
    private volatile StudyTraining training;
    private volatile boolean stopRequested;
    /** Set when the window closes: no more listings. */
    private volatile boolean closing;
    private CompletableFuture<Void> running = CompletableFuture.completedFuture(null);
    private StudyRunner.Plan plan;
    private final AtomicReference<StudyRunner.Progress> latestProgress = new AtomicReference<>();
    private final AtomicBoolean progressScheduled = new AtomicBoolean();
    private long lastLiveRefresh;
    /** Counts listings, so that an answer overtaken by a later one is dropped. */
    private long listingGeneration;

    public StudiesViewModel(StudyStore store, DataService data, Executor io, Executor background,
                            Executor studyThread, ObservableBooleanValue trainingBusy) {
        this.store = store;
        this.data = data;
        this.io = io;
        this.background = background;
        this.studyThread = studyThread;
        this.trainingBusy = trainingBusy;
        selectedId.addListener((o, was, now) -> {
            selected.set(find(now));
            if (now != null && now.equals(compareId.get())) {
                compareId.set(null); // a study compared with itself shows nothing new
            }
        });
        compareId.addListener((o, was, now) -> compared.set(find(now)));
        resumable = Bindings.createBooleanBinding(() -> {
            StudyRow row = selected.get();
            return state.get() == State.IDLE && !trainingBusy.get() && row != null
                    && row.manifest().status() != TrainingStatus.COMPLETED
                    && row.manifest().status() != TrainingStatus.RUNNING;
        }, selected, state, trainingBusy);
    }

    /** The engine's runner, with this machine split between runs as the command line splits it. */
    private static StudyTraining engineTraining(StudyStore store, Path dataDir, StudySpec spec) {
        StudyRunner runner = new StudyRunner(store, dataDir, null, MemberLauncher.thisProgram());
        return new StudyTraining() {
            @Override
            public StudyRunner.Outcome run(StudySpec s, StudyRunner.Listener listener) {
                return runner.run(s, listener);
            }

            @Override
            public void cancel() {
                runner.cancel();
            }
        };
    }

    /** Replaces how studies are trained: for tests and demos, which do not start member processes. */
    public void useTraining(StudyTrainingFactory factory) {
        this.factory = factory;
    }

    /** Called (FX thread) after each run of the study in training has ended. */
    public void onMemberFinished(Consumer<RunRecord> handler) {
        memberHandlers.add(handler);
    }

    public StudyStore store() {
        return store;
    }

    // ---- listing --------------------------------------------------------------------------------------------

    /** Re-reads every study and its member runs; keeps the selection and the comparison. */
    public CompletableFuture<Void> refresh() {
        if (closing) {
            return CompletableFuture.completedFuture(null);
        }
        refreshing.set(true);
        long generation = ++listingGeneration;
        return CompletableFuture.supplyAsync(() -> {
            List<String> problems = new ArrayList<>();
            List<StudyRow> rows = new ArrayList<>();
            for (StudyStore.Manifest m : store.list(problems::add)) {
                rows.add(new StudyRow(m, StudyVerdict.of(m.spec(), store.memberRuns(m.spec(), problems::add))));
            }
            return Map.entry(rows, problems);
        }, background).handle((listed, failure) -> {
            Fx.run(() -> {
                if (generation != listingGeneration) {
                    return; // a later listing is on its way
                }
                refreshing.set(false);
                if (failure != null) {
                    status.error("Cannot read the studies in " + store.root() + ": " + Fx.message(failure));
                    return;
                }
                studies.setAll(listed.getKey());
                reselect();
                if (!listed.getValue().isEmpty()) {
                    status.error("Skipped unreadable studies or runs: " + String.join("; ", listed.getValue()));
                }
            });
            return null;
        });
    }

    /** Re-reads one study (the one in training, after a run or a while): its row changes, the others stay. */
    public CompletableFuture<Void> refreshStudy(String id) {
        if (closing) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> {
            StudyStore.Manifest m = store.read(id);
            return new StudyRow(m, StudyVerdict.of(m.spec(), store.memberRuns(m.spec(), p -> { })));
        }, background).handle((row, failure) -> {
            Fx.run(() -> {
                if (failure != null) {
                    return; // not written yet, or gone: the next full listing says so
                }
                int at = indexOf(id);
                if (at < 0) {
                    studies.add(0, row); // newest first
                } else {
                    studies.set(at, row);
                }
                reselect();
            });
            return null;
        });
    }

    private int indexOf(String id) {
        for (int i = 0; i < studies.size(); i++) {
            if (studies.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private StudyRow find(String id) {
        int at = id == null ? -1 : indexOf(id);
        return at < 0 ? null : studies.get(at);
    }

    /** Points the selection and the comparison at the rows just read. */
    private void reselect() {
        selected.set(find(selectedId.get()));
        compared.set(find(compareId.get()));
    }

    /** The status to show: the study this window trains is "training", one another process trains "running". */
    public String statusOf(StudyRow row) {
        if (row.id().equals(activeId.get())) {
            return state.get() == State.STOPPING ? "stopping" : "training";
        }
        return switch (row.manifest().status()) {
            case RUNNING -> "running elsewhere";
            case CANCELLED -> "stopped";
            default -> row.manifest().status().name().toLowerCase(Locale.ROOT);
        };
    }

    // ---- training ---------------------------------------------------------------------------------------------

    /**
     * Starts training the missing runs of {@code spec} (all of them for a new study). Refused, with the reason as
     * the message and the return value, while a study or a single training runs, or when the spec has a problem;
     * null when it started. Asking before a very large study is the caller's part.
     */
    public String start(StudySpec spec) {
        if (state.get() != State.IDLE) {
            return refuse("A study is training already (" + activeId.get() + "): stop it or let it finish first");
        }
        if (trainingBusy.get()) {
            return refuse("A training is running: start the study when it has finished, or stop it first");
        }
        List<String> problems = spec.problems();
        if (!problems.isEmpty()) {
            return refuse("Cannot start the study: " + StudyGridDraft.withoutCliPrefix(problems.get(0)));
        }
        String id = spec.id();
        stopRequested = false;
        training = null;
        plan = null;
        lastLiveRefresh = System.nanoTime();
        latestProgress.set(null);
        progress.set(null);
        progressText.set("Preparing " + spec.runCount() + " runs…");
        runsDoneText.set("");
        speedText.set("");
        etaText.set("");
        fractionDone.set(0);
        activeId.set(id);
        state.set(State.STARTING);
        selectedId.set(id);
        status.info("Starting study " + id + " (" + spec.runCount() + " runs)…");
        StudyRunner.Listener listener = new Bridge(spec);
        running = data.load().thenApplyAsync(mnist -> {
            StudyTraining t = factory.create(store, mnist.source(), spec);
            training = t;
            if (stopRequested) {
                t.cancel();
            }
            return t.run(spec, listener);
        }, studyThread).handle((outcome, failure) -> {
            Fx.run(() -> finished(spec, outcome, failure));
            return null;
        });
        return null;
    }

    /** Trains what the selected study is missing: the same spec again (completed runs are kept). */
    public String resume() {
        StudyRow row = selected.get();
        if (row == null) {
            return refuse("Select a study to resume");
        }
        return start(row.spec());
    }

    /** Stops the study in training: each run ends after its batch, keeping its epochs; Resume trains the rest. */
    public void stop() {
        if (state.get() != State.STARTING && state.get() != State.RUNNING) {
            return;
        }
        stopRequested = true;
        state.set(State.STOPPING);
        status.info("Stopping " + activeId.get() + ": each run in training finishes its batch and keeps its epochs…");
        StudyTraining t = training;
        if (t != null) {
            io.execute(t::cancel); // destroys the member processes: not on the FX thread
        }
    }

    /**
     * The window is closing: stops the study and waits up to {@code millis} for it to write its verdict. Nothing is
     * read from disk after this (the worker pools are going away).
     */
    public void stopAndWait(long millis) {
        closing = true;
        stopRequested = true;
        StudyTraining t = training;
        if (t != null) {
            t.cancel();
        }
        try {
            running.get(millis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // the member processes stop by themselves when the window's process goes; their runs read back as
            // interrupted and the study resumes from them
        }
    }

    private void finished(StudySpec spec, StudyRunner.Outcome outcome, Throwable failure) {
        training = null;
        String id = spec.id();
        state.set(State.IDLE);
        activeId.set(null);
        if (failure != null) {
            status.error("Study " + id + " did not run: " + Fx.message(failure));
        } else {
            StudyVerdict v = outcome.verdict();
            SettingVerdict best = bestOf(v);
            String bestText = best == null ? "" : "; best " + best.heldRatio() + " held"
                    + (v.settings().size() > 1 ? " (" + best.label() + ")" : "");
            switch (outcome.status()) {
                case COMPLETED -> status.info("Study " + id + " completed in " + Formats.duration(outcome.seconds())
                        + bestText);
                case CANCELLED -> status.info("Study " + id + " stopped with " + v.runsComplete() + " of "
                        + v.runsPlanned() + " runs done" + bestText + ". Resume trains the "
                        + (v.runsPlanned() - v.runsComplete()) + " missing.");
                default -> status.error("Study " + id + ": " + (outcome.failures().isEmpty() ? "not every run completed"
                        : outcome.failures().size() + " run(s) failed, first: " + outcome.failures().get(0))
                        + ". Resume trains them again.");
            }
            progressText.set(v.runsComplete() + " of " + v.runsPlanned() + " runs done");
            fractionDone.set(v.runsPlanned() == 0 ? 0 : v.runsComplete() / (double) v.runsPlanned());
        }
        speedText.set("");
        etaText.set(failure != null || outcome == null ? "" : "took " + Formats.duration(outcome.seconds()));
        refresh();
    }

    private String refuse(String why) {
        status.error(why);
        return why;
    }

    /** The runner's reports, from its worker threads, handed to the FX thread. */
    private final class Bridge implements StudyRunner.Listener {
        private final StudySpec spec;

        Bridge(StudySpec spec) {
            this.spec = spec;
        }

        @Override
        public void onPlan(StudyRunner.Plan p) {
            Fx.run(() -> {
                plan = p;
                if (state.get() == State.STARTING) {
                    state.set(State.RUNNING);
                }
                status.info(String.format(Locale.ROOT, "Study %s: %d of %d runs kept from before%s, %d to train, %d at a "
                                + "time", p.studyId(), p.kept(), p.members(), p.setAside() == 0 ? ""
                                : ", " + p.setAside() + " unfinished set aside", p.toTrain(), p.parallel()));
                refreshStudy(p.studyId()); // its manifest is written: it joins the list
            });
        }

        @Override
        public void onProgress(StudyRunner.Progress p) {
            latestProgress.set(p);
            // a report every half second at most, coalesced: one FX update however many arrived
            if (progressScheduled.compareAndSet(false, true)) {
                Fx.run(() -> {
                    progressScheduled.set(false);
                    showProgress(latestProgress.get());
                });
            }
        }

        @Override
        public void onMemberFinished(StudySpec.Member member, RunRecord run) {
            Fx.run(() -> {
                lastLiveRefresh = System.nanoTime();
                refreshStudy(spec.id());
                for (Consumer<RunRecord> h : memberHandlers) {
                    h.accept(run);
                }
            });
        }

        @Override
        public void onMessage(String text) {
            Fx.run(() -> status.info(text));
        }
    }

    private void showProgress(StudyRunner.Progress p) {
        if (p == null || state.get() == State.IDLE) {
            return;
        }
        progress.set(p);
        int kept = plan == null ? 0 : plan.kept();
        progressText.set(String.format(Locale.ROOT, "%d of %d runs done%s · %d training", kept + p.done(),
                p.members(), kept == 0 ? "" : " (" + kept + " from before)", p.running()));
        runsDoneText.set((kept + p.done()) + "/" + p.members());
        speedText.set(p.imagesPerSecond() > 0 ? String.format(Locale.ROOT, "%,.0f img/s", p.imagesPerSecond())
                : "");
        boolean knowsEta = Double.isFinite(p.etaSeconds());
        etaText.set((knowsEta ? "ETA " + Formats.duration(p.etaSeconds()) + " · " : "") + "elapsed "
                + Formats.duration(p.elapsedSeconds()));
        fractionDone.set(knowsEta && p.elapsedSeconds() + p.etaSeconds() > 0
                ? p.elapsedSeconds() / (p.elapsedSeconds() + p.etaSeconds())
                : p.trainedFraction());
        long now = System.nanoTime();
        if (now - lastLiveRefresh > LIVE_REFRESH_NANOS && activeId.get() != null) {
            lastLiveRefresh = now;
            refreshStudy(activeId.get()); // the runs in training have new epochs: the bands grow
        }
    }

    // ---- report -------------------------------------------------------------------------------------------

    /** Writes the Markdown report of {@code sections} to {@code file}; {@code chartProblem} (or null) stays said. */
    public CompletableFuture<Void> exportReport(List<MarkdownReport.StudySection> sections, Path file,
                                                String chartProblem) {
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(file, MarkdownReport.of(List.of(), Map.of(), sections), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, io).handle((ok, failure) -> {
            Fx.run(() -> {
                if (failure != null) {
                    status.error("Report not written: " + Fx.message(failure));
                } else if (chartProblem != null) {
                    status.error("Report written to " + file + ", but the band chart not: " + chartProblem);
                } else {
                    status.info("Report of " + sections.size() + " stud" + (sections.size() == 1 ? "y" : "ies")
                            + " written to " + file);
                }
            });
            return null;
        });
    }

    /** What the tab says last: progress, results, and what failed. */
    public StatusMessage status() {
        return status;
    }

    // ---- properties ---------------------------------------------------------------------------------------

    /** Every stored study, newest first. */
    public ObservableList<StudyRow> studies() {
        return studies;
    }

    /** The id of the study the user looks at (set by the view). */
    public StringProperty selectedIdProperty() {
        return selectedId;
    }

    /** The selected study as last read. */
    public ReadOnlyObjectProperty<StudyRow> selectedProperty() {
        return selected.getReadOnlyProperty();
    }

    /** The id of the study drawn beside the selected one, or null (set by the view). */
    public StringProperty compareIdProperty() {
        return compareId;
    }

    public ReadOnlyObjectProperty<StudyRow> comparedProperty() {
        return compared.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    /** Whether a study is training (or starting, or stopping) in this window. */
    public BooleanBinding busyProperty() {
        return busy;
    }

    /** Whether the selected study can be resumed now: it has runs to train and nothing else is training. */
    public BooleanBinding resumableProperty() {
        return resumable;
    }

    /** The id of the study this window trains, or null. */
    public ReadOnlyStringProperty activeIdProperty() {
        return activeId.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<StudyRunner.Progress> progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "3 of 10 runs done · 2 training" */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** "5/10": runs of the study in training done (kept from before included) of all its runs. */
    public ReadOnlyStringProperty runsDoneTextProperty() {
        return runsDoneText.getReadOnlyProperty();
    }

    /** Images per second over every run in training. */
    public ReadOnlyStringProperty speedTextProperty() {
        return speedText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaTextProperty() {
        return etaText.getReadOnlyProperty();
    }

    /** The study's progress, 0 to 1 (by time when an estimate exists, else by runs). */
    public ReadOnlyDoubleProperty fractionDoneProperty() {
        return fractionDone.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty refreshingProperty() {
        return refreshing.getReadOnlyProperty();
    }
}
