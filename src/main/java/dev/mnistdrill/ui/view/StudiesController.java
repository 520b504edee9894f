package dev.mnistdrill.ui.view;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.StudyVerdict;
import dev.mnistdrill.train.StudyVerdict.SeedResult;
import dev.mnistdrill.train.StudyVerdict.SettingVerdict;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.BandChart;
import dev.mnistdrill.ui.control.Palette;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.MarkdownReport;
import dev.mnistdrill.ui.vm.Fx;
import dev.mnistdrill.ui.vm.StudiesViewModel;
import dev.mnistdrill.ui.vm.StudiesViewModel.StudyRow;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.SortedList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The stored studies; for the selected one its bands across seeds (beside another study's, to compare), its k-of-N
 * verdict per setting, its settings and their seeds; and the study in training, with Stop and Resume.
 */
public final class StudiesController {
    /** Width and height of the band chart written beside a report. */
    static final double REPORT_CHART_WIDTH = 1100;
    static final double REPORT_CHART_HEIGHT = 620;
    private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ROOT);

    private final WorkbenchContext context;
    private final StudiesViewModel vm;
    private final SortedList<StudyRow> sortedStudies;
    private final ObservableList<SettingVerdict> settings = FXCollections.observableArrayList();
    private final SortedList<SettingVerdict> sortedSettings = new SortedList<>(settings);
    private final ObservableList<SeedResult> seeds = FXCollections.observableArrayList();
    private final SortedList<SeedResult> sortedSeeds = new SortedList<>(seeds);
    /** Header labels whose text names the criterion's K ("Worst last-3"). */
    private final Map<TableColumn<?, ?>, Label> headers = new HashMap<>();
    private Consumer<String> openRun = id -> { };
    private boolean syncing;

    @FXML Button studyRefreshButton;
    @FXML Button studyResumeButton;
    @FXML Button studyStopButton;
    @FXML Button studyExportButton;
    @FXML Label studyMessage;
    @FXML GridPane studyProgressCard;
    @FXML ProgressBar studyProgressBar;
    @FXML Label studySpeedLabel;
    @FXML Label studyProgressTitle;
    @FXML Label studyEtaLabel;
    @FXML TableView<StudyRow> studiesTable;
    @FXML TableColumn<StudyRow, String> studyIdColumn;
    @FXML TableColumn<StudyRow, String> studyNameColumn;
    @FXML TableColumn<StudyRow, String> studyVariesColumn;
    @FXML TableColumn<StudyRow, String> studyStatusColumn;
    @FXML TableColumn<StudyRow, RunCount> studyRunsColumn;
    @FXML TableColumn<StudyRow, HeldCount> studyBestColumn;
    @FXML TableColumn<StudyRow, String> studyBestSettingColumn;
    @FXML TableColumn<StudyRow, String> studyCreatedColumn;
    @FXML VBox studyDetail;
    @FXML Label studyTitle;
    @FXML Label studySubtitle;
    @FXML FlowPane verdictBadges;
    @FXML ComboBox<String> compareBox;
    @FXML Button compareClearButton;
    @FXML CheckBox bandZoomBox;
    @FXML Button saveBandPngButton;
    @FXML BandChart bandChart;
    @FXML TableView<SettingVerdict> settingsTable;
    @FXML TableColumn<SettingVerdict, String> settingColumn;
    @FXML TableColumn<SettingVerdict, HeldCount> settingHeldColumn;
    @FXML TableColumn<SettingVerdict, HeldCount> settingHeldStrictColumn;
    @FXML TableColumn<SettingVerdict, Double> settingWorstColumn;
    @FXML TableColumn<SettingVerdict, Double> settingMeanColumn;
    @FXML TableColumn<SettingVerdict, Double> settingFirstColumn;
    @FXML TableColumn<SettingVerdict, Long> settingParamsColumn;
    @FXML TableColumn<SettingVerdict, Double> settingTimeColumn;
    @FXML Label seedsTitle;
    @FXML TableView<SeedResult> seedsTable;
    @FXML TableColumn<SeedResult, Long> seedColumn;
    @FXML TableColumn<SeedResult, String> seedStatusColumn;
    @FXML TableColumn<SeedResult, String> seedHeldColumn;
    @FXML TableColumn<SeedResult, String> seedLastColumn;
    @FXML TableColumn<SeedResult, Integer> seedFirstColumn;
    @FXML TableColumn<SeedResult, Double> seedTimeColumn;
    @FXML Button openMemberButton;

    public StudiesController(WorkbenchContext context) {
        this.context = context;
        this.vm = context.studies();
        this.sortedStudies = new SortedList<>(vm.studies());
    }

    /** Held on {@code held} of {@code of} seeds; sorts by the share, then by the count. */
    record HeldCount(int held, int of) implements Comparable<HeldCount> {
        @Override
        public int compareTo(HeldCount o) {
            int c = Double.compare(of == 0 ? 0 : held / (double) of, o.of == 0 ? 0 : o.held / (double) o.of);
            return c != 0 ? c : Integer.compare(held, o.held);
        }

        @Override
        public String toString() {
            return held + "/" + of;
        }
    }

    /** Runs done of those planned; sorts by those done. */
    record RunCount(int done, int planned) implements Comparable<RunCount> {
        @Override
        public int compareTo(RunCount o) {
            int c = Integer.compare(done, o.done);
            return c != 0 ? c : Integer.compare(planned, o.planned);
        }

        @Override
        public String toString() {
            return done + "/" + planned;
        }
    }

    @FXML
    void initialize() {
        initStudiesTable();
        initSettingsTable();
        initSeedsTable();

        Views.show(vm.status(), studyMessage);

        // the study in training: its progress, and Stop; Resume for a study with runs still to train
        studyProgressCard.visibleProperty().bind(vm.busyProperty());
        studyProgressCard.managedProperty().bind(studyProgressCard.visibleProperty());
        studyProgressBar.progressProperty().bind(vm.fractionDoneProperty());
        studySpeedLabel.textProperty().bind(vm.speedTextProperty());
        studyEtaLabel.textProperty().bind(vm.etaTextProperty());
        studyProgressTitle.textProperty().bind(Bindings.createStringBinding(() -> (vm.activeIdProperty().get() == null
                ? "" : vm.activeIdProperty().get() + ": ") + vm.progressTextProperty().get(),
                vm.activeIdProperty(), vm.progressTextProperty()));
        studyStopButton.disableProperty().bind(vm.stateProperty().isNotEqualTo(StudiesViewModel.State.RUNNING)
                .and(vm.stateProperty().isNotEqualTo(StudiesViewModel.State.STARTING)));
        studyStopButton.setTooltip(new Tooltip("Stop the study: each run in training ends after its batch and keeps "
                + "its epochs; Resume trains what is missing"));
        studyResumeButton.disableProperty().bind(vm.resumableProperty().not());
        studyResumeButton.setTooltip(new Tooltip("Train the selected study's missing runs: the same settings and "
                + "seeds again; completed runs are kept, unfinished ones are set aside and trained anew"));
        vm.stateProperty().addListener((o, was, now) -> studiesTable.refresh()); // the status says "training"

        // the selected study and the one it is compared with
        studyDetail.disableProperty().bind(vm.selectedProperty().isNull());
        studyExportButton.disableProperty().bind(vm.selectedProperty().isNull());
        saveBandPngButton.disableProperty().bind(vm.selectedProperty().isNull());
        vm.selectedProperty().addListener((o, was, now) -> showSelected(was, now));
        vm.comparedProperty().addListener((o, was, now) -> {
            syncCompareBox();
            draw();
        });
        initCompareBox();
        bandChart.zoomedProperty().bind(bandZoomBox.selectedProperty());
        bandZoomBox.setText(BandChart.zoomLabel(DrillCriterion.TARGET));
        bandZoomBox.setTooltip(new Tooltip("Where the drill is decided; untick to see the whole range"));
        showSelected(null, vm.selectedProperty().get());
        vm.refresh();
    }

    private void initStudiesTable() {
        sortedStudies.comparatorProperty().bind(studiesTable.comparatorProperty());
        studiesTable.setItems(sortedStudies);
        studiesTable.setFixedCellSize(24);
        studiesTable.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        column(studyIdColumn, StudyRow::id, id -> id);
        column(studyNameColumn, StudyRow::name, n -> n);
        column(studyVariesColumn, r -> varies(r.spec()), v -> v);
        column(studyStatusColumn, vm::statusOf, s -> s);
        column(studyRunsColumn, r -> new RunCount(r.runsDone(), r.runsPlanned()), RunCount::toString);
        column(studyBestColumn, r -> r.best() == null ? null : held(r.best()), HeldCount::toString);
        column(studyBestSettingColumn, r -> r.best() == null ? null : r.best().label(), s -> s);
        column(studyCreatedColumn, r -> r.manifest().created(), StudiesController::created);
        headerTip(studyNameColumn, "The experiment's name (a preset's, or your own); the study's id adds a hash of "
                + "what it trains, so that the same study started again is resumed, not repeated");
        headerTip(studyVariesColumn, "What the study trains: the knobs its grid varies, on which seeds");
        headerTip(studyRunsColumn, "Runs completed of those the study plans (settings × seeds)");
        headerTip(studyBestColumn, "The best setting's verdict: on how many seeds the target held");
        // Rows are replaced when a study is re-read; the selection follows the study, not the row object.
        studiesTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!syncing && now != null) {
                vm.selectedIdProperty().set(now.id());
            }
        });
        vm.studies().addListener((ListChangeListener<StudyRow>) c -> selectInTable(vm.selectedIdProperty().get()));
        vm.selectedIdProperty().addListener((o, was, now) -> selectInTable(now));
    }

    private void selectInTable(String id) {
        syncing = true;
        try {
            StudyRow row = sortedStudies.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
            if (row == null) {
                studiesTable.getSelectionModel().clearSelection();
            } else if (studiesTable.getSelectionModel().getSelectedItem() != row) {
                studiesTable.getSelectionModel().select(row);
            }
        } finally {
            syncing = false;
        }
    }

    private void initSettingsTable() {
        sortedSettings.comparatorProperty().bind(settingsTable.comparatorProperty());
        settingsTable.setItems(sortedSettings);
        settingsTable.setFixedCellSize(24);
        column(settingColumn, SettingVerdict::label, s -> s);
        column(settingHeldColumn, StudiesController::held, HeldCount::toString);
        column(settingHeldStrictColumn, s -> new HeldCount(s.heldStrict(), s.seedsPlanned()), HeldCount::toString);
        column(settingWorstColumn, s -> number(s.worstLastK()), Formats::percent);
        column(settingMeanColumn, s -> number(s.meanLastK()), Formats::percent);
        // a setting none of whose seeds reached the target sorts after any epoch; one with no seed done, first
        column(settingFirstColumn, s -> s.complete() == 0 ? null : s.medianFirstEpoch() == null
                ? Double.POSITIVE_INFINITY : s.medianFirstEpoch(), StudiesController::epoch);
        column(settingParamsColumn, SettingVerdict::trainableParams, Formats::count);
        column(settingTimeColumn, s -> number(s.meanSeconds()), Formats::duration);
        headerTip(settingColumn, "The knob values of the setting (\"base\": the experiment as it is)");
        headerTip(settingParamsColumn, "Trainable parameters, counted as PyTorch does; the budget is fewer than "
                + Formats.count(DrillCriterion.PARAM_BUDGET));
        headerTip(settingTimeColumn, "Mean\ntime", "Mean training time of the setting's completed seeds");
        nameHeadersFor(DrillCriterion.STANDARD);
        settingsTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!syncing) {
                showSeeds();
                bandChart.highlight(now == null ? Set.of() : Set.of(now.label()));
            }
        });
    }

    /** Headers that name the criterion: "Worst last-3" and their tooltips, for the study shown. */
    private void nameHeadersFor(DrillCriterion c) {
        int k = c.lastEpochs();
        String target = DrillCriterion.percent(c.target()) + "%";
        headerTip(settingHeldColumn, "Held", "Seeds on which the target held: " + c.describe() + ", of the seeds "
                + "planned (green: all, amber: some, red: none)");
        headerTip(settingHeldStrictColumn, "Held\nlast-" + DrillCriterion.STRICT_LAST, "The same target over the last "
                + DrillCriterion.STRICT_LAST + " epochs: the stricter reading, reported beside");
        headerTip(settingWorstColumn, "Worst\nlast-" + k, "The lowest test accuracy in the last " + k
                + " epochs of any completed seed");
        headerTip(settingMeanColumn, "Mean\nlast-" + k, "The mean test accuracy of the last " + k + " epochs over "
                + "the completed seeds");
        headerTip(settingFirstColumn, "1st ≥\n" + target, "The median over seeds of the first epoch with test "
                + "accuracy of " + target + " or more");
        headerTip(seedLastColumn, "Last " + k + "\n(%)", "Test accuracy in the seed's last " + k + " epochs");
        headerTip(seedFirstColumn, "1st ≥\n" + target, "The first epoch with test accuracy of " + target + " or more");
        headerTip(seedHeldColumn, "Held", c.describe() + "; \"–\" while the run is not complete");
    }

    private void initSeedsTable() {
        sortedSeeds.comparatorProperty().bind(seedsTable.comparatorProperty());
        seedsTable.setItems(sortedSeeds);
        seedsTable.setFixedCellSize(24);
        column(seedColumn, SeedResult::seed, s -> Long.toString(s));
        column(seedStatusColumn, s -> !s.complete() && trainingHere() ? "training" : seedStatus(s.status()),
                s -> s);
        column(seedHeldColumn, s -> s.complete() ? (s.held() ? "yes" : "no") : null, s -> s);
        column(seedLastColumn, s -> s.lastK().stream().map(a -> String.format(Locale.ROOT, "%.2f", 100 * a))
                .collect(Collectors.joining("  ")), s -> s);
        // a complete seed that never reached the target sorts after any epoch
        column(seedFirstColumn, s -> s.firstEpochAtTarget() != null ? s.firstEpochAtTarget() : s.complete()
                ? Integer.MAX_VALUE : null, e -> e == Integer.MAX_VALUE ? "never" : Integer.toString(e));
        column(seedTimeColumn, SeedResult::seconds, Formats::duration);
        seedsTable.setRowFactory(t -> {
            TableRow<SeedResult> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    openRun.accept(row.getItem().runId());
                }
            });
            row.itemProperty().addListener((o, was, now) -> row.setTooltip(now == null ? null
                    : new Tooltip("Run " + now.runId() + "\nDouble-click to open it in the Runs tab")));
            return row;
        });
        openMemberButton.disableProperty().bind(seedsTable.getSelectionModel().selectedItemProperty().isNull());
        openMemberButton.setTooltip(new Tooltip("Opens the selected seed's run in the Runs tab, as a double-click on "
                + "the seed does"));
        Tooltip titleTip = new Tooltip();
        titleTip.textProperty().bind(seedsTitle.textProperty());
        seedsTitle.setTooltip(titleTip); // a long setting's title may be cut beside the button
    }

    /**
     * The study to compare with, by id. The box holds ids, and its list is rebuilt only when the studies or the
     * selection change what it offers: a list of rows, re-read after every finished run, made the box drop its value
     * (and the comparison with it) at each re-read.
     */
    private void initCompareBox() {
        compareBox.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(String id, boolean empty) {
                super.updateItem(id, empty);
                setText(empty || id == null ? null : describeForChoice(id));
            }
        });
        compareBox.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(String id, boolean empty) {
                super.updateItem(id, empty);
                setText(empty || id == null ? compareBox.getPromptText() : describeForChoice(id));
            }
        });
        compareBox.valueProperty().addListener((o, was, now) -> {
            if (!syncing) {
                vm.compareIdProperty().set(now);
            }
        });
        vm.studies().addListener((ListChangeListener<StudyRow>) c -> offerComparisons());
        vm.selectedIdProperty().addListener((o, was, now) -> offerComparisons());
        offerComparisons();
        compareBox.setTooltip(new Tooltip("Draw another study's bands beside this one's, in other colours (dashed)"));
        compareClearButton.visibleProperty().bind(vm.comparedProperty().isNotNull());
        compareClearButton.setTooltip(new Tooltip("Stop comparing"));
    }

    /** Every study but the one shown, as the box's choices; the comparison chosen stays chosen. */
    private void offerComparisons() {
        String selected = vm.selectedIdProperty().get();
        List<String> ids = vm.studies().stream().map(StudyRow::id).filter(id -> !id.equals(selected)).toList();
        syncing = true;
        try {
            if (!ids.equals(compareBox.getItems())) {
                compareBox.getItems().setAll(ids);
            }
            // set again, so that the box shows the study as just re-read (its k/N may have changed)
            compareBox.setValue(null);
            compareBox.setValue(vm.compareIdProperty().get());
        } finally {
            syncing = false;
        }
    }

    private String describeForChoice(String id) {
        return vm.studies().stream().filter(r -> r.id().equals(id)).findFirst()
                .map(StudiesController::describeForChoice).orElse(id);
    }

    private static String describeForChoice(StudyRow r) {
        SettingVerdict best = r.best();
        return r.id() + (best == null ? "" : " · " + best.heldRatio() + " held");
    }

    private void syncCompareBox() {
        String now = vm.compareIdProperty().get();
        if (!java.util.Objects.equals(compareBox.getValue(), now)) {
            syncing = true;
            try {
                compareBox.setValue(now);
            } finally {
                syncing = false;
            }
        }
    }

    /** Shows the selected study (a new one, or the same one re-read): title, badges, chart, settings, seeds. */
    private void showSelected(StudyRow was, StudyRow row) {
        boolean sameStudy = was != null && row != null && was.id().equals(row.id());
        if (row == null) {
            studyTitle.setText("Select a study to see its verdict and bands");
            studySubtitle.setText("");
            verdictBadges.getChildren().clear();
        } else {
            StudyVerdict v = row.verdict();
            studyTitle.setText(row.name() + " · " + row.id());
            StudySpec spec = row.spec();
            studySubtitle.setText(String.format(Locale.ROOT, "%d setting%s × %d seed%s · %d of %d runs done · %s · "
                            + "judged on %s", spec.settings().size(), spec.settings().size() == 1 ? "" : "s",
                    spec.seeds().size(), spec.seeds().size() == 1 ? "" : "s", row.runsDone(), row.runsPlanned(),
                    vm.statusOf(row), v.criterion().describe()));
            showBadges(row);
            nameHeadersFor(v.criterion());
        }
        String selectedSetting = settingsTable.getSelectionModel().getSelectedItem() == null ? null
                : settingsTable.getSelectionModel().getSelectedItem().label();
        syncing = true;
        try {
            settings.setAll(row == null ? List.of() : row.verdict().settings());
            if (sameStudy && selectedSetting != null) {
                sortedSettings.stream().filter(s -> s.label().equals(selectedSetting)).findFirst()
                        .ifPresent(s -> settingsTable.getSelectionModel().select(s));
            }
        } finally {
            syncing = false;
        }
        if (!sameStudy) {
            settingsTable.getSelectionModel().clearSelection();
            bandChart.highlight(Set.of());
        }
        showSeeds();
        syncCompareBox();
        draw();
    }

    /** A badge per setting: k of N seeds held (green all, amber some, red none; grey before any seed is done). */
    private void showBadges(StudyRow row) {
        List<HBox> badges = new ArrayList<>();
        List<SettingVerdict> all = row.verdict().settings();
        for (SettingVerdict s : all) {
            Label badge = new Label(s.heldRatio());
            badge.getStyleClass().addAll("verdict-badge", verdictClass(s));
            String tip = String.format(Locale.ROOT, "%s: held on %d of %d seeds (%s)%s", s.label(), s.held(),
                    s.seedsPlanned(), row.verdict().criterion().describe(), s.finished() ? ""
                            : String.format(Locale.ROOT, "; %d of %d seeds complete", s.complete(), s.seedsPlanned()));
            badge.setTooltip(new Tooltip(tip));
            Label name = new Label(all.size() > 1 ? s.label() : "held on");
            name.getStyleClass().add("verdict-setting");
            HBox item = new HBox(5, name, badge);
            item.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            item.getStyleClass().add("verdict-item");
            badges.add(item);
        }
        verdictBadges.getChildren().setAll(badges);
    }

    /** The badge's colour class of a setting's verdict. */
    public static String verdictClass(SettingVerdict s) {
        if (s.complete() == 0) {
            return "pending";
        }
        return s.heldOnAll() ? "all" : s.held() > 0 ? "some" : "none";
    }

    private void showSeeds() {
        SettingVerdict s = settingsTable.getSelectionModel().getSelectedItem();
        if (s == null && settings.size() == 1) {
            s = settings.get(0); // a plain repeat: its one setting's seeds, without asking
        }
        SeedResult picked = seedsTable.getSelectionModel().getSelectedItem();
        seeds.setAll(s == null ? List.of() : s.seeds());
        if (picked != null) { // re-read while the study trains: the same seed stays picked
            sortedSeeds.stream().filter(r -> r.runId().equals(picked.runId())).findFirst()
                    .ifPresent(r -> seedsTable.getSelectionModel().select(r));
        }
        seedsTitle.setText(s == null ? "Seeds" : "Seeds of " + s.label() + " (" + s.seeds().size() + " of "
                + s.seedsPlanned() + " started)");
    }

    /** Draws the selected study's bands, and the compared study's beside them. */
    private void draw() {
        StudyRow row = vm.selectedProperty().get();
        double target = row == null ? DrillCriterion.TARGET : row.verdict().criterion().target();
        bandChart.setSeries(bandSeries(row, vm.comparedProperty().get()), target);
        bandZoomBox.setText(BandChart.zoomLabel(target));
    }

    /** The bands of {@code row}'s settings, then those of {@code compared} (or none) in the compared colours. */
    static List<BandChart.BandSeries> bandSeries(StudyRow row, StudyRow compared) {
        List<BandChart.BandSeries> series = new ArrayList<>();
        if (row == null) {
            return series;
        }
        List<SettingVerdict> mine = row.verdict().settings();
        for (int i = 0; i < mine.size(); i++) {
            SettingVerdict s = mine.get(i);
            series.add(new BandChart.BandSeries(legendName(row, s, false), s.label(), Palette.band(i), false,
                    s.epochsPlanned(), s.bands()));
        }
        if (compared != null) {
            List<SettingVerdict> theirs = compared.verdict().settings();
            for (int i = 0; i < theirs.size(); i++) {
                SettingVerdict s = theirs.get(i);
                series.add(new BandChart.BandSeries(legendName(compared, s, true), s.label(), Palette.comparedBand(i),
                        true, s.epochsPlanned(), s.bands()));
            }
        }
        return series;
    }

    /** "code4-1a2b3c4d · dropout=0.05 · 4/5 held", "compared: code3-… · 1/5 held". */
    static String legendName(StudyRow row, SettingVerdict s, boolean compared) {
        return (compared ? "compared: " : "") + row.id() + (row.verdict().settings().size() > 1 ? " · " + s.label()
                : "") + " · " + s.heldRatio() + " held";
    }

    /** "seeds 1-5", "dropout 0, 0.05 · seeds 1-3". */
    static String varies(StudySpec spec) {
        List<String> parts = new ArrayList<>();
        for (StudySpec.Axis a : spec.grid()) {
            parts.add(a.knob().cliName() + " " + String.join(", ", a.values()));
        }
        parts.add(seedText(spec.seeds()));
        return String.join(" · ", parts);
    }

    private static String seedText(List<Long> seeds) {
        boolean consecutive = !seeds.isEmpty();
        for (int i = 1; i < seeds.size(); i++) {
            consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        }
        if (seeds.size() == 1) {
            return "seed " + seeds.get(0);
        }
        return consecutive ? "seeds " + seeds.get(0) + "–" + seeds.get(seeds.size() - 1)
                : "seeds " + seeds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * Whether the selected study is the one this window trains: its runs not complete are in training (the engine
     * reads a run whose process has not written its first summary yet as interrupted).
     */
    private boolean trainingHere() {
        StudyRow row = vm.selectedProperty().get();
        return row != null && row.id().equals(vm.activeIdProperty().get());
    }

    /** A seed's run status in a narrow column: "done" for a completed run, "stopped" for a cancelled one. */
    static String seedStatus(TrainingStatus status) {
        return switch (status) {
            case COMPLETED -> "done";
            case CANCELLED -> "stopped";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }

    private static HeldCount held(SettingVerdict s) {
        return new HeldCount(s.held(), s.seedsPlanned());
    }

    private static Double number(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String epoch(Double e) {
        return e.isInfinite() ? "never" : e == Math.rint(e) ? Long.toString(e.longValue())
                : String.format(Locale.ROOT, "%.1f", e);
    }

    private static String created(String iso) {
        try {
            return LocalDateTime.parse(iso).format(CREATED);
        } catch (RuntimeException e) {
            return iso;
        }
    }

    /** Shows {@code value} of each row as {@code text} ("–" when there is none); sorts by the value. */
    private static <R, T extends Comparable<? super T>> void column(TableColumn<R, T> column, Function<R, T> value,
                                                                    Function<T, String> text) {
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
        column.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item == null ? "–" : text.apply(item));
            }
        });
        column.setComparator(Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    private void headerTip(TableColumn<?, ?> column, String tip) {
        headerTip(column, column.getText(), tip);
    }

    /** A header that explains itself on hover (its text in a label that can carry the tooltip). */
    private void headerTip(TableColumn<?, ?> column, String text, String tip) {
        Label header = headers.get(column);
        if (header == null) {
            header = new Label();
            header.setMaxWidth(Double.MAX_VALUE);
            column.setText("");
            column.setGraphic(header);
            column.getStyleClass().add("tipped-header");
            headers.put(column, header);
        }
        header.setText(text);
        header.setTooltip(new Tooltip(tip));
    }

    /** What a click on a seed does: the window opens that run on the Runs tab. */
    public void setOnOpenRun(Consumer<String> openRun) {
        this.openRun = openRun;
    }

    @FXML
    void refresh() {
        vm.refresh();
    }

    @FXML
    void resume() {
        vm.resume();
    }

    @FXML
    void stop() {
        vm.stop();
    }

    @FXML
    void clearComparison() {
        vm.compareIdProperty().set(null);
    }

    @FXML
    void openMember() {
        SeedResult seed = seedsTable.getSelectionModel().getSelectedItem();
        if (seed != null) {
            openRun.accept(seed.runId());
        }
    }

    @FXML
    void saveBandPng() {
        StudyRow row = vm.selectedProperty().get();
        if (row != null) {
            ChartImages.saveAs(bandChart, "Save the band chart as PNG", "mnist-drill-study-" + row.id() + ".png",
                    "Band chart", context, vm.status());
        }
    }

    @FXML
    void exportReport() {
        StudyRow row = vm.selectedProperty().get();
        Path file = row == null ? null : SaveDialog.markdown(bandChart.getScene().getWindow(),
                "Export the study report", "study-" + row.id() + ".md");
        if (file != null) {
            exportReport(file);
        }
    }

    /**
     * Writes the Markdown report of the selected study (and of the one compared with it) to {@code file}, with a band
     * chart PNG per study beside it: the selected study's as the window shows it, compared study included.
     */
    public CompletableFuture<Void> exportReport(Path file) {
        StudyRow row = vm.selectedProperty().get();
        StudyRow other = vm.comparedProperty().get();
        if (row == null) {
            return CompletableFuture.completedFuture(null);
        }
        Path dir = file.toAbsolutePath().getParent();
        String base = file.getFileName().toString().replaceFirst("\\.md$", "");
        String css = bandChart.getScene() == null || bandChart.getScene().getStylesheets().isEmpty() ? null
                : bandChart.getScene().getStylesheets().get(0);
        boolean zoomed = bandZoomBox.isSelected();
        List<StudyRow> studies = other == null ? List.of(row) : List.of(row, other);
        List<MarkdownReport.StudySection> sections = new ArrayList<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        CompletableFuture<Void> rendered = new CompletableFuture<>();
        // one chart per frame: each is laid out and rendered off-screen on the FX thread
        for (int i = 0; i < studies.size(); i++) {
            StudyRow study = studies.get(i);
            StudyRow drawnBeside = i == 0 ? other : null;
            context.frames().submit(() -> {
                vm.status().info("Drawing the band chart of " + study.id() + "…");
                String name = base + "-" + study.id() + ".png";
                String note = drawnBeside == null ? null : "The chart draws study " + drawnBeside.id()
                        + " beside it, dashed, for comparison.";
                try {
                    BandChart chart = new BandChart();
                    chart.zoomedProperty().set(zoomed);
                    chart.setSeries(bandSeries(study, drawnBeside), study.verdict().criterion().target());
                    writes.add(ChartImages.save(ChartImages.render(chart, css, REPORT_CHART_WIDTH,
                            REPORT_CHART_HEIGHT), dir.resolve(name), context));
                    sections.add(new MarkdownReport.StudySection(study.verdict(), name, note));
                } catch (RuntimeException e) {
                    writes.add(CompletableFuture.failedFuture(e));
                    sections.add(new MarkdownReport.StudySection(study.verdict(), null, null));
                }
            });
        }
        context.frames().submit(() -> rendered.complete(null));
        return rendered.thenCompose(x -> CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)))
                .handle((ok, e) -> e == null ? null : Fx.message(e))
                .thenCompose(chartProblem -> vm.exportReport(sections, file, chartProblem));
    }

    public TableView<StudyRow> studiesTable() {
        return studiesTable;
    }

    public TableView<SettingVerdict> settingsTable() {
        return settingsTable;
    }

    public TableView<SeedResult> seedsTable() {
        return seedsTable;
    }

    public BandChart bandChart() {
        return bandChart;
    }

    public FlowPane verdictBadges() {
        return verdictBadges;
    }
}
