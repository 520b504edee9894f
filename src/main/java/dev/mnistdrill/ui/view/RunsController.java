package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.DrillReport;
import dev.mnistdrill.train.Evaluation;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.ConfusionMatrixView;
import dev.mnistdrill.ui.control.DigitImages;
import dev.mnistdrill.ui.control.DigitTile;
import dev.mnistdrill.ui.control.MetricsCharts;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.MarkdownReport;
import dev.mnistdrill.ui.vm.RunsViewModel;
import dev.mnistdrill.ui.vm.RunsViewModel.RunRow;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.cell.CheckBoxTableCell;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/** The run store as a table, and the open run's write-up, charts, model and errors. */
public final class RunsController {
    /** Misclassified digits shown at most (MNIST test errors of a drill model are ~50-100). */
    static final int GALLERY_LIMIT = 150;

    private final WorkbenchContext context;
    private final RunsViewModel vm;

    @FXML Button openButton;
    @FXML Button loadConfigButton;
    @FXML Button exportButton;
    @FXML Label messageLabel;
    @FXML SplitPane split;
    @FXML TableView<RunRow> table;
    @FXML TableColumn<RunRow, Boolean> overlayColumn;
    @FXML TableColumn<RunRow, String> runColumn;
    @FXML TableColumn<RunRow, String> presetColumn;
    @FXML TableColumn<RunRow, String> statusColumn;
    @FXML TableColumn<RunRow, String> settingsColumn;
    @FXML TableColumn<RunRow, String> paramsColumn;
    @FXML TableColumn<RunRow, String> bestColumn;
    @FXML TableColumn<RunRow, String> firstColumn;
    @FXML TableColumn<RunRow, String> heldColumn;
    @FXML TableColumn<RunRow, String> epochsColumn;
    @FXML TableColumn<RunRow, String> durationColumn;
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
    @FXML Label evaluationLabel;
    @FXML ConfusionMatrixView confusion;
    @FXML Label galleryLabel;
    @FXML FlowPane gallery;

    public RunsController(WorkbenchContext context) {
        this.context = context;
        this.vm = context.runs();
    }

    @FXML
    void initialize() {
        table.setItems(vm.rows());
        // One line per run: a fixed row height spares the table measuring every cell when a live run's row
        // changes after an epoch (that measuring showed up as an 80 ms FX-thread stall during training).
        table.setFixedCellSize(24);
        table.setEditable(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        overlayColumn.setCellValueFactory(c -> c.getValue().overlayProperty());
        overlayColumn.setCellFactory(CheckBoxTableCell.forTableColumn(overlayColumn));
        overlayColumn.setEditable(true);
        // Cells follow their row's record: a live run's row is updated in place after each epoch, so the table
        // does not re-build every visible cell (a 119 ms frame with a few dozen runs, software-rendered).
        runColumn.setCellValueFactory(c -> shown(c.getValue(), RunRecord::id));
        presetColumn.setCellValueFactory(c -> shown(c.getValue(), r -> r.config().name()));
        statusColumn.setCellValueFactory(c -> shown(c.getValue(), vm::statusOf));
        settingsColumn.setCellValueFactory(c -> shown(c.getValue(), r -> Formats.settings(r.config())));
        paramsColumn.setCellValueFactory(c -> shown(c.getValue(), r -> Formats.count(r.summary().trainableParams())));
        bestColumn.setCellValueFactory(c -> shown(c.getValue(), r -> r.summary().epochsCompleted() == 0 ? "–"
                : Formats.percent(r.summary().bestTestAccuracy())));
        firstColumn.setCellValueFactory(c -> shown(c.getValue(), r -> r.summary().firstEpochAtTarget() == null ? "–"
                : "epoch " + r.summary().firstEpochAtTarget()));
        heldColumn.setCellValueFactory(c -> shown(c.getValue(), r -> r.summary().targetHeld() ? "yes" : "no"));
        epochsColumn.setCellValueFactory(c -> shown(c.getValue(),
                r -> r.summary().epochsCompleted() + "/" + r.summary().epochsPlanned()));
        durationColumn.setCellValueFactory(c -> shown(c.getValue(), r -> Formats.duration(r.summary().seconds())));
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
        exportButton.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.rows()));

        messageLabel.textProperty().bind(vm.messageProperty());
        vm.messageIsErrorProperty().addListener((o, was, now) -> {
            messageLabel.getStyleClass().remove("error");
            if (now) {
                messageLabel.getStyleClass().add("error");
            }
        });

