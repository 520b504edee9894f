package dev.mnistdrill.ui.view;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.DrillReport;
import dev.mnistdrill.train.Evaluation;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.ConfusionMatrixView;
import dev.mnistdrill.ui.control.DigitImages;
import dev.mnistdrill.ui.control.DigitTile;
import dev.mnistdrill.ui.control.FiltersView;
import dev.mnistdrill.ui.control.LayerStatsComparison;
import dev.mnistdrill.ui.control.MetricsCharts;
import javafx.scene.control.ComboBox;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.MarkdownReport;
import dev.mnistdrill.ui.vm.RunsViewModel;
import dev.mnistdrill.ui.vm.RunsViewModel.RunRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** The run store as a table, and the open run's write-up, charts, model and errors. */
public final class RunsController {
    /** Misclassified digits shown at most (MNIST test errors of a drill model are ~50-100). */
    static final int GALLERY_LIMIT = 150;

    private final WorkbenchContext context;
    private final RunsViewModel vm;
    private final javafx.collections.transformation.SortedList<RunRow> sortedRows;

    @FXML Button openButton;
    @FXML Button loadConfigButton;
    @FXML Button exportButton;
    @FXML Button removeButton;
    @FXML Label messageLabel;
    @FXML SplitPane split;
    @FXML TableView<RunRow> table;
    @FXML TableColumn<RunRow, Boolean> overlayColumn;
    @FXML TableColumn<RunRow, String> runColumn;
    @FXML TableColumn<RunRow, String> presetColumn;
    @FXML TableColumn<RunRow, String> statusColumn;
    @FXML TableColumn<RunRow, String> settingsColumn;
    @FXML TableColumn<RunRow, Long> paramsColumn;
    @FXML TableColumn<RunRow, Double> bestColumn;
    @FXML TableColumn<RunRow, Integer> firstColumn;
    @FXML TableColumn<RunRow, Boolean> heldColumn;
    @FXML TableColumn<RunRow, EpochCount> epochsColumn;
    @FXML TableColumn<RunRow, Double> durationColumn;
    @FXML VBox detail;
    @FXML Label detailTitle;
    @FXML Button useModelButton;
    @FXML Button evaluateButton;
    @FXML TabPane detailTabs;
    @FXML Tab errorsTab;
    @FXML TextArea targetArea;
    @FXML TextArea resultsArea;
    @FXML TextArea analysisArea;
    @FXML Button draftButton;
    @FXML Button saveNotesButton;
    @FXML Label dirtyLabel;
    @FXML MetricsCharts runCharts;
    @FXML CheckBox runZoomBox;
    @FXML Button saveRunPngButton;
    @FXML Tab layersTab;
    @FXML ComboBox<RunRecord> runCompareBox;
    @FXML Button runUncompareButton;
    @FXML Button saveLayersPngButton;
    @FXML LayerStatsComparison runLayers;
    @FXML Tab filtersTab;
    @FXML Label runFiltersLabel;
    @FXML Button saveFiltersPngButton;
    @FXML FiltersView runFilters;
    @FXML Label evaluationLabel;
    @FXML ConfusionMatrixView confusion;
    @FXML Label galleryLabel;
    @FXML TextField filterField;
    @FXML CheckBox studyRunsBox;
    @FXML Label shownLabel;
    @FXML Label placeholderLabel;
    @FXML FlowPane gallery;

    public RunsController(WorkbenchContext context) {
        this.context = context;
        this.vm = context.runs();
        this.sortedRows = new javafx.collections.transformation.SortedList<>(vm.shownRows());
    }

