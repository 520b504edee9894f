package dev.mnistdrill.ui;

import static dev.mnistdrill.ui.UiTests.fx;
import static dev.mnistdrill.ui.UiTests.fxRun;
import static dev.mnistdrill.ui.UiTests.selectTab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyRunner;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyVerdict.SeedResult;
import dev.mnistdrill.train.StudyVerdict.SettingVerdict;
import dev.mnistdrill.train.StudyVerdict;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.control.BandChart;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.view.StudiesController;
import dev.mnistdrill.ui.view.WorkbenchController;
import dev.mnistdrill.ui.vm.StudiesViewModel.StudyRow;
import dev.mnistdrill.ui.vm.StudiesViewModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.ComboBoxListViewSkin;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.shape.Path;
import javafx.scene.text.Text;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Studies tab and the experiment form's study section, driven headless (Monocle) on studies written from
 * made-up member runs: nothing trains. A stand-in for the study runner plays a live study for Stop and Resume.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StudiesUiTest {
    private static final FxRobot robot = new FxRobot();
    private static java.nio.file.Path home;
    private static WorkbenchContext context;
    private static WorkbenchController controller;
    private static StudyStore store;
    /** code4 over dropout 0 and 0.1 on seeds 1-3: dropout=0 holds on all three, dropout=0.1 on seed 2 only. */
    private static StudySpec grid;
    /** code3 on seeds 1-3, holding on none. */
    private static StudySpec repeat;

    @BeforeAll
    static void openWindow() throws Exception {
        Engine.configure();
        home = Files.createTempDirectory("mnistdrill-studies-test");
        store = new StudyStore(new RunStore(home.resolve("runs")));
        grid = new StudySpec(Presets.get("code4"), List.of(StudySpec.parseAxis("dropout=0,0.1")),
                StudySpec.parseSeeds("1-3"), DrillCriterion.STANDARD);
        StudyFixtures.write(store, grid, (setting, seed) -> setting == 0 || seed == 2);
        repeat = new StudySpec(Presets.get("code3"), List.of(), StudySpec.parseSeeds("1-3"), DrillCriterion.STANDARD);
        StudyFixtures.write(store, repeat, (setting, seed) -> false);

        context = new WorkbenchContext(home.resolve("runs"), progress -> TestData.mnist());
        controller = UiTests.openWindow(context);
    }

    @AfterAll
    static void closeWindow() throws Exception {
        UiTests.closeWindow(context, home);
    }

    static void waitFor(int seconds, String what, Callable<Boolean> condition) throws Exception {
        UiTests.waitFor(seconds, what, condition, () -> context.studies().status().text());
    }

    static StudiesController studies() throws Exception {
        var f = WorkbenchController.class.getDeclaredField("studiesViewController");
        f.setAccessible(true);
        return (StudiesController) f.get(controller);
    }

    /** Selects a study in the table, as a click on its row does. */
    static void selectStudy(String id) throws Exception {
        TableView<StudyRow> table = studies().studiesTable();
        waitFor(20, "study " + id + " in the table", () -> table.getItems().stream().anyMatch(r -> r.id().equals(id)));
        fxRun(() -> table.getSelectionModel().select(table.getItems().stream().filter(r -> r.id().equals(id))
                .findFirst().orElseThrow()));
        waitFor(10, "study " + id + " shown", () -> context.studies().selectedProperty().get() != null
                && context.studies().selectedProperty().get().id().equals(id));
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The badges' texts and colour classes, in order: "3/3 all". */
    static List<String> badges() throws Exception {
        return fx(() -> studies().verdictBadges().getChildren().stream().map(n -> {
            Label badge = (Label) ((HBox) n).getChildren().get(1);
            return badge.getText() + " " + badge.getStyleClass().stream()
                    .filter(c -> List.of("all", "some", "none", "pending").contains(c)).findFirst().orElse("?");
        }).toList());
    }

    @Test
    @Order(1)
    void aStudyShowsItsBandsVerdictAndSettings() throws Exception {
        selectTab("Studies");
        waitFor(30, "both studies listed", () -> context.studies().studies().size() == 2);
        TableView<StudyRow> list = studies().studiesTable();
        List<String> rows = fx(() -> list.getItems().stream().map(r -> list.getColumns().stream()
                .map(c -> String.valueOf(c.getCellData(r))).collect(java.util.stream.Collectors.joining(" | ")))
                .sorted().toList());
        assertTrue(rows.get(0).startsWith(repeat.id() + " | code3 | seeds 1–3 | completed | 3/3 | 0/3 | base | "),
                rows.get(0));
        assertTrue(rows.get(1).startsWith(grid.id() + " | code4 | dropout 0, 0.1 · seeds 1–3 | completed | 6/6 | 3/3 "
                + "| dropout=0 | "), rows.get(1));
        selectStudy(grid.id());
        StudiesController view = studies();
        BandChart chart = view.bandChart();

        // a shaded band per setting, with area, and a mean line with a point per epoch
        waitFor(10, "two bands", () -> chart.bandAreas().size() == 2);
        WaitForAsyncUtils.waitForFxEvents();
        int epochs = grid.base().epochs();
        for (int i = 0; i < 2; i++) {
            int at = i;
            Path area = fx(() -> chart.bandAreas().get(at));
            assertTrue(fx(() -> area.getElements().size()) >= 2 * epochs, "an outline through every epoch, twice");
            Bounds bounds = fx(area::getLayoutBounds);
            assertTrue(bounds.getWidth() > 100 && bounds.getHeight() > 5, "the band has an area: " + bounds);
            assertTrue(fx(() -> area.getParent() != null && area.isVisible()), "it is drawn");
            assertEquals(epochs, (int) fx(() -> chart.meanSeries().get(at).getData().size()), "a mean per epoch");
        }
        StudyVerdict verdict = StudyVerdict.of(grid, store.memberRuns(grid, p -> { }));
        List<StudyVerdict.EpochBand> bands = verdict.settings().get(0).bands();
        assertEquals(100 * bands.get(epochs - 1).mean(),
                fx(() -> chart.meanSeries().get(0).getData().get(epochs - 1).getYValue().doubleValue()), 1e-9);
        assertNotEquals(fx(() -> chart.bandAreas().get(0).getFill()), fx(() -> chart.bandAreas().get(1).getFill()),
                "each setting in its own colour");

        // zoomed where the drill is decided, with the target; zooming out shows the climb
        assertEquals(100 * (DrillCriterion.TARGET - BandChart.ZOOM_BELOW), fx(chart.accuracyAxis()::getLowerBound),
                1e-9);
        assertEquals(100 * (DrillCriterion.TARGET + BandChart.ZOOM_ABOVE), fx(chart.accuracyAxis()::getUpperBound),
                1e-9);
        assertTrue(legendTexts(chart).contains("target " + DrillCriterion.percent(DrillCriterion.TARGET) + "%"));
        CheckBox zoom = robot.lookup("#bandZoomBox").queryAs(CheckBox.class);
        assertEquals("Zoom 98.8–99.7%", fx(zoom::getText));
        robot.clickOn(zoom);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(chart.accuracyAxis()::getLowerBound) <= 97.5, "the first epochs' ~97.5% in view");
        robot.clickOn(zoom);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(98.8, fx(chart.accuracyAxis()::getLowerBound), 1e-9);

        // the verdict per setting: all seeds held (green), some (amber)
        assertEquals(List.of("3/3 all", "1/3 some"), badges());

        // the settings table: a row per setting with its held count; numbers sort as numbers
        TableView<SettingVerdict> settings = view.settingsTable();
        assertEquals(2, (int) fx(() -> settings.getItems().size()));
        assertEquals(List.of("dropout=0 3/3", "dropout=0.1 1/3"), fx(() -> settings.getItems().stream()
                .map(s -> s.label() + " " + cell(settings, "settingHeldColumn", s)).toList()));
        @SuppressWarnings("unchecked")
        TableColumn<SettingVerdict, Double> mean = (TableColumn<SettingVerdict, Double>) fx(() ->
                settings.getColumns().stream().filter(c -> "settingMeanColumn".equals(c.getId())).findFirst()
                        .orElseThrow());
        for (TableColumn.SortType order : List.of(TableColumn.SortType.ASCENDING, TableColumn.SortType.DESCENDING)) {
            fxRun(() -> {
                mean.setSortType(order);
                settings.getSortOrder().setAll(List.of(mean));
            });
            List<Double> values = fx(() -> settings.getItems().stream().map(s -> mean.getCellData(s)).toList());
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(order == TableColumn.SortType.ASCENDING ? Comparator.naturalOrder()
                    : Comparator.reverseOrder());
            assertEquals(sorted, values, "sorted by the mean's value, " + order);
        }
        fxRun(() -> settings.getSortOrder().clear());
    }

    private static String cell(TableView<SettingVerdict> table, String columnId, SettingVerdict row) {
        return String.valueOf(table.getColumns().stream().filter(c -> columnId.equals(c.getId())).findFirst()
                .orElseThrow().getCellData(row));
    }

    private static List<String> legendTexts(BandChart chart) throws Exception {
        return fx(() -> chart.legend().getChildren().stream().map(n -> n instanceof HBox row
                ? ((Label) row.getChildren().get(1)).getText() : ((Label) n).getText()).toList());
    }

    @Test
    @Order(2)
    void anotherStudyIsDrawnBesideItToCompare() throws Exception {
        selectStudy(grid.id());
        BandChart chart = studies().bandChart();
        @SuppressWarnings("unchecked")
        ComboBox<String> compare = robot.lookup("#compareBox").queryAs(ComboBox.class);
        assertEquals(List.of(repeat.id()), fx(() -> List.copyOf(compare.getItems())), "any study but the one shown");
        fxRun(() -> compare.setValue(compare.getItems().get(0)));
        waitFor(10, "the compared bands", () -> chart.bandAreas().size() == 3);
        assertTrue(fx(() -> chart.series().get(2).compared()));
        assertTrue(legendTexts(chart).contains("compared: " + repeat.id() + " · 0/3 held"), legendTexts(chart)
                .toString());
        assertTrue(legendTexts(chart).contains(grid.id() + " · dropout=0 · 3/3 held"));
        assertNotEquals(fx(() -> chart.bandAreas().get(0).getFill()), fx(() -> chart.bandAreas().get(2).getFill()),
                "in another colour");
        assertFalse(fx(() -> chart.bandAreas().get(2).getStrokeDashArray().isEmpty()), "dashed");
        fx(() -> context.studies().refresh()).get(20, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(repeat.id(), fx(() -> context.studies().compareIdProperty().get()), "a re-read keeps it");
        assertEquals(repeat.id(), fx(compare::getValue));
        assertEquals(3, (int) fx(() -> chart.bandAreas().size()));

        // the compared study shown itself: no comparison with itself; its verdict is red
        selectStudy(repeat.id());
        assertNull(fx(() -> context.studies().compareIdProperty().get()));
        assertEquals(1, (int) fx(() -> chart.bandAreas().size()));
        assertEquals(List.of("0/3 none"), badges());
    }

    @Test
    @Order(2)
    void aRunThatTestsAveragedWeightsSaysSoInItsLegend() throws Exception {
        List<String> plain = fx(() -> legendOf(Presets.get("code4")));
        assertTrue(plain.contains("code4 test"), plain.toString());
        List<String> averaged = fx(() -> legendOf(Presets.get("code4").withEma(0.999)));
        assertTrue(averaged.contains("code4 test (averaged weights)"), averaged.toString());
        assertTrue(averaged.contains("code4 train"), "train accuracy is the trained weights'");
    }

    private static List<String> legendOf(dev.mnistdrill.model.ExperimentConfig config) {
        dev.mnistdrill.ui.control.MetricsCharts charts = new dev.mnistdrill.ui.control.MetricsCharts();
        charts.startLive(config);
        return charts.lookupAll(".label").stream().map(n -> ((Label) n).getText()).toList();
    }

    @Test
    @Order(3)
    void theRunsTabFiltersByWordsAndHidesStudyRuns() throws Exception {
        selectTab("Runs");
        @SuppressWarnings("unchecked")
        TableView<dev.mnistdrill.ui.vm.RunsViewModel.RunRow> runs = robot.lookup("#table").queryAs(TableView.class);
        int all = grid.runCount() + repeat.runCount();
        waitFor(20, "every run listed", () -> fx(() -> runs.getItems().size()) == all);
        Label shown = robot.lookup("#shownLabel").queryAs(Label.class);
        assertEquals("", fx(shown::getText), "no count while nothing is filtered");
        robot.clickOn("#filterField").write("CODE3");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(repeat.runCount(), fx(() -> runs.getItems().size()), "case ignored");
        assertTrue(fx(() -> runs.getItems().stream().allMatch(r -> r.record().config().name().equals("code3"))));
        assertEquals(repeat.runCount() + " of " + all, fx(shown::getText));
        robot.write(" seed2");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(repeat.runId(repeat.members().get(1))),
                fx(() -> runs.getItems().stream().map(r -> r.record().id()).toList()), "every word must match");
        fxRun(() -> robot.lookup("#filterField").queryAs(TextField.class).clear());
        robot.clickOn("#studyRunsBox");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, fx(() -> runs.getItems().size()), "every run here was trained by a study");
        assertEquals("No run matches the filter.", fx(() -> ((Label) runs.getPlaceholder()).getText()));
        robot.clickOn("#studyRunsBox");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(all, fx(() -> runs.getItems().size()));
        selectTab("Studies");
    }

    @Test
    @Order(3)
    void aSeedOpensItsRunOnTheRunsTab() throws Exception {
        selectStudy(grid.id());
        StudiesController view = studies();
        TableView<SettingVerdict> settings = view.settingsTable();
        fxRun(() -> settings.getSelectionModel().select(settings.getItems().stream()
                .filter(s -> s.label().equals("dropout=0.1")).findFirst().orElseThrow()));
        TableView<SeedResult> seeds = view.seedsTable();
        waitFor(10, "its seeds", () -> seeds.getItems().size() == 3);
        assertEquals(List.of("no", "yes", "no"), fx(() -> seeds.getItems().stream()
                .sorted(Comparator.comparingLong(SeedResult::seed))
                .map(s -> s.held() ? "yes" : "no").toList()));
        SeedResult second = fx(() -> seeds.getItems().stream().filter(s -> s.seed() == 2).findFirst().orElseThrow());
        fxRun(() -> seeds.getSelectionModel().select(second));
        fxRun(() -> context.runs().filterTextProperty().set("code3")); // the Runs tab hides the run asked for
        fxRun(() -> context.runs().showStudyRunsProperty().set(false));
        robot.clickOn("#openMemberButton");
        waitFor(20, "the run open on the Runs tab", () -> context.runs().openedProperty().get() != null
                && context.runs().openedProperty().get().id().equals(second.runId()));
        assertTrue(fx(() -> controller.tabs().getSelectionModel().getSelectedItem().getText().equals("Runs")));
        @SuppressWarnings("unchecked")
        TableView<dev.mnistdrill.ui.vm.RunsViewModel.RunRow> runs = robot.lookup("#table").queryAs(TableView.class);
        assertEquals(second.runId(), fx(() -> runs.getSelectionModel().getSelectedItem().record().id()),
                "its row selected");
        assertEquals("", fx(() -> context.runs().filterTextProperty().get()), "the filter lifted to show it");
        assertTrue(fx(() -> context.runs().showStudyRunsProperty().get()));
        StudySpec.Member member = grid.members().stream()
                .filter(m -> m.seed() == 2 && m.setting().label().equals("dropout=0.1")).findFirst().orElseThrow();
        assertEquals(grid.runId(member), second.runId());
        selectTab("Studies");
    }

    @Test
    @Order(4)
    void theReportHasTheStudySectionsAndTheirBandCharts() throws Exception {
        selectStudy(grid.id());
        fxRun(() -> context.studies().compareIdProperty().set(repeat.id()));
        java.nio.file.Path file = home.resolve("study-report.md");
        fx(() -> studies().exportReport(file)).get(60, TimeUnit.SECONDS);
        String md = Files.readString(file);
        assertTrue(md.contains("## Study " + grid.id()) && md.contains("## Study " + repeat.id()), md);
        assertTrue(md.contains("| dropout=0 | 3/3 |"), md);
        assertTrue(md.contains("](study-report-" + grid.id() + ".png)"), md);
        assertTrue(md.indexOf("](study-report-" + grid.id() + ".png)") < md.indexOf("### code4, dropout=0"),
                "the chart under the verdict table, before the settings' sections");
        assertTrue(md.contains("The chart draws study " + repeat.id() + " beside it"), md);
        BufferedImage image = ImageIO.read(home.resolve("study-report-" + grid.id() + ".png").toFile());
        assertEquals(1100, image.getWidth());
        assertTrue(Files.isRegularFile(home.resolve("study-report-" + repeat.id() + ".png")));
        waitFor(10, "the message", () -> context.studies().status().text().startsWith("Report of 2 studies"));
        fxRun(() -> context.studies().compareIdProperty().set(null));
    }

    @Test
    @Order(5)
    void theGridDialogChecksEachRowAndCountsTheRuns() throws Exception {
        fxRun(() -> {
            context.experiment().applyPreset("code4");
            context.experiment().studySeedsProperty().set(2);
            context.experiment().studyGrid().clear();
        });
        Button study = robot.lookup("#studyButton").queryAs(Button.class);
        assertEquals("Repeat with 2 seeds", fx(study::getText));
        // the dialog waits for its answer inside the click: fire it without waiting for the click to return
        Button gridButton = robot.lookup("#gridButton").queryAs(Button.class);
        javafx.application.Platform.runLater(gridButton::fire);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, (int) fx(() -> robot.listWindows().size() - 1), "the grid dialog");
        TextField values = robot.lookup(".grid-values").queryAs(TextField.class);
        assertEquals("0", fx(values::getText), "the first row starts with the experiment's dropout (code4: none)");
        robot.clickOn(values);
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write("0.05, abc");
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup(".grid-error").queryAs(Label.class);
        assertEquals("'abc' is not a valid dropout value", fx(error::getText));
        assertTrue(fx(error::isVisible));
        Button use = (Button) robot.lookup(".button").match(n -> "Use this grid".equals(((Button) n).getText()))
                .query();
        assertTrue(fx(use::isDisabled), "no grid with a wrong row");
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write("0.05, 0.1");
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(error::isVisible));
        assertEquals("2 settings × 2 seeds = 4 runs", fx(() -> robot.lookup("#gridRunCount").queryAs(Label.class)
                .getText()));
        robot.clickOn(use);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(new StudySpec.Axis(dev.mnistdrill.model.Knob.DROPOUT, List.of("0.05", "0.1"))),
                fx(() -> List.copyOf(context.experiment().studyGrid())));
        assertEquals("Train the grid: 4 runs", fx(study::getText));
        assertEquals("Grid: dropout 0.05, 0.1", fx(() -> robot.lookup("#gridSummary").queryAs(Label.class)
                .getText()));

        // over 200 runs asks first; Cancel starts nothing
        fxRun(() -> {
            context.experiment().studyGrid().setAll(StudySpec.parseAxis("dropout=0,0.05,0.1"));
            context.experiment().studySeedsProperty().set(100);
        });
        assertEquals(300, (int) fx(() -> context.experiment().studyRunsProperty().get()));
        assertEquals("Train the grid: 300 runs", fx(study::getText));
        javafx.application.Platform.runLater(study::fire);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, (int) fx(() -> robot.listWindows().size() - 1), "a confirmation");
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(StudiesViewModel.State.IDLE, fx(() -> context.studies().state()));
        assertEquals(2, (int) fx(() -> context.studies().studies().size()), "nothing started");
        fxRun(() -> {
            context.experiment().studyGrid().clear();
            context.experiment().studySeedsProperty().set(2);
        });
    }

    /**
     * Stands in for the study runner: writes the missing members one by one as a runner would, reporting as it
     * goes; the first time, it waits after its first member until it is cancelled (the user's Stop).
     */
    static final class StandInTraining implements StudiesViewModel.StudyTraining {
        static final AtomicBoolean waitedOnce = new AtomicBoolean();
        static final CountDownLatch firstMemberWritten = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile boolean cancelled;

        @Override
        public StudyRunner.Outcome run(StudySpec spec, StudyRunner.Listener listener) {
            long started = System.nanoTime();
            store.save(spec, TrainingStatus.RUNNING);
            List<StudySpec.Member> missing = spec.members().stream()
                    .filter(m -> !Files.isDirectory(store.runs().root().resolve(spec.runId(m)))).toList();
            listener.onPlan(new StudyRunner.Plan(spec.id(), spec.runCount(), spec.runCount() - missing.size(), 0, 0,
                    missing.size(), 2, 1, "on this machine"));
            int done = 0;
            for (StudySpec.Member m : missing) {
                if (cancelled) {
                    break;
                }
                java.nio.file.Path folder = StudyFixtures.writeMember(store.runs(), spec, m, StudyFixtures.curve(
                        spec.criterion(), m.config(), 0, m.seed(), true));
                RunRecord run = RunStore.read(folder);
                done++;
                listener.onMemberFinished(m, run);
                listener.onProgress(new StudyRunner.Progress(done, 0, missing.size(), spec.runCount(), 1500,
                        (System.nanoTime() - started) / 1e9, done == missing.size() ? 0 : 30,
                        done / (double) missing.size()));
                if (!waitedOnce.getAndSet(true)) {
                    firstMemberWritten.countDown();
                    try {
                        stopped.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            TrainingStatus status = cancelled ? TrainingStatus.CANCELLED : TrainingStatus.COMPLETED;
            store.save(spec, status);
            return new StudyRunner.Outcome(status, StudyVerdict.of(spec, store.memberRuns(spec, p -> { })),
                    (System.nanoTime() - started) / 1e9, List.of());
        }

        @Override
        public void cancel() {
            cancelled = true;
            stopped.countDown();
        }
    }

    @Test
    @Order(6)
    void aStudyStartedFromTheFormTrainsLiveStopsAndResumes() throws Exception {
        fxRun(() -> {
            context.studies().useTraining((s, dataDir, spec) -> new StandInTraining());
            context.experiment().applyPreset("code1");
            context.experiment().epochsProperty().set("4");
            context.experiment().studySeedsProperty().set(2);
        });
        StudySpec spec = fx(() -> context.experiment().studySpecProperty().get());
        assertEquals(2, spec.runCount());
        selectTab("Training");
        Button study = robot.lookup("#studyButton").queryAs(Button.class);
        assertFalse(fx(study::isDisabled));
        fxRun(study::fire);
        assertTrue(StandInTraining.firstMemberWritten.await(60, TimeUnit.SECONDS), "the first run trained");
        waitFor(20, "the first run's progress", () -> context.studies().runsDoneTextProperty().get().equals("1/2"));

        // live: the tab shows it, with progress and Stop; nothing else trains meanwhile
        assertEquals("Studies", fx(() -> controller.tabs().getSelectionModel().getSelectedItem().getText()),
                "the Studies tab comes forward");
        GridPane card = robot.lookup("#studyProgressCard").queryAs(GridPane.class);
        assertTrue(fx(card::isVisible));
        assertEquals("1/2", fx(() -> ((Label) controller.tabs().getTabs().stream()
                .filter(t -> t.getText().equals("Studies")).findFirst().orElseThrow().getGraphic()).getText()),
                "the tab's header says how far the study is");
        assertTrue(fx(() -> robot.lookup("#studyProgressTitle").queryAs(Label.class).getText())
                .contains("1 of 2 runs done"));
        assertEquals("1,500 img/s", fx(() -> robot.lookup("#studySpeedLabel").queryAs(Label.class).getText()));
        assertTrue(fx(() -> robot.lookup("#studyEtaLabel").queryAs(Label.class).getText()).startsWith("ETA 0:30"));
        assertTrue(fx(() -> robot.lookup("#startButton").queryAs(Button.class).isDisabled()),
                "no single training beside a study");
        assertTrue(fx(study::isDisabled), "no second study");
        assertTrue(fx(() -> context.studies().start(repeat)).startsWith("A study is training already"));
        waitFor(20, "the study listed as training", () -> context.studies().studies().stream()
                .anyMatch(r -> r.id().equals(spec.id()) && context.studies().statusOf(r).equals("training")
                        && r.runsDone() == 1));
        assertEquals(spec.id(), fx(() -> context.studies().selectedProperty().get().id()), "and selected");
        waitFor(10, "its band", () -> studies().bandChart().bandAreas().size() == 1);
        assertEquals(List.of("1/2 some"), badges());

        robot.clickOn("#studyStopButton");
        waitFor(30, "the stop", () -> context.studies().state() == StudiesViewModel.State.IDLE);
        assertEquals(TrainingStatus.CANCELLED, store.read(spec.id()).status());
        assertTrue(fx(() -> context.studies().status().text()).contains("stopped with 1 of 2 runs done"),
                fx(() -> context.studies().status().text()));
        assertFalse(fx(card::isVisible));
        assertNull(fx(() -> controller.tabs().getTabs().stream().filter(t -> t.getText().equals("Studies"))
                .findFirst().orElseThrow().getGraphic()), "no badge once it stopped");
        waitFor(20, "Resume offered", () -> !robot.lookup("#studyResumeButton").queryAs(Button.class).isDisabled());
        assertFalse(fx(() -> robot.lookup("#startButton").queryAs(Button.class).isDisabled()), "Start is back");

        robot.clickOn("#studyResumeButton");
        waitFor(30, "the resumed study's end", () -> context.studies().state() == StudiesViewModel.State.IDLE
                && context.studies().selectedProperty().get() != null
                && context.studies().selectedProperty().get().runsDone() == 2);
        assertEquals(TrainingStatus.COMPLETED, store.read(spec.id()).status());
        assertTrue(fx(() -> context.studies().status().text()).startsWith("Study " + spec.id()
                + " completed"), fx(() -> context.studies().status().text()));
        assertEquals(List.of("2/2 all"), badges());
        // the study's row is re-read on a worker after its end: Resume goes once the row says completed
        waitFor(20, "nothing left to resume", () -> robot.lookup("#studyResumeButton").queryAs(Button.class)
                .isDisabled());
        waitFor(20, "both runs in the Runs table", () -> spec.members().stream().allMatch(m -> context.runs().rows()
                .stream().anyMatch(r -> r.record().id().equals(spec.runId(m)))));
    }

    @Test
    @Order(7)
    void aStudyIsRefusedWhileASingleTrainingRuns() throws Exception {
        SimpleBooleanProperty trainingBusy = new SimpleBooleanProperty(true);
        StudiesViewModel vm = fx(() -> new StudiesViewModel(store, context.data(), Runnable::run, Runnable::run,
                Runnable::run, trainingBusy));
        String refused = fx(() -> vm.start(repeat));
        assertTrue(refused.startsWith("A training is running"), refused);
        assertEquals(refused, fx(() -> vm.status().text()));
        assertTrue(fx(() -> vm.status().errorProperty().get()));
        assertEquals(StudiesViewModel.State.IDLE, fx(vm::state));
    }

    @Test
    @Order(8)
    void aStudyFarBelowTheZoomSaysSoInsteadOfAnEmptyChart() throws Exception {
        List<StudyVerdict.EpochBand> low = List.of(new StudyVerdict.EpochBand(1, 2, 0.09, 0.11, 0.14, 0.03));
        BandChart chart = fx(() -> {
            BandChart c = new BandChart();
            c.setSeries(List.of(new BandChart.BandSeries("quick trial", "base", "#4c78a8", false, 1, low)),
                    DrillCriterion.TARGET);
            return c;
        });
        assertTrue(fx(() -> chart.placeholder().isVisible()));
        assertEquals("Every seed is below 98.8% here: untick the zoom to see the bands",
                fx(() -> chart.placeholder().getText()));
        fxRun(() -> chart.zoomedProperty().set(false));
        assertFalse(fx(() -> chart.placeholder().isVisible()));
        assertEquals(0, fx(chart.accuracyAxis()::getLowerBound), 1e-9, "down to the lowest seed");
    }

    @Test
    @Order(9)
    void ctrlFiveShowsTheStudiesTab() throws Exception {
        selectTab("Training");
        robot.push(KeyCode.SHORTCUT, KeyCode.DIGIT5);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("Studies", fx(() -> controller.tabs().getSelectionModel().getSelectedItem().getText()));
        Node tab = robot.lookup(".tab-label").match(n -> "Studies".equals(((Label) n).getText())).query();
        assertTrue(fx(tab::isVisible));
    }

    /** The texts in {@code root} that its labels and cells show cut ("Best h…"), each with what it shows instead. */
    static List<String> cutTexts(Parent root) {
        List<String> cut = new ArrayList<>();
        for (Node n : root.lookupAll(".column-header, .table-cell, .list-cell, .label")) {
            if (n instanceof Labeled l && l.getText() != null && !l.getText().isEmpty()
                    && l.lookup(".text") instanceof Text shown && !shown.getText().equals(l.getText())) {
                cut.add("'" + l.getText() + "' shown as '" + shown.getText() + "'");
            }
        }
        return cut;
    }

    @Test
    @Order(10)
    void everyFieldOfTheFormShowsItsWholeValueBesideItsScrollBar() throws Exception {
        ScrollPane side = robot.lookup(".side-scroll").queryAs(ScrollPane.class);
        GridPane form = robot.lookup("#form").queryAs(GridPane.class);
        for (String preset : Presets.names()) {
            fxRun(() -> context.experiment().applyPreset(preset));
            WaitForAsyncUtils.waitForFxEvents();
            assertTrue(fx(() -> side.lookupAll(".scroll-bar").stream().anyMatch(b -> b instanceof ScrollBar bar
                    && bar.getOrientation() == Orientation.VERTICAL && bar.isVisible())),
                    "at 1480x920 the form scrolls (the bar takes its width from the fields)");
            List<String> narrow = fx(() -> form.lookupAll(".text-field").stream().map(n -> (TextField) n)
                    .filter(f -> {
                        Text text = new Text(f.getText());
                        text.setFont(f.getFont());
                        return f.getWidth() - f.snappedLeftInset() - f.snappedRightInset()
                                < text.getLayoutBounds().getWidth();
                    })
                    .map(f -> f.getId() + " '" + f.getText() + "' in " + f.getWidth() + " px").toList());
            assertEquals(List.of(), narrow, preset + ": fields too narrow for their values");
        }
    }

    @Test
    @Order(11)
    void theStudiesTablesShowWholeHeadersAndValuesAndFiveSeeds() throws Exception {
        selectTab("Studies");
        selectStudy(repeat.id()); // one setting: its seeds show without picking it
        StudiesController view = studies();
        waitFor(10, "the seeds", () -> view.seedsTable().getItems().size() == 3);
        WaitForAsyncUtils.waitForFxEvents();
        for (TableView<?> table : List.of(view.studiesTable(), view.settingsTable(), view.seedsTable())) {
            assertEquals(List.of(), fx(() -> cutTexts(table)), table.getId() + " cuts its texts");
        }
        TableView<?> seeds = view.seedsTable();
        double room = fx(() -> seeds.getHeight() - seeds.snappedTopInset() - seeds.snappedBottomInset()
                - seeds.lookup(".column-header-background").getLayoutBounds().getHeight());
        assertTrue(room >= 5 * fx(seeds::getFixedCellSize), "room for 5 seeds' rows: " + room + " px");
    }

    @Test
    @Order(12)
    void aStudyMembersLongIdLeavesItsEpochAndAccuracyInSightOnTheDrawTab() throws Exception {
        // the seed-1 member of the code3 study ("code3-<hash>_base_seed1"), given a model (untrained: nothing trains)
        String id = repeat.runId(repeat.members().get(0));
        RunRecord member = fx(() -> context.runs().rows().stream().map(r -> r.record())
                .filter(r -> r.id().equals(id)).findFirst().orElseThrow());
        RunStore.saveModel(member.folder(), NetworkFactory.build(member.config()));
        String accuracy = Formats.percent(member.summary().lastTestAccuracy());
        int epoch = member.summary().epochsCompleted();

        selectTab("Draw a digit");
        @SuppressWarnings("unchecked")
        ComboBox<RunRecord> box = robot.lookup("#savedRunBox").queryAs(ComboBox.class);
        fxRun(box::show);
        WaitForAsyncUtils.waitForFxEvents();
        ListView<?> list = fx(() -> (ListView<?>) ((ComboBoxListViewSkin<?>) box.getSkin()).getPopupContent());
        assertEquals(List.of(), fx(() -> cutTexts(list)), "the list shows each run whole, wider than the box");
        fxRun(() -> {
            box.setValue(box.getItems().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow());
            box.hide();
        });
        waitFor(60, "the member's model on the pad", () -> context.draw().modelDescriptionProperty().get()
                .contains(id));
        WaitForAsyncUtils.waitForFxEvents();

        Label model = robot.lookup("#modelLabel").queryAs(Label.class);
        String shown = fx(() -> ((Text) model.lookup(".text")).getText());
        assertTrue(shown.startsWith("Saved run: code3, epoch " + epoch + ", " + accuracy + " test"), shown);
        String full = accuracy + " at epoch " + epoch + " · code3 · seed 1 · study " + repeat.id();
        Node button = fx(() -> box.lookup(".list-cell"));
        String inBox = fx(() -> ((Text) button.lookup(".text")).getText());
        assertEquals(accuracy + " · code3 · seed 1", inBox, "the box names the member by its seed, whole");
        assertEquals(full, fx(() -> box.getTooltip().getText()), "its tooltip says it whole");
    }
}