        vm.openedProperty().addListener((o, was, now) -> show(now, was));
        vm.evaluationProperty().addListener((o, was, now) -> showEvaluation(now));
        evaluateButton.disableProperty().bind(vm.evaluatingProperty().or(vm.openedProperty().isNull()));
        useModelButton.disableProperty().bind(vm.openedProperty().isNull());
        saveNotesButton.disableProperty().bind(vm.openedProperty().isNull());
        draftButton.disableProperty().bind(vm.openedProperty().isNull());
        targetArea.textProperty().addListener(o -> markDirty());
        analysisArea.textProperty().addListener(o -> markDirty());
        show(null, null);
        vm.refresh();
    }

    private static javafx.beans.value.ObservableValue<String> shown(RunRow row,
                                                                     java.util.function.Function<RunRecord, String> f) {
        return row.recordProperty().map(f);
    }

    private boolean showing;

    private void markDirty() {
        RunRecord r = vm.openedProperty().get();
        if (showing || r == null) {
            return;
        }
        boolean dirty = !targetArea.getText().equals(MarkdownReport.target(r))
                || !analysisArea.getText().equals(MarkdownReport.analysis(r));
        dirtyLabel.setText(dirty ? "unsaved changes" : "");
    }

    private void show(RunRecord run, RunRecord previous) {
        boolean sameRun = run != null && previous != null && run.id().equals(previous.id());
        detail.setDisable(run == null);
        if (run == null) {
            detailTitle.setText("Open a run (double-click a row) to see its write-up, charts and errors");
            showing = true;
            targetArea.clear();
            resultsArea.clear();
            analysisArea.clear();
            showing = false;
            dirtyLabel.setText("");
            return;
        }
        detailTitle.setText(run.config().name() + " · " + run.id() + " · " + vm.statusOf(run));
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
        runCharts.zoomedProperty().set(run.summary().bestTestAccuracy() >= 0.97);
        if (!sameRun) {
            showEvaluation(vm.evaluationProperty().get());
        }
    }

    private void showEvaluation(RunsViewModel.RunEvaluation e) {
        gallery.getChildren().clear();
        if (e == null) {
            confusion.show(null);
            evaluationLabel.setText("Press \"Confusion matrix & errors\" to evaluate the run's model on the "
                    + "10,000 test digits.");
            galleryLabel.setText("Misclassified test digits (true → predicted)");
            return;
        }
        Evaluation ev = e.evaluation();
        confusion.show(ev.confusion());
        evaluationLabel.setText(String.format(Locale.ROOT, "Test accuracy %s · %d errors of %,d",
                Formats.percent(ev.accuracy()), ev.errors(), ev.actual().length));
        int shown = 0;
        for (int i = 0; i < ev.predicted().length && shown < GALLERY_LIMIT; i++) {
            if (ev.predicted()[i] != ev.actual()[i]) {
                DigitTile tile = new DigitTile(56);
                tile.set(DigitImages.of(e.data().test().image(i)), null, ev.actual()[i] + " → " + ev.predicted()[i]);
                tile.getStyleClass().add("error-tile");
                gallery.getChildren().add(tile);
                shown++;
            }
        }
        galleryLabel.setText(ev.errors() > shown ? "Misclassified test digits, first " + shown + " of " + ev.errors()
                + " (true → predicted)" : "Misclassified test digits: all " + ev.errors() + " (true → predicted)");
        detailTabs.getSelectionModel().select(errorsTab);
    }

    @FXML
    void refresh() {
        vm.refresh();
    }

    @FXML
    void open() {
        RunRow row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            vm.openedProperty().set(row.record());
        }
    }

    @FXML
    void loadConfig() {
        RunRow row = table.getSelectionModel().getSelectedItem();
        if (row != null) {
            context.experiment().load(row.record().config());
            vm.info("Settings of " + row.record().id() + " loaded into the experiment form");
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
    void draftAnalysis() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            analysisArea.setText(DrillReport.analysis(r.config(), r.summary(), r.epochs()));
        }
    }

    @FXML
    void saveNotes() {
        RunRecord r = vm.openedProperty().get();
        if (r != null) {
            dirtyLabel.setText("");
            vm.saveNotes(r, targetArea.getText(), analysisArea.getText());
        }
    }

    @FXML
    void exportReport() {
        List<RunRecord> runs = selectedOrAll();
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export drill report");
        chooser.setInitialFileName("drill-report.md");
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Markdown", "*.md"));
        File file = chooser.showSaveDialog(table.getScene().getWindow());
        if (file != null) {
            exportReport(runs, file.toPath());
        }
    }

    /** The runs selected in the table, or all of them. */
    public List<RunRecord> selectedOrAll() {
        List<RunRow> rows = table.getSelectionModel().getSelectedItems().isEmpty() ? vm.rows()
                : table.getSelectionModel().getSelectedItems();
        return rows.stream().map(RunRow::record).toList();
    }

    /** Writes the Markdown report and one accuracy/loss/LR chart PNG per run next to it. */
    public CompletableFuture<Void> exportReport(List<RunRecord> runs, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.md$", "");
        String css = table.getScene() == null || table.getScene().getStylesheets().isEmpty() ? null
                : table.getScene().getStylesheets().get(0);
        Map<String, String> charts = new HashMap<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (RunRecord r : runs) {
            String name = base + "-" + r.id() + ".png";
            WritableImage image = ChartImages.render(r, css);
            writes.add(ChartImages.save(image, dir.resolve(name), context));
            charts.put(r.id(), name);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .exceptionally(e -> {
                    dev.mnistdrill.ui.vm.Fx.run(() -> vm.error("Chart images not written: "
                            + dev.mnistdrill.ui.vm.Fx.message(e)));
                    return null;
                })
                .thenCompose(x -> vm.exportReport(runs, file, charts));
    }

    public TableView<RunRow> table() {
        return table;
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
        table.setItems(vm.rows());
        table.getSortOrder().setAll(sortWhileHidden);
        for (RunRow row : selectedWhileHidden) {
            if (vm.rows().contains(row)) {
                table.getSelectionModel().select(row);
            }
        }
        int top = topRowWhileHidden == null ? -1 : vm.rows().indexOf(topRowWhileHidden);
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