    @FXML
    void initialize() {
        // The table shows the rows through a sorted view: a refresh (after every epoch of a live run, a save, a
        // remove) rewrites the rows newest first, and sorting them in place was undone by it.
        sortedRows.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sortedRows);
        filterField.textProperty().bindBidirectional(vm.filterTextProperty());
        studyRunsBox.selectedProperty().bindBidirectional(vm.showStudyRunsProperty());
        filterField.setTooltip(new Tooltip("Shows the runs whose id, preset, architecture, settings or study contain "
                + "every word typed, e.g. \"code4 seed3\" or \"rot ±5\""));
        studyRunsBox.setTooltip(new Tooltip("List the runs that studies trained (they are also under the Studies "
                + "tab)"));
        var filtering = javafx.beans.binding.Bindings.size(vm.shownRows()).isNotEqualTo(
                javafx.beans.binding.Bindings.size(vm.rows()));
        shownLabel.textProperty().bind(javafx.beans.binding.Bindings.when(filtering)
                .then(javafx.beans.binding.Bindings.format("%d of %d", javafx.beans.binding.Bindings.size(
                        vm.shownRows()), javafx.beans.binding.Bindings.size(vm.rows())))
                .otherwise(""));
        placeholderLabel.textProperty().bind(javafx.beans.binding.Bindings.when(
                javafx.beans.binding.Bindings.isEmpty(vm.rows()))
                .then("No runs yet. Set up an experiment on the left and press Start training.")
                .otherwise("No run matches the filter."));
        // One line per run: a fixed row height spares the table measuring every cell when a live run's row
        // changes after an epoch (that measuring showed up as an 80 ms FX-thread stall during training).
        table.setFixedCellSize(24);
        table.setEditable(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        overlayColumn.setCellValueFactory(c -> c.getValue().overlayProperty());
        overlayColumn.setCellFactory(CheckBoxTableCell.forTableColumn(overlayColumn));
        overlayColumn.setEditable(true);
        // Cells follow their row's record: a live run's row is updated in place after each epoch, so the table
        // does not re-build every visible cell (a 119 ms frame with a few dozen runs, software-rendered). Numbers
        // sort as numbers ("10,240" after "6,560", "epoch 10" after "epoch 2"); runs without one come first when
        // ascending.
        column(runColumn, RunRecord::id, id -> id);
        column(presetColumn, r -> r.config().name() + (Presets.changes(r.config()).isEmpty() ? "" : " *"), p -> p);
        presetColumn.setCellFactory(c -> new PresetCell());
        column(statusColumn, vm::statusOf, s -> s);
        column(settingsColumn, r -> Formats.settings(r.config()), s -> s);
        column(paramsColumn, r -> r.summary().trainableParams(), Formats::count);
        column(bestColumn, r -> r.summary().epochsCompleted() == 0 ? null : r.summary().bestTestAccuracy(),
                Formats::percent);
        column(firstColumn, r -> r.summary().firstEpochAtTarget(), e -> Integer.toString(e)); // "epoch 10" did not fit
        column(heldColumn, r -> r.summary().targetHeld(), held -> held ? "yes" : "no");
        column(epochsColumn, r -> new EpochCount(r.summary().epochsCompleted(), r.summary().epochsPlanned()),
                EpochCount::toString);
        column(durationColumn, r -> r.summary().seconds(), Formats::duration);
        headerTip(overlayColumn, "Plot the run's curves (dashed) on the Training tab's charts");
        headerTip(presetColumn, "The preset the run was named after; * = settings changed from it (hover the cell)");
        headerTip(paramsColumn, "Trainable parameters, counted as PyTorch does (BatchNorm's running mean and "
                + "variance are not parameters); the budget is 10,000");
        headerTip(bestColumn, "Best test accuracy over the run's epochs");
        headerTip(firstColumn, "The first epoch with test accuracy of 99.4% or more");
        headerTip(heldColumn, "Test accuracy 99.4% or more in each of the last " + DrillCriterion.DEFAULT_LAST
                + " epochs of the run");
        headerTip(epochsColumn, "Epochs completed of those planned");
        headerTip(durationColumn, "Training time");
        table.setRowFactory(t -> {
            TableRow<RunRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    vm.openedProperty().set(row.getItem().record());
                }
            });
            return row;
        });
        var noSelection = table.getSelectionModel().selectedItemProperty().isNull();
        openButton.disableProperty().bind(noSelection);
        loadConfigButton.disableProperty().bind(noSelection.or(context.training().busyProperty()));
        exportButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.shownRows()));
        removeButton.disableProperty().bind(noSelection);
        removeButton.setTooltip(new Tooltip("Take the selected runs out of the table; their folders move to "
                + vm.store().removedRoot() + ", nothing is deleted"));

        Views.show(vm.status(), messageLabel);

        vm.openedProperty().addListener((o, was, now) -> show(now, was));
        vm.evaluationProperty().addListener((o, was, now) -> showEvaluation(now));
        confusion.pickedProperty().addListener((o, was, now) -> {
            if (vm.evaluationProperty().get() != null) {
                showErrors(vm.evaluationProperty().get(), now);
            }
        });
        // a run stopped before its first epoch ended has no model to use or evaluate
        evaluateButton.disableProperty().bind(vm.evaluatingProperty().or(openedHasModel.not()));
        useModelButton.disableProperty().bind(openedHasModel.not());
        runCharts.zoomedProperty().bind(runZoomBox.selectedProperty());
        saveRunPngButton.disableProperty().bind(vm.openedProperty().isNull());
        saveNotesButton.disableProperty().bind(vm.openedProperty().isNull());
        draftButton.disableProperty().bind(vm.openedProperty().isNull());
        targetArea.textProperty().addListener(o -> markDirty());
        analysisArea.textProperty().addListener(o -> markDirty());
        ComparedRun.wire(runCompareBox, runUncompareButton, runLayers, context, () -> {
            RunRecord open = vm.openedProperty().get();
            return open == null ? "" : open.id();
        });
        saveLayersPngButton.disableProperty().bind(vm.openedProperty().isNull());
        saveFiltersPngButton.disableProperty().bind(runFilters.shownProperty().isNull());
        detailTabs.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> showInside());
        show(null, null);
        vm.refresh();
    }

    /** What the Layers and Filters tabs show (run id and epochs), to read them only when the run changed. */
    private String layersShown = "";
    private String filtersShown = "";

    /**
     * Fills the Layers or Filters tab when it is the one showing and its run changed (a live run: after each
     * epoch), reading the statistics or loading the model on a worker.
     */
    private void showInside() {
        RunRecord run = vm.openedProperty().get();
        String key = run == null ? "" : run.id() + "@" + run.summary().epochsCompleted();
        // the selection model, not Tab.isSelected(): a tab learns it is selected after the selection's listeners
        Tab showing = detailTabs.getSelectionModel().getSelectedItem();
        if (showing == layersTab && !key.equals(layersShown)) {
            layersShown = key;
            if (run == null) {
                runLayers.primary().show(List.of(), 15, "", "Open a run to see its layer statistics.");
            } else {
                vm.layerStats(run).whenComplete((stats, failure) -> dev.mnistdrill.ui.vm.Fx.run(() -> {
                    if (!key.equals(layersShown)) {
                        return;
                    }
                    runLayers.primary().show(failure == null ? stats : List.of(), run.config().epochs(),
                            ComparedRun.label(run), failure != null ? "Cannot read the layer statistics: "
                            + dev.mnistdrill.ui.vm.Fx.message(failure) : "No layer statistics: this run was trained "
                            + "before they were recorded, or has no epoch yet.");
                }));
            }
        }
        if (showing == filtersTab && !key.equals(filtersShown)) {
            filtersShown = key;
            if (run == null || !run.hasModel()) {
                runFilters.show(null, run == null ? "Open a run to see what its filters learned."
                        : "This run has no model (stopped before its first epoch ended).");
                runFiltersLabel.setText("");
            } else {
                runFiltersLabel.setText("Loading the model of " + run.id() + "…");
                vm.filters(run).whenComplete((filters, failure) -> dev.mnistdrill.ui.vm.Fx.run(() -> {
                    if (!key.equals(filtersShown)) {
                        return;
                    }
                    runFilters.show(filters, failure == null ? null : "Cannot show the filters: "
                            + dev.mnistdrill.ui.vm.Fx.message(failure));
                    runFiltersLabel.setText(failure != null ? "" : "What the filters of " + run.id() + " learned "
                            + "(epoch " + run.summary().epochsCompleted() + "). Red weights are positive, blue "
                            + "negative; hover one for its numbers.");
                }));
            }
        }
    }

    @FXML
    void saveLayersPng() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            ChartImages.saveAs(runLayers, "Save the run's layer statistics as PNG",
                    "mnist-drill-" + r.id() + "-layers.png", "Layer statistics", context, vm.status());
        }
    }

    @FXML
    void saveFiltersPng() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            ChartImages.saveAs(runFilters, "Save the run's filters as PNG", "mnist-drill-" + r.id() + "-filters.png",
                    "Filters", context, vm.status());
        }
    }

    /** A run's epochs, completed of planned; sorts by those completed. */
    record EpochCount(int completed, int planned) implements Comparable<EpochCount> {
        @Override
        public int compareTo(EpochCount o) {
            int c = Integer.compare(completed, o.completed);
            return c != 0 ? c : Integer.compare(planned, o.planned);
        }

        @Override
        public String toString() {
            return completed + "/" + planned;
        }
    }

    /** Shows {@code value} of each row's run as {@code text} ("–" when there is none) and sorts by the value. */
    private static <T extends Comparable<? super T>> void column(TableColumn<RunRow, T> column,
                                                                 Function<RunRecord, T> value,
                                                                 Function<T, String> text) {
        column.setCellValueFactory(c -> c.getValue().recordProperty().map(value));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item == null ? "–" : text.apply(item));
            }
        });
        column.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    /** A header that explains itself on hover (its text moves into a label that can carry the tooltip). */
    private static void headerTip(TableColumn<RunRow, ?> column, String tip) {
        TableHeaders.tip(column, tip);
    }

    /** The preset's name, and on hover what the run changed from it. */
    private static final class PresetCell extends TableCell<RunRow, String> {
        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : item);
            RunRow row = empty || getTableRow() == null ? null : getTableRow().getItem();
            List<String> changes = row == null ? List.of() : Presets.changes(row.record().config());
            setTooltip(changes.isEmpty() ? null
                    : new Tooltip("Changed from " + row.record().config().name() + ":\n" + String.join("\n", changes)));
        }
    }

    private boolean showing;
    private final javafx.beans.property.BooleanProperty openedHasModel =
            new javafx.beans.property.SimpleBooleanProperty(this, "openedHasModel");

    private void markDirty() {
        RunRecord r = vm.openedProperty().get();
        if (showing || r == null) {
            return;
        }
        boolean dirty = !targetArea.getText().equals(MarkdownReport.target(r))
                || !analysisArea.getText().equals(MarkdownReport.analysis(r));
        dirtyLabel.setText(dirty ? "unsaved changes" : "");
    }

    /** Whether the open run's Target or Analysis has edits not saved yet. */
    public boolean notesDirty() {
        return !dirtyLabel.getText().isEmpty();
    }

    /**
     * Saves unsaved notes of {@code run} (the one the text areas show) before they are replaced or the window
     * closes: moving on never throws away what the user typed. Returns false when they were dirty and could not be
     * saved (the message says why; the text is still in the areas).
     */
    public boolean saveDirtyNotes(RunRecord run) {
        if (run == null || !notesDirty()) {
            return true;
        }
        boolean saved = vm.saveNotes(run, targetArea.getText(), analysisArea.getText());
        if (saved) {
            dirtyLabel.setText("");
        }
        return saved;
    }

    /** The open run's unsaved notes, if any, written before the window closes; false if that failed. */
    public boolean saveDirtyNotesNow() {
        return saveDirtyNotes(vm.openedProperty().get());
    }

    private void show(RunRecord run, RunRecord previous) {
        boolean sameRun = run != null && previous != null && run.id().equals(previous.id());
        if (!sameRun && previous != null && !saveDirtyNotes(previous)) {
            // Not saved (the message says why): go back to that run with the text as typed, a frame later (the
            // property is changing now), rather than replace the text.
            String target = targetArea.getText();
            String analysis = analysisArea.getText();
            javafx.application.Platform.runLater(() -> {
                vm.openedProperty().set(previous);
                targetArea.setText(target);
                analysisArea.setText(analysis);
            });
        }
        detail.setDisable(run == null);
        openedHasModel.set(run != null && run.hasModel());
        if (run == null) {
            showInside();
            detailTitle.setText("Open a run (double-click a row) to see its write-up, charts and errors");
            showing = true;
            targetArea.clear();
            resultsArea.clear();
            analysisArea.clear();
            showing = false;
            dirtyLabel.setText("");
            return;
        }
        detailTitle.setText(run.config().name() + " · " + run.id() + " · " + vm.statusOf(run)
                + (openedHasModel.get() ? "" : " · no model saved (stopped before its first epoch ended)"));
        resultsArea.setText(DrillReport.results(run.summary()));
        if (!sameRun || dirtyLabel.getText().isEmpty()) {
            // a refresh of the open run keeps what the user is typing
            showing = true;
            targetArea.setText(MarkdownReport.target(run));
            analysisArea.setText(run.notes().analysis() == null ? "" : run.notes().analysis());
            if (analysisArea.getText().isBlank()) {
                analysisArea.setText(MarkdownReport.analysis(run));
            }
            showing = false;
            dirtyLabel.setText("");
        }
        runCharts.showRun(run);
        showInside();
        if (!sameRun) {
            // zoomed where the drill happens, for a run that got there; the box lets the user see it all
            runZoomBox.setSelected(run.summary().bestTestAccuracy() >= 0.97);
            showEvaluation(vm.evaluationProperty().get());
        }
    }

    private void showEvaluation(RunsViewModel.RunEvaluation e) {
        gallery.getChildren().clear();
        if (e == null) {
            confusion.show(null);
            evaluationLabel.setText("Press \"Evaluate errors\" (above) to evaluate the run's model on the "
                + "10,000 test digits.");
            galleryLabel.setText("Misclassified test digits (true → predicted)");
            return;
        }
        Evaluation ev = e.evaluation();
        boolean cellWasPicked = confusion.pickedProperty().get() != null;
        confusion.show(ev.confusion()); // un-picks the cell, and so shows every error, if one was picked
        evaluationLabel.setText(String.format(Locale.ROOT, "Test accuracy %s · %d errors of %,d",
                Formats.percent(ev.accuracy()), ev.errors(), ev.actual().length));
        if (!cellWasPicked) {
            showErrors(e, null);
        }
        detailTabs.getSelectionModel().select(errorsTab);
    }

    /** The misclassified test digits, all or only those of one confusion cell ({true, predicted}). */
    private void showErrors(RunsViewModel.RunEvaluation e, int[] cell) {
        gallery.getChildren().clear();
        Evaluation ev = e.evaluation();
        int shown = 0;
        int matching = 0;
        for (int i = 0; i < ev.predicted().length; i++) {
            int actual = ev.actual()[i];
            int predicted = ev.predicted()[i];
            if (predicted == actual || cell != null && (actual != cell[0] || predicted != cell[1])) {
                continue;
            }
            matching++;
            if (shown < GALLERY_LIMIT) {
                DigitTile tile = new DigitTile(56);
                tile.set(DigitImages.of(e.data().test().image(i)), null, actual + " → " + predicted);
                tile.getStyleClass().add("error-tile");
                gallery.getChildren().add(tile);
                shown++;
            }
        }
        String which = cell == null ? "Misclassified test digits" : "Test digits " + cell[0] + " predicted as "
                + cell[1];
        galleryLabel.setText((matching > shown ? which + ", first " + shown + " of " + matching
                : which + ": all " + matching) + (cell == null ? " (true → predicted; click a red cell for one kind)"
                : " (click the cell again for every error)"));
    }

    @FXML
    void refresh() {
        vm.refresh();
    }

    /**
     * Opens the run {@code runId} and selects its row, as a double-click on it does (a study's seed on the Studies
     * tab). A run not listed yet (a study's run just finished) is looked for again after a re-read of the runs.
     * Completes on the FX thread with whether it was found.
     */
    public CompletableFuture<Boolean> reveal(String runId) {
        if (revealListed(runId)) {
            return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> found = new CompletableFuture<>();
        // the re-read's rows reach the FX thread in a turn of their own; this one is queued behind it
        vm.refresh().whenComplete((ok, e) -> javafx.application.Platform.runLater(() -> {
            boolean listed = revealListed(runId);
            if (!listed) {
                vm.status().error("Run " + runId + " is not in " + vm.store().root() + " (removed, or not trained yet)");
            }
            found.complete(listed);
        }));
        return found;
    }

    private boolean revealListed(String runId) {
        RunRow row = vm.rows().stream().filter(r -> r.record().id().equals(runId)).findFirst().orElse(null);
        if (row == null) {
            return false;
        }
        vm.showRow(row);
        vm.openedProperty().set(row.record());
        table.getSelectionModel().clearSelection();
        table.getSelectionModel().select(row);
        table.scrollTo(row);
        return true;
    }

    @FXML
    void open() {
        RunRow row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            vm.openedProperty().set(row.record());
        }
    }

    @FXML
    void removeRuns() {
        List<RunRecord> chosen = table.getSelectionModel().getSelectedItems().stream().map(RunRow::record).toList();
        if (chosen.isEmpty()) {
            return;
        }
        if (chosen.stream().anyMatch(r -> vm.statusOf(r).equals("training"))) {
            vm.status().error("A run in training cannot be removed; stop it first");
            return;
        }
        ButtonType remove = new ButtonType("Remove", ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, "Their folders move to " + vm.store().removedRoot()
                + ": nothing is deleted, and moving a folder back restores the run.", remove, ButtonType.CANCEL);
        ask.setTitle("Remove runs");
        List<String> ids = chosen.stream().map(RunRecord::id).toList();
        ask.setHeaderText(chosen.size() == 1 ? "Remove " + ids.get(0) + " from the runs?"
                : "Remove these " + chosen.size() + " runs?\n" + String.join("\n", ids.size() <= 12 ? ids
                : java.util.stream.Stream.concat(ids.stream().limit(11), java.util.stream.Stream.of(
                        "and " + (ids.size() - 11) + " more")).toList()));
        ask.initOwner(table.getScene().getWindow());
        if (ask.showAndWait().orElse(ButtonType.CANCEL) == remove) {
            remove(chosen);
        }
    }

    /**
     * Removes {@code runs}, after saving unsaved notes of the open one if it is among them; nothing is removed when
     * those notes cannot be saved.
     */
    public CompletableFuture<Void> remove(List<RunRecord> runs) {
        RunRecord open = vm.openedProperty().get();
        if (open != null && runs.stream().anyMatch(r -> r.id().equals(open.id()))) {
            if (!saveDirtyNotes(open)) {
                return CompletableFuture.completedFuture(null);
            }
            vm.openedProperty().set(null);
        }
        return vm.remove(runs);
    }

    @FXML
    void loadConfig() {
        RunRow row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            context.experiment().load(row.record().config());
            vm.status().info("Settings of " + row.record().id() + " loaded into the experiment form");
        }
    }

    @FXML
    void useModel() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            vm.useModel(r);
        }
    }

    @FXML
    void evaluate() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            vm.evaluate(r);
        }
    }

    @FXML
    void saveRunPng() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            ChartImages.saveAs(runCharts, "Save the run's charts as PNG", "mnist-drill-" + r.id() + ".png", "Charts",
                    context, vm.status());
        }
    }

    @FXML
    void draftAnalysis() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            analysisArea.setText(DrillReport.analysis(r.config(), r.summary(), r.epochs()));
        }
    }

    @FXML
    public void saveNotes() {
        RunRecord r = vm.openedProperty().get();
        if (r != null && vm.saveNotes(r, targetArea.getText(), analysisArea.getText())) {
            dirtyLabel.setText("");
        }
    }

    @FXML
    void exportReport() {
        List<RunRecord> runs = selectedOrAll();
        Path file = SaveDialog.markdown(table.getScene().getWindow(), "Export drill report", "drill-report.md");
        if (file != null) {
            exportReport(runs, file);
        }
    }

    /** The runs selected in the table, or all of them. */
    public List<RunRecord> selectedOrAll() {
        List<RunRow> rows = table.getSelectionModel().getSelectedItems().isEmpty() ? sortedRows
                : table.getSelectionModel().getSelectedItems();
        return rows.stream().map(RunRow::record).toList();
    }

    /**
     * Writes the Markdown report and, next to it, per run: its accuracy/loss/LR charts, its layer statistics and its
     * filters as PNGs (the last two when it has them).
     */
    public CompletableFuture<Void> exportReport(List<RunRecord> runs, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.md$", "");
        String css = table.getScene() == null || table.getScene().getStylesheets().isEmpty() ? null
                : table.getScene().getStylesheets().get(0);
        Map<String, String> charts = new HashMap<>();
        Map<String, String> layers = new HashMap<>();
        Map<String, String> filters = new HashMap<>();
        Map<String, List<dev.mnistdrill.train.LayerStat>> stats = new HashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        CompletableFuture<Void> rendered = new CompletableFuture<>();
        vm.status().info("Reading the runs' layer statistics and models…");
        vm.insideOf(runs).whenComplete((inside, failure) -> dev.mnistdrill.ui.vm.Fx.run(() -> {
            // One run's images per frame: rendering them all in one go held the FX thread for as many renders
            // (the window froze while a report of the whole drill was written).
            for (int i = 0; i < runs.size(); i++) {
                RunRecord r = runs.get(i);
                RunsViewModel.RunInside in = inside == null ? null : inside.get(r.id());
                String progress = "Drawing the images of run " + (i + 1) + " of " + runs.size() + "…";
                context.frames().submit(() -> {
                    vm.status().info(progress);
                    render(writes, charts, r.id(), dir, base + "-" + r.id() + ".png",
                            () -> ChartImages.render(r, css));
                    if (in != null && !in.layerStats().isEmpty()) {
                        stats.put(r.id(), in.layerStats());
                        render(writes, layers, r.id(), dir, base + "-" + r.id() + "-layers.png",
                                () -> ChartImages.renderLayers(r, in.layerStats(), css));
                    }
                    if (in != null && in.filters() != null) {
                        render(writes, filters, r.id(), dir, base + "-" + r.id() + "-filters.png",
                                () -> ChartImages.renderFilters(r, in.filters(), css));
                    }
                });
            }
            context.frames().submit(() -> rendered.complete(null));
        }));
        return rendered.thenCompose(x -> CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)))
                .handle((ok, e) -> e == null ? null : dev.mnistdrill.ui.vm.Fx.message(e))
                .thenCompose(chartProblem -> vm.exportReport(runs, file, new MarkdownReport.Images(charts, layers,
                        filters), stats, chartProblem));
    }

    /** Renders an image of a run (FX thread), saves it as {@code name} in {@code dir} and files it under the run. */
    private void render(List<CompletableFuture<Void>> writes, Map<String, String> names, String runId, Path dir,
                        String name, java.util.function.Supplier<javafx.scene.image.WritableImage> image) {
        try {
            writes.add(ChartImages.save(image.get(), dir.resolve(name), context));
            names.put(runId, name);
        } catch (RuntimeException e) {
            writes.add(CompletableFuture.failedFuture(e));
        }
    }

    public TableView<RunRow> table() {
        return table;
    }

    /** The open run's detail tabs; {@link #layersTab()} and {@link #filtersTab()} are two of them. */
    public TabPane detailTabs() {
        return detailTabs;
    }

    public Tab layersTab() {
        return layersTab;
    }

    public Tab filtersTab() {
        return filtersTab;
    }

    /** The open run's layer statistics (and a compared run's). */
    public LayerStatsComparison runLayers() {
        return runLayers;
    }

    public FiltersView runFilters() {
        return runFilters;
    }

    /** The open run's charts. */
    public MetricsCharts runCharts() {
        return runCharts;
    }

    private boolean tableShown = true;
    private final List<RunRow> selectedWhileHidden = new ArrayList<>();
    private RunRow topRowWhileHidden;
    private final List<TableColumn<RunRow, ?>> sortWhileHidden = new ArrayList<>();

    /**
     * Follows whether the Runs tab is showing. A hidden tab is still laid out, and a live run's new row shifts
     * every row down, which re-computes every visible cell: a 56-67 ms frame at the start of each run, measured.
     * So the table lets go of its rows while hidden and takes them back, with selection and scroll position, when
     * shown: the work happens once, when the user opens the tab.
     */
    public void setTableShown(boolean shown) {
        if (shown == tableShown) {
            return;
        }
        tableShown = shown;
        if (!shown) {
            selectedWhileHidden.clear();
            selectedWhileHidden.addAll(table.getSelectionModel().getSelectedItems());
            topRowWhileHidden = topVisibleRow();
            sortWhileHidden.clear();
            sortWhileHidden.addAll(table.getSortOrder()); // setItems clears the user's column sort
            table.setItems(javafx.collections.FXCollections.emptyObservableList());
            return;
        }
        table.setItems(sortedRows);
        table.getSortOrder().setAll(sortWhileHidden);
        for (RunRow row : selectedWhileHidden) {
            if (sortedRows.contains(row)) {
                table.getSelectionModel().select(row);
            }
        }
        int top = topRowWhileHidden == null ? -1 : sortedRows.indexOf(topRowWhileHidden);
        // At the top before: stay at the top, where a new run appears.
        table.scrollTo(Math.max(top, 0));
        selectedWhileHidden.clear();
        topRowWhileHidden = null;
    }

    private RunRow topVisibleRow() {
        if (table.lookup(".virtual-flow") instanceof javafx.scene.control.skin.VirtualFlow<?> flow
                && flow.getFirstVisibleCell() != null) {
            int index = flow.getFirstVisibleCell().getIndex();
            return index > 0 && index < table.getItems().size() ? table.getItems().get(index) : null;
        }
        return null;
    }
}
