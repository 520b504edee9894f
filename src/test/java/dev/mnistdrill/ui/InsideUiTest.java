package dev.mnistdrill.ui;

import static dev.mnistdrill.ui.UiTests.fx;
import static dev.mnistdrill.ui.UiTests.fxRun;
import static dev.mnistdrill.ui.UiTests.selectTab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunRecorder;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.control.FeatureMapsView;
import dev.mnistdrill.ui.control.LayerStatsCharts;
import dev.mnistdrill.ui.view.DrawController;
import dev.mnistdrill.ui.view.RunsController;
import dev.mnistdrill.ui.view.TrainingController;
import dev.mnistdrill.ui.view.WorkbenchController;
import dev.mnistdrill.ui.vm.DrawViewModel.PredictionTiming;
import dev.mnistdrill.ui.vm.TrainingViewModel.State;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "See inside the network" in the real window (headless, TestFX): the layer table's receptive fields, a drawn digit's
 * feature maps and saliency, the filters, the layer statistics of a saved run and of a live one, and the report.
 * A small code2 run trained before the window opens is the saved run explored.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InsideUiTest {
    private static final org.testfx.api.FxRobot robot = new org.testfx.api.FxRobot();
    private static Path home;
    private static WorkbenchContext context;
    private static DrawTimings drawTimings;
    private static WorkbenchController controller;
    private static RunRecord saved;

    @BeforeAll
    static void openWindow() throws Exception {
        home = Files.createTempDirectory("mnistdrill-inside-test");
        Path runs = home.resolve("runs");
        // a saved run to explore: code2's network on 1,000 digits for one epoch, stored as the window stores runs
        ExperimentConfig config = Presets.get("code2").withSubset(1000).withEpochs(1).withBatchSize(32)
                .withLearningRate(0.05);
        Path folder = new RunStore(runs).create(config);
        var result = new Trainer(config, TestData.mnist(), folder).run(new RunRecorder(folder, config));
        assertEquals(TrainingStatus.COMPLETED, result.status(), result.error());
        saved = RunStore.read(folder);

        context = new WorkbenchContext(runs, WorkbenchContext.standardLoader());
        drawTimings = DrawTimings.on(context.draw());
        controller = UiTests.openWindow(context);
        fx(() -> context.data().load());
        waitFor(120, "MNIST", () -> context.data().data() != null);
    }

    @AfterAll
    static void closeWindow() throws Exception {
        UiTests.closeWindow(context, home);
    }

    @Test
    @Order(1)
    void theLayerTableShowsEachLayersReceptiveFieldAndJump() throws Exception {
        fxRun(() -> context.experiment().applyPreset("code4"));
        @SuppressWarnings("unchecked")
        TableView<Architecture.LayerRow> table = robot.lookup("#layerTable").queryAs(TableView.class);
        List<String> headers = fx(() -> table.getColumns().stream().map(InsideUiTest::header)
                .toList());
        assertEquals(List.of("Layer", "Output", "RF", "Jump", "Params"), headers);
        Architecture.Summary summary = Presets.get("code4").summary();
        for (int row : new int[] {0, 4, summary.rows().size() - 3}) {
            Architecture.LayerRow expected = summary.rows().get(row);
            assertEquals(Integer.toString(expected.receptiveField()), fx(() -> cell(table, 2, row)));
            assertEquals(Integer.toString(expected.jump()), fx(() -> cell(table, 3, row)));
        }
        assertEquals("22", fx(() -> cell(table, 2, summary.rows().size() - 3)),
                "code4's last 3x3 convolution sees 22 pixels");
        Label note = robot.lookup("#receptiveFieldNote").queryAs(Label.class);
        assertEquals(summary.receptiveFieldNote(), fx(note::getText));
        assertTrue(fx(note::isVisible));
    }

    static void waitFor(int seconds, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        UiTests.waitFor(seconds, what, condition, () -> context.training().statusProperty().get() + " / "
                + context.runs().status().text());
    }

    private static String header(TableColumn<?, ?> c) {
        return c.getGraphic() instanceof Label l ? l.getText() : c.getText();
    }

    private static String cell(TableView<Architecture.LayerRow> table, int column, int row) {
        return String.valueOf(table.getColumns().get(column).getCellData(row));
    }

    @Test
    @Order(2)
    void drawingADigitFillsTheFeatureMapsAndTheSaliencyMap() throws Exception {
        fx(() -> context.runs().useModel(saved)).get(60, TimeUnit.SECONDS);
        waitFor(60, "the saved model on the pad",
                () -> context.draw().modelDescriptionProperty().get().contains(saved.id()));
        selectTab("Draw a digit");
        DrawController draw = controller.drawController();
        FeatureMapsView maps = draw.featureMaps();
        assertEquals(List.of(), fx(maps::tileCounts), "nothing drawn, no maps");
        fxRun(drawTimings::reset);

        WorkbenchUiTest.drawSeven();
        waitFor(30, "the feature maps", () -> context.draw().traceProperty().get() != null);
        // code2: c8 c16 p t8 c12 c16 c16 gap, a row per convolution, a tile per channel
        assertEquals(List.of(8, 16, 8, 12, 16, 16), fx(maps::tileCounts));
        var trace = fx(() -> context.draw().traceProperty().get());
        assertTrue(Arrays.equals(trace.probabilities(), fx(() -> context.draw()
                .probabilitiesProperty().get())), "the maps come from the pass that gave the probabilities");
        waitFor(60, "the saliency map", () -> context.draw().saliencyProperty().get() != null
                && draw.saliency().shownMap() != null);
        int predicted = fx(() -> context.draw().predictedProperty().get());
        float[] predictedMap = fx(() -> draw.saliency().shownMap());
        assertTrue(maxAbs(predictedMap) > 0, "the map shows something");
        assertEquals("Where it looks for " + predicted, fx(() -> robot
                .lookup("#saliencyTitle").queryAs(Label.class).getText()));

        // hovering a map shows it large with its channel
        robot.moveTo(fx(() -> maps.tile(1, 3)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(new FeatureMapsView.MapRef(1, 3), fx(() -> maps.hoveredProperty().get()));
        assertTrue(fx(maps::largeCaption).startsWith("conv 2 · c16, channel 3 of 16"),
                fx(maps::largeCaption));

        // another class's bar: its own map
        int other = (predicted + 1) % 10;
        robot.clickOn(fx(() -> draw.bars().row(other)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(other, (int) fx(() -> context.draw().saliencyDigitProperty().get()));
        float[] otherMap = fx(() -> draw.saliency().shownMap());
        assertFalse(Arrays.equals(predictedMap, otherMap), "another class, another map");
        assertTrue(fx(() -> draw.bars().row(other).getStyleClass().contains("picked")));
        robot.clickOn(fx(() -> draw.bars().row(predicted)));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(-1, (int) fx(() -> context.draw().saliencyDigitProperty().get()),
                "the predicted class's bar goes back to following the prediction");

        // saved as a PNG
        Path png = home.resolve("maps.png");
        fx(() -> draw.saveFeatureMaps(png)).get(30, TimeUnit.SECONDS);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 300 && image.getHeight() > 100, image.getWidth() + "x" + image.getHeight());

        System.out.printf(Locale.ROOT, "Draw tab inside the network: prediction with feature maps %s; saliency "
                + "sweeps %s%n", WorkbenchUiTest.stats(fx(() -> drawTimings.predictions(
                        PredictionTiming::networkMillis))),
                WorkbenchUiTest.stats(fx(drawTimings::saliencySweeps)));

        robot.clickOn("#clearButton");
        waitFor(10, "the maps to go", () -> context.draw().traceProperty().get() == null);
        assertEquals(List.of(), fx(maps::tileCounts));
        assertEquals(null, fx(() -> draw.saliency().shownMap()));
    }

    @Test
    @Order(3)
    void theFiltersTabShowsTheModelsFilters() throws Exception {
        DrawController draw = controller.drawController();
        fxRun(() -> draw.insideTabs().getSelectionModel().select(1));
        var shown = fx(() -> draw.filters().shown());
        assertNotNull(shown, "the saved model's filters");
        assertEquals(8, shown.first().count(), "code2's first layer: c8");
        assertEquals(1, shown.transitions().size());
        assertEquals(16, shown.transitions().get(0).inChannels(), "t8 mixes c16's 16 channels");
        assertEquals(8, shown.transitions().get(0).outChannels());
        fxRun(() -> draw.insideTabs().getSelectionModel().select(0));
    }

    @Test
    @Order(4)
    void theRunsTabShowsASavedRunsLayerStatisticsAndFilters() throws Exception {
        selectTab("Runs");
        RunsController runs = controller.runsController();
        waitFor(30, "the saved run in the table", () -> context.runs().rows().stream()
                .anyMatch(r -> r.record().id().equals(saved.id())));
        fxRun(() -> context.runs().openedProperty().set(saved));
        fxRun(() -> runs.detailTabs().getSelectionModel().select(runs.layersTab()));
        waitFor(30, "the layer statistics", () -> runs.runLayers().primary().stats().size() == 6);
        assertEquals(6, (int) fx(() -> runs.runLayers().primary()
                .series(LayerStatsCharts.Stat.STD).size()), "a line per convolution");
        fxRun(() -> runs.detailTabs().getSelectionModel().select(runs.filtersTab()));
        waitFor(60, "the filters", () -> runs.runFilters().shown() != null);
        assertEquals(8, (int) fx(() -> runs.runFilters().shown().first().count()));
        fxRun(() -> runs.detailTabs().getSelectionModel().select(0));
    }

    @Test
    @Order(5)
    void aLiveRunFillsTheLayersChartBesideASavedRun() throws Exception {
        fxRun(() -> {
            context.experiment().applyPreset("code1");
            context.experiment().subsetProperty().set("500");
            context.experiment().epochsProperty().set("1");
            context.experiment().batchSizeProperty().set("32");
        });
        selectTab("Training");
        TrainingController training = controller.trainingController();
        robot.clickOn("#layersToggle");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> training.layers().isVisible()));
        assertFalse(fx(() -> training.charts().isVisible()), "one view at a time");
        robot.clickOn("#startButton");
        waitFor(30, "the run to start", () -> context.training().state() != State.IDLE);
        waitFor(240, "the run to finish", () -> context.training().state() == State.IDLE);
        assertEquals(TrainingStatus.COMPLETED, fx(() -> context.training().resultProperty().get()
                .status()));
        // code1: c8 c16 p t8 c12 c16 c16 gap without BatchNorm
        waitFor(10, "the live statistics", () -> training.layers().primary().stats().size() == 6);
        Path live = fx(() -> context.training().runFolderProperty().get());
        assertEquals(RunStore.readLayerStats(live), fx(() -> training.layers().primary().stats()),
                "the chart shows what the run stored");

        // the saved code2 run beside it, on the same axes
        var saved2 = fx(() -> context.runs().rows().stream().map(r -> r.record())
                .filter(r -> r.id().equals(saved.id())).findFirst().orElseThrow());
        fxRun(() -> training.compareBox().setValue(saved2));
        waitFor(30, "the compared run", () -> training.layers().isComparing()
                && training.layers().compared().stats().size() == 6);
        for (LayerStatsCharts.Stat stat : LayerStatsCharts.Stat.values()) {
            var left = fx(() -> axis(training.layers().primary(), stat));
            var right = fx(() -> axis(training.layers().compared(), stat));
            assertEquals(left, right, stat + ": both sides on the same scale");
        }
        fxRun(() -> training.compareBox().setValue(null));
        assertFalse(fx(() -> training.layers().isComparing()));
        training.showLayers(false);
    }

    private static List<Double> axis(LayerStatsCharts charts, LayerStatsCharts.Stat stat) {
        var y = charts.valueAxis(stat);
        return List.of(y.getLowerBound(), y.getUpperBound());
    }

    @Test
    @Order(6)
    void theReportIncludesTheRunsLayerStatisticsAndFilters() throws Exception {
        Path file = home.resolve("report.md");
        fx(() -> controller.runsController().exportReport(List.of(saved), file))
                .get(120, TimeUnit.SECONDS);
        String md = Files.readString(file);
        assertTrue(md.contains("### Inside the network") && md.contains("| conv 1 · c8 |"), md);
        for (String image : List.of("report-" + saved.id() + "-layers.png", "report-" + saved.id()
                + "-filters.png")) {
            assertTrue(md.contains("(" + image + ")"), image);
            assertTrue(ImageIO.read(home.resolve(image).toFile()).getWidth() > 200, image);
        }
    }

    private static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
