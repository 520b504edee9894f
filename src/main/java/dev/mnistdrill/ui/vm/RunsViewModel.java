package dev.mnistdrill.ui.vm;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.train.Evaluation;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.train.RunNotes;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.MarkdownReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The run store as a table: refreshed on a worker thread, rows selectable for overlay, one run "open" at a time
 * with its notes, model and evaluation. Every disk or ND4J operation runs off the FX thread and reports failures
 * as a message; nothing the user typed is lost when one fails.
 */
public final class RunsViewModel {
    /** A table row: the stored run plus whether its curves are overlaid on the live charts. */
    public static final class RunRow {
        /** Replaced in place when the run changes (a live run, after each epoch); the row itself stays. */
        private final ReadOnlyObjectWrapper<RunRecord> record;
        private final BooleanProperty overlay = new SimpleBooleanProperty(this, "overlay");

        RunRow(RunRecord record, boolean overlaid) {
            this.record = new ReadOnlyObjectWrapper<>(this, "record", record);
            overlay.set(overlaid);
        }

        public RunRecord record() {
            return record.get();
        }

        public javafx.beans.property.ReadOnlyObjectProperty<RunRecord> recordProperty() {
            return record.getReadOnlyProperty();
        }

        public BooleanProperty overlayProperty() {
            return overlay;
        }
    }

    /** The evaluation of a run's model on the whole test set. */
    public record RunEvaluation(RunRecord run, Evaluation evaluation, MnistData data) {
    }

    private final RunStore store;
    private final DataService data;
    /** For what the user asked for and waits for: evaluations, models, exports, notes. */
    private final Executor executor;
    /** For the listings that follow the training (after every epoch) at the background's priority. */
    private final Executor background;
    private final DrawViewModel draw;
    private final ObservableList<RunRow> rows = FXCollections.observableArrayList();
    /**
     * The rows the table shows: {@link #filterTextProperty()} and {@link #showStudyRunsProperty()} applied. What the
     * filter reads of a run (id, config, study) does not change once the run is listed with its study tag, so a
     * row's record replaced after an epoch needs no re-test.
     */
    private final FilteredList<RunRow> shownRows = new FilteredList<>(rows);
    private final javafx.beans.property.StringProperty filterText =
            new javafx.beans.property.SimpleStringProperty(this, "filterText", "");
    private final BooleanProperty showStudyRuns = new SimpleBooleanProperty(this, "showStudyRuns", true);
    private final ObservableList<RunRecord> overlays = FXCollections.observableArrayList();
    private final ObjectProperty<RunRecord> opened = new SimpleObjectProperty<>(this, "opened");
    private final ReadOnlyObjectWrapper<RunEvaluation> evaluation = new ReadOnlyObjectWrapper<>(this, "evaluation");
    private final ReadOnlyBooleanWrapper evaluating = new ReadOnlyBooleanWrapper(this, "evaluating");
    private final StatusMessage status = new StatusMessage();
    private final ReadOnlyBooleanWrapper refreshing = new ReadOnlyBooleanWrapper(this, "refreshing");

    public RunsViewModel(RunStore store, DataService data, Executor executor, Executor background,
                         DrawViewModel draw) {
        this.store = store;
        this.data = data;
        this.executor = executor;
        this.background = background;
        this.draw = draw;
        shownRows.predicateProperty().bind(javafx.beans.binding.Bindings.createObjectBinding(
                () -> shownBy(filterText.get(), showStudyRuns.get()), filterText, showStudyRuns));
        opened.addListener((o, was, now) -> {
            if (evaluation.get() != null && (now == null || !evaluation.get().run().id().equals(now.id()))) {
                evaluation.set(null);
            }
        });
    }

    private javafx.beans.value.ObservableValue<Path> liveRun;

    /** The folder of the run training now, so that the table can tell it from runs that were interrupted. */
    public void setLiveRun(javafx.beans.value.ObservableValue<Path> folder) {
        liveRun = folder;
    }

    /** The status to show: a RUNNING run that is not the live one was interrupted (the app was killed). */
    public String statusOf(RunRecord run) {
        var status = run.summary().status();
        if (status == dev.mnistdrill.train.TrainingStatus.RUNNING) {
            Path live = liveRun == null ? null : liveRun.getValue();
            return live != null && live.getFileName().toString().equals(run.id()) ? "training" : "interrupted";
        }
        return status.name().toLowerCase(java.util.Locale.ROOT);
    }

    public RunStore store() {
        return store;
    }

    /** The last listing, by id; guarded by itself. */
    private final Map<String, RunRecord> lastListed = new HashMap<>();

    /**
     * Background thread: replaces each record equal to the one the last listing read by that very object, so that
     * the FX thread tells unchanged runs by identity. Comparing every epoch of a few dozen runs there took 73 ms.
     */
    private List<RunRecord> unchangedAsBefore(List<RunRecord> runs) {
        synchronized (lastListed) {
            List<RunRecord> result = new ArrayList<>(runs.size());
            Map<String, RunRecord> now = new HashMap<>();
            for (RunRecord run : runs) {
                RunRecord before = lastListed.get(run.id());
                RunRecord kept = run.equals(before) ? before : run;
                result.add(kept);
                now.put(run.id(), kept);
            }
            lastListed.clear();
            lastListed.putAll(now);
            return result;
        }
    }

    /** Re-reads the run store; keeps overlay choices and the open run. */
    public CompletableFuture<Void> refresh() {
        refreshing.set(true);
        return CompletableFuture.supplyAsync(() -> {
            List<String> problems = new ArrayList<>();
            List<RunRecord> runs = store.list(problems::add);
            return Map.entry(unchangedAsBefore(runs), problems);
        }, background).handle((listed, failure) -> {
            Fx.run(() -> {
                refreshing.set(false);
                if (failure != null) {
                    status.error("Cannot read the runs in " + store.root() + ": " + Fx.message(failure));
                    return;
                }
                Set<String> overlaid = new HashSet<>();
                for (RunRow r : rows) {
                    if (r.overlay.get()) {
                        overlaid.add(r.record().id());
                    }
                }
                // Rows whose run did not change are kept, and only changed places of the list are replaced: the table
                // is re-read after every epoch of a live run, and replacing every row re-built every cell.
                Map<String, RunRow> old = new HashMap<>();
                for (RunRow r : rows) {
                    old.put(r.record().id(), r);
                }
                List<RunRow> fresh = new ArrayList<>();
                for (RunRecord record : listed.getKey()) {
                    RunRow kept = old.get(record.id());
                    // a study writes a member's tag just after its config: a row listed in between is made anew
                    // once tagged, so that the filter tests it again (it reads the tag; a kept row is not re-tested)
                    if (kept != null && (kept.record().study() == null) == (record.study() == null)) {
                        if (kept.record() != record) { // unchanged runs arrive as the same object
                            kept.record.set(record);
                        }
                        fresh.add(kept);
                        continue;
                    }
                    RunRow row = new RunRow(record, overlaid.contains(record.id()));
                    row.overlay.addListener(o -> requestSyncOverlays());
                    fresh.add(row);
                }
                if (fresh.size() == rows.size()) {
                    for (int i = 0; i < fresh.size(); i++) {
                        if (rows.get(i) != fresh.get(i)) {
                            rows.set(i, fresh.get(i));
                        }
                    }
                } else {
                    // a run appeared or went: insert or remove just those rows (kept rows keep their order)
                    Set<RunRow> wanted = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                    wanted.addAll(fresh);
                    rows.removeIf(r -> !wanted.contains(r));
                    for (int i = 0; i < fresh.size(); i++) {
                        if (i >= rows.size() || rows.get(i) != fresh.get(i)) {
                            rows.add(i, fresh.get(i));
                        }
                    }
                    if (rows.size() != fresh.size()) {
                        rows.setAll(fresh);
                    }
                }
                syncOverlays();
                RunRecord open = opened.get();
                if (open != null) {
                    opened.set(fresh.stream().map(RunRow::record).filter(r -> r.id().equals(open.id())).findFirst()
                            .orElse(null));
                }
                if (!listed.getValue().isEmpty()) {
                    status.error("Skipped unreadable runs: " + String.join("; ", listed.getValue()));
                }
            });
            return null;
        });
    }

    private boolean syncScheduled;

    /** Several overlay ticks in one go (the demo, a future "select all") re-plot once, on the next FX turn. */
    private void requestSyncOverlays() {
        if (!syncScheduled) {
            syncScheduled = true;
            javafx.application.Platform.runLater(() -> {
                syncScheduled = false;
                syncOverlays();
            });
        }
    }

    private void syncOverlays() {
        List<RunRecord> wanted = rows.stream().filter(r -> r.overlay.get()).map(RunRow::record).toList();
        // The table is re-read after every epoch of a live run; re-plotting unchanged overlays each time rebuilt
        // the chart series and stalled the FX thread for hundreds of ms (found with the demo's FX watchdog).
        if (!sameRunsAndEpochs(wanted, overlays)) {
            overlays.setAll(wanted);
        }
    }

    private static boolean sameRunsAndEpochs(List<RunRecord> a, List<RunRecord> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).id().equals(b.get(i).id()) || a.get(i).epochs().size() != b.get(i).epochs().size()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Saves the user's Target and Analysis of {@code run} now, on the FX thread, and updates its row at once (a
     * re-open before the next listing shows them). Synchronous on purpose: a notes file is a few hundred bytes
     * (written in well under a millisecond), and the caller must know it is on disk before it replaces the text
     * (opening another run, closing the window) or moves the run's folder (Remove…), which on a worker pool could
     * overtake the write. Returns whether it was saved; on failure the message says why and the caller keeps the
     * text.
     */
    public boolean saveNotes(RunRecord run, String target, String analysis) {
        RunNotes notes = new RunNotes(target, analysis);
        try {
            RunStore.writeNotes(run.folder(), notes);
        } catch (RuntimeException e) {
            status.error("Notes of " + run.id() + " not saved: " + Fx.message(e));
            return false;
        }
        for (RunRow row : rows) {
            if (row.record().id().equals(run.id())) {
                row.record.set(row.record().withNotes(notes));
            }
        }
        if (opened.get() != null && opened.get().id().equals(run.id())) {
            opened.set(opened.get().withNotes(notes));
        }
        status.info("Notes saved for " + run.id());
        return true;
    }

    /**
     * Takes {@code runs} out of the table: their folders move beside the runs folder (nothing is deleted). A run
     * that cannot be moved stays, and the message says why.
     */
    public CompletableFuture<Void> remove(List<RunRecord> runs) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> problems = new ArrayList<>();
            for (RunRecord r : runs) {
                try {
                    store.remove(r.folder());
                } catch (RuntimeException e) {
                    problems.add(Fx.message(e));
                }
            }
            return problems;
        }, executor).handle((problems, failure) -> {
            Fx.run(() -> {
                if (failure != null || !problems.isEmpty()) {
                    status.error("Not removed: " + (failure != null ? Fx.message(failure) : String.join("; ", problems)));
                } else {
                    status.info(runs.size() + " run(s) moved to " + store.removedRoot() + " (move a folder back to restore "
                            + "it)");
                }
                refresh();
            });
            return null;
        });
    }

    /**
     * Loads a run's model for the drawing pad. Completes, on a worker thread, with the error the message will show
     * if it failed; the FX thread's update may still be on its way.
     */
    public CompletableFuture<java.util.Optional<String>> useModel(RunRecord run) {
        status.info("Loading the model of " + run.id() + "…");
        return CompletableFuture.supplyAsync(() -> new Predictor(
                RunStore.loadModel(run.folder().resolve(RunStore.MODEL_FILE)), run.summary().epochsCompleted()),
                executor).handle((predictor, failure) -> {
                    String problem = failure == null ? null : "Cannot use this model: " + Fx.message(failure);
                    Fx.run(() -> {
                        if (problem != null) {
                            status.error(problem);
                        } else {
                            draw.useSavedModel(predictor, modelDescription(run));
                            status.info("Model of " + run.id() + " is on the drawing pad");
                        }
                    });
                    return java.util.Optional.ofNullable(problem);
                });
    }

    /**
     * The drawing pad's line for a run's model: what it is and how good first, its id (which a study's member makes
     * long: "code4-48bc1fa8_base_seed5") last, where the pad's label may cut it.
     */
    public static String modelDescription(RunRecord run) {
        return "Saved run: " + run.config().name() + ", epoch " + run.summary().epochsCompleted() + ", "
                + Formats.percent(run.summary().lastTestAccuracy()) + " test · " + run.id();
    }

    /** A run's layer statistics, read on a worker (empty for a run from before they were recorded). */
    public CompletableFuture<List<dev.mnistdrill.train.LayerStat>> layerStats(RunRecord run) {
        return CompletableFuture.supplyAsync(() -> RunStore.readLayerStats(run.folder()), executor);
    }

    /** What a run's model's filters learned: the model is loaded on a worker. */
    public CompletableFuture<dev.mnistdrill.train.LearnedFilters> filters(RunRecord run) {
        return CompletableFuture.supplyAsync(() -> dev.mnistdrill.train.LearnedFilters.of(
                RunStore.loadModel(run.folder().resolve(RunStore.MODEL_FILE))), executor);
    }

    /** A run's layer statistics and its model's filters, for the report (filters null without a readable model). */
    public record RunInside(List<dev.mnistdrill.train.LayerStat> layerStats,
                            dev.mnistdrill.train.LearnedFilters filters) {
    }

    /** The layer statistics and filters of {@code runs}, by run id, read (models loaded) on a worker. */
    public CompletableFuture<Map<String, RunInside>> insideOf(List<RunRecord> runs) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, RunInside> inside = new HashMap<>();
            for (RunRecord r : runs) {
                dev.mnistdrill.train.LearnedFilters filters = null;
                if (r.hasModel()) {
                    try {
                        filters = dev.mnistdrill.train.LearnedFilters.of(
                                RunStore.loadModel(r.folder().resolve(RunStore.MODEL_FILE)));
                    } catch (RuntimeException e) {
                        // a broken model: the report goes without its filters
                    }
                }
                inside.put(r.id(), new RunInside(RunStore.readLayerStats(r.folder()), filters));
            }
            return inside;
        }, executor);
    }

    /** Confusion matrix and misclassified digits of a run's model on the 10,000 test digits. */
    public CompletableFuture<Void> evaluate(RunRecord run) {
        evaluating.set(true);
        status.info("Evaluating " + run.id() + " on the test set…");
        return data.load().thenApplyAsync(mnist -> {
            Predictor predictor = new Predictor(RunStore.loadModel(run.folder().resolve(RunStore.MODEL_FILE)), 0);
            Evaluation e = Evaluation.of(predictor, data.testBatches(mnist), () -> false);
            return new RunEvaluation(run, e, mnist);
        }, executor).handle((result, failure) -> {
            Fx.run(() -> {
                evaluating.set(false);
                if (failure != null) {
                    status.error("Cannot evaluate " + run.id() + ": " + Fx.message(failure));
                } else {
                    evaluation.set(result);
                    status.info(String.format(java.util.Locale.ROOT, "%s: %.2f%% on the test set, %d errors", run.id(),
                            100 * result.evaluation().accuracy(), result.evaluation().errors()));
                }
            });
            return null;
        });
    }

    /**
     * Writes the drill report for {@code runs} to {@code file}; {@code chartProblem} (or null) says why chart images
     * are missing, and stays in the message.
     */
    public CompletableFuture<Void> exportReport(List<RunRecord> runs, Path file, Map<String, String> charts,
                                                String chartProblem) {
        return exportReport(runs, file, MarkdownReport.Images.charts(charts), Map.of(), chartProblem);
    }

    /**
     * As {@link #exportReport(List, Path, Map, String)}, with each run's layer statistics and the images of its
     * layers and filters.
     */
    public CompletableFuture<Void> exportReport(List<RunRecord> runs, Path file, MarkdownReport.Images images,
                                                Map<String, List<dev.mnistdrill.train.LayerStat>> layerStats,
                                                String chartProblem) {
        MarkdownReport.Images copied = new MarkdownReport.Images(new HashMap<>(images.charts()),
                new HashMap<>(images.layers()), new HashMap<>(images.filters()));
        Map<String, List<dev.mnistdrill.train.LayerStat>> stats = new HashMap<>(layerStats);
        return CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(file, MarkdownReport.of(runs, copied, stats), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, executor).handle((ok, failure) -> {
            Fx.run(() -> {
                if (failure != null) {
                    status.error("Report not written: " + Fx.message(failure));
                } else if (chartProblem != null) {
                    status.error("Report with " + runs.size() + " run(s) written to " + file + ", but chart images not: "
                            + chartProblem);
                } else {
                    status.info("Report with " + runs.size() + " run(s) written to " + file);
                }
            });
            return null;
        });
    }

    /** What the tab says last: progress, results, and what failed. */
    public StatusMessage status() {
        return status;
    }

    /** Every stored run, newest first. */
    public ObservableList<RunRow> rows() {
        return rows;
    }

    /** The runs the filter lets through, in the order of {@link #rows()}. */
    public ObservableList<RunRow> shownRows() {
        return shownRows;
    }

    /** Words the shown runs must each contain, in their id, name, study or settings; case is ignored. */
    public javafx.beans.property.StringProperty filterTextProperty() {
        return filterText;
    }

    /** Whether runs trained by a study are listed (a five-seed study of a 4-value grid adds twenty). */
    public BooleanProperty showStudyRunsProperty() {
        return showStudyRuns;
    }

    /** Lifts the filter if it hides {@code row}, so that a run asked for by id (from a study, say) can be shown. */
    public void showRow(RunRow row) {
        if (!shownRows.contains(row) && row.record().study() != null) {
            showStudyRuns.set(true); // what the user typed stays if it shows the run
        }
        if (!shownRows.contains(row)) {
            filterText.set("");
        }
    }

    private static java.util.function.Predicate<RunRow> shownBy(String text, boolean studyRuns) {
        String[] words = text == null || text.isBlank() ? new String[0]
                : text.trim().toLowerCase(java.util.Locale.ROOT).split("\\s+");
        return row -> {
            RunRecord r = row.record();
            if (!studyRuns && r.study() != null) {
                return false;
            }
            if (words.length == 0) {
                return true;
            }
            String haystack = searchText(r);
            for (String w : words) {
                if (!haystack.contains(w)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** What the filter searches in a run: its id, name, study id, architecture and settings as the table shows them. */
    static String searchText(RunRecord r) {
        StringBuilder b = new StringBuilder(r.id());
        if (r.config() != null) {
            b.append(' ').append(r.config().name()).append(' ').append(r.config().architecture())
                    .append(' ').append(Formats.settings(r.config()));
        }
        if (r.study() != null) {
            b.append(' ').append(r.study().studyId());
        }
        return b.toString().toLowerCase(java.util.Locale.ROOT);
    }

    public ObservableList<RunRecord> overlays() {
        return overlays;
    }

    public ObjectProperty<RunRecord> openedProperty() {
        return opened;
    }

    public ReadOnlyObjectProperty<RunEvaluation> evaluationProperty() {
        return evaluation.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty evaluatingProperty() {
        return evaluating.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty refreshingProperty() {
        return refreshing.getReadOnlyProperty();
    }
}
