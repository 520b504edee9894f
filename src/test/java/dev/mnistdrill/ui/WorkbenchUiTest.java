package dev.mnistdrill.ui;

import static dev.mnistdrill.ui.UiTests.fx;
import static dev.mnistdrill.ui.UiTests.fxRun;
import static dev.mnistdrill.ui.UiTests.selectTab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.LrSchedule;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.control.DigitCanvas;
import dev.mnistdrill.ui.control.MetricsCharts;
import dev.mnistdrill.ui.control.SampleGrid;
import dev.mnistdrill.ui.view.WorkbenchController;
import dev.mnistdrill.ui.vm.DrawViewModel.PredictionTiming;
import dev.mnistdrill.ui.vm.RunsViewModel.RunRow;
import dev.mnistdrill.ui.vm.TrainingViewModel.State;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.GridPane;
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
 * Drives the real workbench window headless (Monocle) with TestFX. One window, one temp runs folder and one JVM
 * for all steps, in order, so that ND4J and MNIST load once: a short training feeds the later steps.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkbenchUiTest {
    private static final FxRobot robot = new FxRobot();
    private static Path home;
    private static WorkbenchContext context;
    private static WorkbenchController controller;
    private static String finishedRunId;
    private static DrawTimings drawTimings;

    @BeforeAll
    static void openWindow() throws Exception {
        Engine.configure();
        home = Files.createTempDirectory("mnistdrill-ui-test");
        context = new WorkbenchContext(home.resolve("runs"), WorkbenchContext.standardLoader());
        drawTimings = DrawTimings.on(context.draw());
        controller = UiTests.openWindow(context);
        fx(() -> context.data().load());
    }

    @AfterAll
    static void closeWindow() throws Exception {
        UiTests.closeWindow(context, home);
    }

    static void waitFor(int seconds, String what, Callable<Boolean> condition) throws Exception {
        UiTests.waitFor(seconds, what, condition, () -> context.training().statusProperty().get() + " / "
                + context.data().statusProperty().get() + " / " + context.runs().status().text());
    }

    static void replaceText(String id, String text) {
        replaceText(robot.lookup(id).query(), text);
    }

    static void replaceText(Node field, String text) {
        // focused first, as by the Tab key, which scrolls the form to it: a robot's click does not scroll
        robot.interact(field::requestFocus);
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(field);
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    @Order(1)
    void changingKnobsUpdatesTheParameterBadge() throws Exception {
        fxRun(() -> context.experiment().applyPreset("code1"));
        Label badge = robot.lookup("#budgetBadge").queryAs(Label.class);
        String before = fx(badge::getText);
        assertTrue(before.startsWith(String.format(Locale.ROOT, "%,d", context.experiment().trainableProperty().get())));
        assertTrue(fx(() -> badge.getStyleClass().contains("ok")));

        robot.clickOn("#batchNormSwitch");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> context.experiment().batchNormProperty().get()), "the switch turned BatchNorm on");
        assertNotEquals(before, fx(badge::getText), "BatchNorm changes the count");
        Label lrLabel = robot.lookup(".field-label").match(n -> "Learning rate".equals(((Label) n).getText()))
                .queryAs(Label.class);
        assertSame(robot.lookup("#learningRateField").query(), fx(lrLabel::getLabelFor), "labels name their fields");
        String target = fx(() -> robot.lookup("#presetTarget").queryAs(Label.class).getText());
        assertTrue(target.startsWith("Target of code1: A light skeleton"), "the preset's text, named as its target");
        assertTrue(target.contains("Changed from code1: BatchNorm on (preset off)"),
                "the form says the preset was changed");

        replaceText("#architectureField", "c32 c32 p t16 c32 c32 c32 gap");
        assertTrue(fx(() -> badge.getStyleClass().contains("over")), "over budget turns the badge red");
        assertTrue(fx(badge::getText).startsWith(String.format(Locale.ROOT, "%,d",
                context.experiment().trainableProperty().get())));
        TableView<?> layers = robot.lookup("#layerTable").queryAs(TableView.class);
        assertEquals(fx(() -> context.experiment().summaryProperty().get().rows().size()),
                (Integer) fx(() -> layers.getItems().size()));

        fxRun(() -> context.experiment().applyPreset("code1"));
        assertTrue(fx(() -> badge.getStyleClass().contains("ok")));
    }

    @Test
    @Order(2)
    void invalidInputIsRefusedInlineWithAReason() throws Exception {
        replaceText("#learningRateField", "abc");
        TextField lr = robot.lookup("#learningRateField").queryAs(TextField.class);
        assertTrue(fx(() -> lr.getStyleClass().contains("invalid")));
        assertTrue(fx(() -> robot.lookup(".problem").queryAll().stream()
                .anyMatch(n -> ((Label) n).getText().contains("Learning rate: 'abc' is not a number"))));
        assertTrue(fx(() -> robot.lookup("#startButton").queryAs(Button.class).isDisabled()),
                "cannot start an invalid experiment");
        assertTrue(fx(() -> lr.getTooltip().getText()).contains("not a number"), "the reason on hover too");
        replaceText("#learningRateField", "0.01");
        assertFalse(fx(() -> lr.getStyleClass().contains("invalid")));
        assertTrue(fx(() -> lr.getTooltip().getText()).startsWith("The step size"), "the field's help is back");
        assertFalse(fx(() -> robot.lookup("#startButton").queryAs(Button.class).isDisabled()));
        robot.push(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(State.IDLE, fx(() -> context.training().state()), "Enter in a field does not start a run");
    }

    /**
     * The form is the knobs' descriptors: a control per knob, each slider with its knob's bounds and step, each
     * label and tooltip the knob's; a value out of a knob's bounds typed into its field marks that field alone, with
     * the knob's sentence (the one the command line prints, ExperimentViewModelTest).
     */
    @Test
    @Order(2)
    void theFormsBoundsHelpAndErrorsAreTheKnobs() throws Exception {
        fxRun(() -> context.experiment().applyPreset("code4"));
        java.util.Map<Knob, Node> controls = new java.util.EnumMap<>(Knob.class);
        for (Node n : robot.lookup(n -> n.getProperties().containsKey(Knob.class)).queryAll()) {
            assertEquals(null, controls.put((Knob) n.getProperties().get(Knob.class), n), n + ": one control a knob");
        }
        assertEquals(EnumSet.allOf(Knob.class), controls.keySet(), "every knob is on the form");
        GridPane form = robot.lookup("#form").queryAs(GridPane.class);
        int sliders = 0;
        for (var e : controls.entrySet()) {
            Knob k = e.getKey();
            if (e.getValue() instanceof Slider slider) {
                sliders++;
                assertEquals(List.of(k.range().min(), k.range().max(), k.range().step()),
                        fx(() -> List.of(slider.getMin(), slider.getMax(), slider.getBlockIncrement())), k.name());
            }
            Control control = (Control) e.getValue();
            assertEquals(k.helpWithRange(), fx(() -> control.getTooltip().getText()).replace("± ", "+- "), k + "'s help");
            Label label = fx(() -> form.getChildren().stream().filter(n -> n instanceof Label l
                    && l.getLabelFor() == control).map(Label.class::cast).findFirst().orElseThrow());
            assertTrue(fx(label::getText).startsWith(k.label()), k + " is labelled " + fx(label::getText));
        }
        assertEquals(3, sliders);

        for (Knob k : List.of(Knob.LR, Knob.LR_STEP, Knob.LR_GAMMA, Knob.BATCH, Knob.EPOCHS)) {
            TextField field = (TextField) controls.get(k);
            String was = fx(field::getText);
            String outside = k.kind() == Knob.Kind.WHOLE ? Long.toString((long) k.range().max() + 1) : "0";
            replaceText(field, outside);
            assertEquals(List.of(k.range().problem()), fx(() -> context.experiment().problems()), k + " = " + outside);
            for (var e : controls.entrySet()) {
                boolean marked = fx(() -> e.getValue().getStyleClass().contains("invalid"));
                assertEquals(e.getKey() == k, marked, e.getKey() + " marked for " + k + " = " + outside);
            }
            assertEquals(k.range().problem(), fx(() -> field.getTooltip().getText()), "the reason on hover");
            replaceText(field, was);
            assertFalse(fx(() -> field.getStyleClass().contains("invalid")));
        }
        assertTrue(fx(() -> context.experiment().validProperty().get()));

        // one cycle sets the rate every step: the step schedule's fields go grey, the hint says where the cycle peaks
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<LrSchedule> schedule =
                (javafx.scene.control.ComboBox<LrSchedule>) controls.get(Knob.LR_SCHEDULE);
        Label hint = robot.lookup("#scheduleHint").queryAs(Label.class);
        assertEquals("LR 0.2 from epoch 1, 0.02 from epoch 6, 0.002 from epoch 11", fx(hint::getText));
        fxRun(() -> schedule.setValue(LrSchedule.ONE_CYCLE));
        assertTrue(fx(() -> controls.get(Knob.LR_STEP).isDisabled() && controls.get(Knob.LR_GAMMA).isDisabled()));
        assertEquals("LR from 0.008 up to 0.2 by step 2,111 (epoch 5), then down to nearly 0 by the last, step "
                + "7,035; it changes every step.", fx(hint::getText));
        assertEquals(LrSchedule.ONE_CYCLE, fx(() -> context.experiment().draftProperty().get().lrSchedule()));
        fxRun(() -> schedule.setValue(LrSchedule.STEP));
        assertFalse(fx(() -> controls.get(Knob.LR_STEP).isDisabled() || controls.get(Knob.LR_GAMMA).isDisabled()));

        // the form is taller than the window: the focused field is scrolled into view, at the bottom and the top
        javafx.scene.control.ScrollPane scroll =
                robot.lookup("#formScroll").queryAs(javafx.scene.control.ScrollPane.class);
        for (Knob k : List.of(Knob.SUBSET, Knob.NAME, Knob.WEIGHT_DECAY)) {
            Node field = controls.get(k);
            robot.interact(field::requestFocus);
            WaitForAsyncUtils.waitForFxEvents();
            Bounds shown = fx(() -> scroll.localToScene(scroll.getLayoutBounds()));
            Bounds at = fx(() -> field.localToScene(field.getLayoutBounds()));
            assertTrue(shown.contains(at), k + " at " + at + " in view " + shown);
        }
        assertTrue(fx(() -> scroll.getVvalue() > scroll.getVmin()), "the form scrolled (the window is shorter)");
        fxRun(() -> context.experiment().applyPreset("code1"));
    }

    @Test
    @Order(3)
    void sampleGridChangesWithRotation() throws Exception {
        waitFor(120, "MNIST", () -> context.data().data() != null);
        selectTab("Augmentation");
        Slider rotation = robot.lookup("#rotationSlider").match(n -> n.getScene() != null && n.isVisible()
                && n.getParent().getStyleClass().contains("toolbar")).queryAs(Slider.class);
        SampleGrid grid = robot.lookup(".sample-grid").queryAs(SampleGrid.class);
        fxRun(() -> { // no augmentation at all, so that these tiles are the originals (code4 also shifts by 1 px)
            context.experiment().translateProperty().set(0);
            rotation.setValue(0);
        });
        List<String> labels = fx(() -> grid.tiles().stream().map(t -> t.caption()).toList());
        int[] flat = fx(() -> pixels(grid.tiles().get(0).shownImage()));
        assertEquals(64, labels.size());
        assertTrue(labels.stream().allMatch(l -> l.matches("[0-9]")), "every tile shows its label");

        // move the slider thumb with the mouse
        robot.drag(rotation.lookup(".thumb"), MouseButton.PRIMARY).moveBy(120, 0).drop();
        WaitForAsyncUtils.waitForFxEvents();
        double degrees = fx(() -> context.experiment().rotationProperty().get());
        assertTrue(degrees > 5, "the slider moved: " + degrees);
        assertEquals(degrees, fx(() -> context.samples().rotationProperty().get()));
        int[] rotated = fx(() -> pixels(grid.tiles().get(0).shownImage()));
        assertFalse(Arrays.equals(flat, rotated), "the tile is rotated now");
        assertEquals(labels, fx(() -> grid.tiles().stream().map(t -> t.caption()).toList()),
                "same digits, only turned");

        // hovering a tile shows its original beside its augmented copy
        var samplesView = fx(() -> (dev.mnistdrill.ui.view.SamplesController) controllerField("samplesViewController"));
        var large = samplesView.comparisonTiles();
        robot.moveTo(grid.tiles().get(5));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(fx(() -> context.samples().samples().get(5)), fx(() -> grid.hoveredProperty().get()));
        assertTrue(Arrays.equals(pixels(dev.mnistdrill.ui.control.DigitImages.of(
                fx(() -> context.samples().samples().get(5).original()))), fx(() -> pixels(large.get(0).shownImage()))),
                "left: the original");
        assertTrue(Arrays.equals(fx(() -> pixels(grid.tiles().get(5).shownImage())),
                fx(() -> pixels(large.get(1).shownImage()))), "right: the tile as trained");
        assertFalse(Arrays.equals(fx(() -> pixels(large.get(0).shownImage())),
                fx(() -> pixels(large.get(1).shownImage()))), "turned by the rotation");
        robot.moveBy(0, -400);
        robot.clickOn("#originalToggle");
        assertTrue(Arrays.equals(flat, fx(() -> pixels(grid.tiles().get(0).shownImage()))), "toggle = originals");
        robot.clickOn("#originalToggle");

        robot.clickOn("#rerollButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertNotEquals(labels, fx(() -> grid.tiles().stream().map(t -> t.caption()).toList()), "re-roll draws anew");
        fxRun(() -> context.experiment().applyPreset("code1"));
    }

    static int[] pixels(Image image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] out = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), out, 0, w);
        return out;
    }

    @Test
    @Order(4)
    void shortTrainingUpdatesTheChartsAndFinishes() throws Exception {
        fxRun(() -> {
            context.experiment().applyPreset("code2");
            context.experiment().subsetProperty().set("2000");
            context.experiment().epochsProperty().set("2");
            context.experiment().batchSizeProperty().set("32");
            context.experiment().learningRateProperty().set("0.05");
        });
        selectTab("Training");
        // what the window shows when the run's end arrives: the last epoch's updates must have come first
        List<String> atFinish = new ArrayList<>();
        fxRun(() -> context.training().onFinished(r -> {
            if (atFinish.isEmpty()) {
                var snapshot = context.training().snapshotProperty().get();
                atFinish.add("epochs shown " + context.training().epochs().size() + ", in the result "
                        + r.epochs().size() + ", drawing-pad snapshot of epoch "
                        + (snapshot == null ? 0 : snapshot.epoch()));
            }
        }));
        PulseMonitor pulses = new PulseMonitor();
        fxRun(pulses::start);
        robot.clickOn("#startButton");
        waitFor(30, "the run to start", () -> context.training().state() != State.IDLE);
        // the form locks (a frame after the Start) and unlocks when the run ends
        javafx.scene.Node form = robot.lookup("#form").query();
        waitFor(5, "the form to lock", form::isDisabled);
        MetricsCharts charts = controllerCharts();

        // after the first epoch: draw on the pad while training goes on
        waitFor(240, "the first epoch", () -> !context.training().epochs().isEmpty());
        // the snapshot is warmed up on the prediction worker before it reaches the pad
        waitFor(30, "the snapshot on the drawing pad", () -> context.draw().modelProperty().get() != null);
        selectTab("Draw a digit");
        fxRun(drawTimings::reset);
        int before = fx(() -> context.draw().predictionsProperty().get());
        drawSeven();
        boolean stillTraining = fx(() -> context.training().state() != State.IDLE);
        waitFor(30, "a prediction", () -> context.draw().predictionsProperty().get() > before);
        selectTab("Training");

        waitFor(240, "the run to finish", () -> context.training().state() == State.IDLE);
        fxRun(pulses::stop);
        waitFor(5, "the form to unlock", () -> !form.isDisabled());
        assertEquals(TrainingStatus.COMPLETED, fx(() -> context.training().resultProperty().get().status()));
        assertEquals(List.of("epochs shown 2, in the result 2, drawing-pad snapshot of epoch 2"), atFinish);
        assertEquals(2, (int) fx(() -> charts.testSeries().getData().size()));
        assertEquals(2, (int) fx(() -> charts.trainSeries().getData().size()));
        assertEquals(2, (int) fx(() -> charts.learningRateSeries().getData().size()));
        var planned = fx(() -> List.copyOf(charts.plannedLearningRateSeries().getData()));
        assertEquals(9, planned.size(), "the schedule drawn from epoch 1 to 2, 8 samples an epoch");
        assertEquals(List.of(2.0, fx(() -> charts.learningRateSeries().getData().get(1).getYValue())),
                List.of(planned.get(8).getXValue(), planned.get(8).getYValue()), "it meets epoch 2's dot");
        int lossPoints = fx(() -> charts.lossSeries().getData().size());
        assertTrue(lossPoints >= 10, "loss points: " + lossPoints);
        double lastTest = fx(() -> charts.testSeries().getData().get(1).getYValue().doubleValue());
        double engineTest = fx(() -> context.training().epochs().get(1).testAccuracy());
        assertEquals(100 * engineTest, lastTest, 1e-9, "the chart shows the engine's test accuracy in percent");
        assertTrue(lastTest > 10, "better than chance after two epochs: " + lastTest);
        assertEquals(1.0, fx(() -> context.training().runProgressProperty().get()));
        Path folder = fx(() -> context.training().runFolderProperty().get());
        assertTrue(Files.isRegularFile(folder.resolve(RunStore.MODEL_FILE)));
        finishedRunId = folder.getFileName().toString();

        // another model on the pad, then "follow" ticked again: back to the training's last snapshot at once
        var snapshot = fx(() -> context.training().snapshotProperty().get());
        fxRun(() -> context.draw().useSavedModel(snapshot, "Saved run for the test"));
        // the warm-up runs at low priority: on a busy machine it waits for the cores
        waitFor(30, "the saved model", () -> context.draw().modelDescriptionProperty().get().startsWith("Saved"));
        assertFalse(fx(() -> context.draw().followTrainingProperty().get()));
        fxRun(() -> context.draw().followTrainingProperty().set(true));
        waitFor(10, "the training's snapshot again", () -> context.draw().modelDescriptionProperty().get()
                .startsWith("Live: code2, snapshot after epoch 2"));

        List<Double> timings = fx(() -> drawTimings.predictions(PredictionTiming::millis));
        List<Double> network = fx(() -> drawTimings.predictions(PredictionTiming::networkMillis));
        String report = String.format(Locale.ROOT,
                "During a 2-epoch training (2,000 digits, batch 32): JavaFX %s; canvas predictions while drawing "
                        + "(rasterise+preprocess+network): %s; network alone: %s%s",
                pulses.report(), stats(timings), stats(network),
                stillTraining ? "" : " (training had ended before the drawing)");
        System.out.println(report);
        Files.writeString(Path.of("target", "ui-responsiveness.txt"), report + "\n", StandardCharsets.UTF_8);
        assertTrue(pulses.frames() > 30, "the FX thread kept pulsing: " + pulses.report());
        assertFalse(timings.isEmpty());
    }

    /** n, median, 95th percentile and max of timings in ms. */
    static String stats(List<Double> ms) {
        if (ms.isEmpty()) {
            return "none";
        }
        double[] sorted = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, "n=%d median %.1f ms, p95 %.1f ms, max %.1f ms", sorted.length,
                sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1, (int) (0.95 * sorted.length))],
                sorted[sorted.length - 1]);
    }

    /** A "7": a stroke across the top and one down to the lower left. */
    static void drawSeven() {
        DigitCanvas canvas = robot.lookup(".digit-canvas").queryAs(DigitCanvas.class);
        Bounds b = canvas.localToScreen(canvas.getBoundsInLocal());
        double x = b.getMinX();
        double y = b.getMinY();
        robot.moveTo(new javafx.geometry.Point2D(x + 70, y + 65));
        robot.press(MouseButton.PRIMARY);
        for (int i = 1; i <= 10; i++) {
            robot.moveTo(new javafx.geometry.Point2D(x + 70 + 14 * i, y + 65));
        }
        for (int i = 1; i <= 12; i++) {
            robot.moveTo(new javafx.geometry.Point2D(x + 210 - 7 * i, y + 65 + 14 * i));
        }
        robot.release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    @Order(5)
    void drawingStrokesProducesAPredictionAndClearShowsTheHint() throws Exception {
        selectTab("Draw a digit");
        robot.clickOn("#clearButton");
        waitFor(10, "the empty-canvas hint", () -> context.draw().hintProperty().get() != null
                && context.draw().probabilitiesProperty().get() == null);
        assertTrue(fx(() -> robot.lookup("#hintLabel").queryAs(Label.class).isVisible()));
        assertEquals("?", fx(() -> robot.lookup("#bigDigit").queryAs(Label.class).getText()));

        fxRun(drawTimings::reset);
        int before = fx(() -> context.draw().predictionsProperty().get());
        drawSeven();
        waitFor(30, "a prediction", () -> context.draw().predictionsProperty().get() > before
                && context.draw().probabilitiesProperty().get() != null);
        double[] p = fx(() -> context.draw().probabilitiesProperty().get());
        assertEquals(1.0, Arrays.stream(p).sum(), 1e-3);
        int best = fx(() -> context.draw().predictedProperty().get());
        assertEquals(Integer.toString(best), fx(() -> robot.lookup("#bigDigit").queryAs(Label.class).getText()));
        float[] preview = fx(() -> context.draw().previewProperty().get());
        assertTrue(preview != null && preview.length == 784);
        assertTrue(fx(() -> !robot.lookup("#hintLabel").queryAs(Label.class).isVisible()));
        String report = "No training running: canvas predictions "
                + stats(fx(() -> drawTimings.predictions(PredictionTiming::millis)))
                + "; network alone: " + stats(fx(() -> drawTimings.predictions(PredictionTiming::networkMillis)));
        System.out.println(report);
        Files.writeString(Path.of("target", "ui-responsiveness.txt"), report + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);

        robot.clickOn("#undoButton");
        robot.push(KeyCode.SHORTCUT, KeyCode.Z); // the second stroke, from the keyboard
        waitFor(10, "the hint after undo", () -> context.draw().probabilitiesProperty().get() == null);
    }

    @Test
    @Order(6)
    void pauseResumeAndStopWork() throws Exception {
        fxRun(() -> {
            context.experiment().applyPreset("code2");
            context.experiment().subsetProperty().set("2000");
            context.experiment().epochsProperty().set("2");
            context.experiment().batchSizeProperty().set("32");
        });
        selectTab("Training");
        robot.clickOn("#startButton");
        waitFor(60, "batches", () -> context.training().iterationsProperty().get() >= 3);
        robot.clickOn("#pauseButton");
        assertEquals(State.PAUSED, fx(() -> context.training().state()));
        assertEquals("▶  Resume", fx(() -> robot.lookup("#pauseButton").queryAs(Button.class).getText()));
        Thread.sleep(600); // the batch in flight lands
        long paused = fx(() -> context.training().iterationsProperty().get());
        Thread.sleep(1500);
        assertEquals(paused, (long) fx(() -> context.training().iterationsProperty().get()), "no batches while paused");

        robot.clickOn("#pauseButton");
        assertEquals(State.RUNNING, fx(() -> context.training().state()));
        waitFor(30, "batches after resume", () -> context.training().iterationsProperty().get() > paused);

        robot.clickOn("#stopButton");
        waitFor(60, "the stop", () -> context.training().state() == State.IDLE);
        assertEquals(TrainingStatus.CANCELLED, fx(() -> context.training().resultProperty().get().status()));
        Path folder = fx(() -> context.training().runFolderProperty().get());
        assertEquals(TrainingStatus.CANCELLED, RunStore.read(folder).summary().status());
    }

    @Test
    @Order(10)
    void stoppingRightAfterTheStartStoresNothingAndClosingDoesNotWait() throws Exception {
        assertEquals(State.IDLE, fx(() -> context.training().state()), "no run left over from earlier steps");
        int stored = context.store().list(p -> { }).size();
        // Start and Stop in one go: the training thread would have been handed the run a few frames later
        List<Object> seen = fx(() -> {
            context.training().start(context.experiment().config());
            State started = context.training().state();
            long t0 = System.nanoTime();
            context.training().stopAndWait(5_000); // what closing the window does
            return List.of(started, (System.nanoTime() - t0) / 1_000_000, context.training().state());
        });
        assertEquals(State.PREPARING, seen.get(0), "the run had started");
        assertTrue((long) seen.get(1) < 1_000, "closing waited " + seen.get(1) + " ms for a run that never started");
        assertEquals(State.STOPPING, seen.get(2));
        waitFor(10, "the stop", () -> context.training().state() == State.IDLE);
        assertEquals(TrainingStatus.CANCELLED, fx(() -> context.training().resultProperty().get().status()));
        assertTrue(fx(() -> context.training().resultProperty().get().epochs().isEmpty()));
        assertEquals(null, fx(() -> context.training().runFolderProperty().get()), "no run folder was made");
        assertEquals(stored, context.store().list(p -> { }).size(), "no run folder on disk either");
    }

    @Test
    @Order(7)
    void runsTableListsTheFinishedRunAndOpensIt() throws Exception {
        assertNotNull(finishedRunId, "needs the training step");
        selectTab("Runs");
        robot.clickOn("#refreshButton");
        waitFor(20, "the runs table", () -> context.runs().rows().stream()
                .anyMatch(r -> r.record().id().equals(finishedRunId)));
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#table").queryAs(TableView.class);
        int index = fx(() -> indexOf(table, finishedRunId));
        RunRecord run = fx(() -> table.getItems().get(index).record());
        assertEquals("code2", run.config().name());
        assertEquals(TrainingStatus.COMPLETED, run.summary().status());
        assertEquals(2, run.summary().epochsCompleted());
        assertTrue(fx(() -> table.getItems().size()) >= 2, "the stopped run is listed too");

        // overlay it on the live charts
        MetricsCharts live = controllerCharts();
        fxRun(() -> table.getItems().get(index).overlayProperty().set(true));
        assertEquals(3, (int) fx(() -> live.overlaySeries().size()));

        // open it: the Results are filled in, Target and Analysis are editable and saved
        fxRun(() -> table.getSelectionModel().clearAndSelect(index));
        // a hidden Runs tab lets go of its rows (a new run's row must not re-lay it out), and gets them back with
        // the selection when shown again
        RunRow selected = fx(() -> table.getSelectionModel().getSelectedItem());
        selectTab("Training");
        assertEquals(0, (int) fx(() -> table.getItems().size()), "no rows while the tab is hidden");
        selectTab("Runs");
        assertEquals(new java.util.HashSet<>(context.runs().rows()), fx(() -> new java.util.HashSet<>(table.getItems())));
        assertEquals(List.of(selected), fx(() -> List.copyOf(table.getSelectionModel().getSelectedItems())));
        robot.clickOn("#openButton");
        TextArea results = robot.lookup("#resultsArea").queryAs(TextArea.class);
        assertTrue(fx(results::getText).contains("Best test accuracy"));
        replaceTextArea("#analysisArea", "Two quick epochs on a subset: a smoke test.");
        robot.clickOn("#saveNotesButton");
        Path notes = run.folder().resolve(RunStore.NOTES_FILE);
        waitFor(10, "notes.json", () -> Files.readString(notes).contains("a smoke test"));

        // notes typed and not saved survive closing the window and opening another run
        appendToTextArea("#analysisArea", " Closing now.");
        assertTrue(fx(() -> controller.confirmClose()), "no run training: the window may close");
        assertTrue(Files.readString(notes).contains("a smoke test. Closing now."), "saved on close: "
                + Files.readString(notes));
        RunRecord other = fx(() -> table.getItems().stream().map(RunRow::record)
                .filter(r -> !r.id().equals(finishedRunId)).findFirst().orElseThrow());
        appendToTextArea("#analysisArea", " And on.");
        fxRun(() -> context.runs().openedProperty().set(other));
        waitFor(10, "the notes saved on switching runs", () -> Files.readString(notes).contains("Closing now. And on."));
        fxRun(() -> context.runs().openedProperty().set(table.getItems().get(indexOf(table, finishedRunId)).record()));
        waitFor(10, "the run reopened with its notes", () -> robot.lookup("#analysisArea").queryAs(TextArea.class)
                .getText().endsWith("And on."));

        // numbers sort as numbers, runs without a best accuracy first
        var runsView = fx(() -> (dev.mnistdrill.ui.view.RunsController) controllerField("runsViewController"));
        @SuppressWarnings("unchecked")
        var best = (javafx.scene.control.TableColumn<RunRow, Double>) fx(() -> table.getColumns().stream()
                .filter(c -> c.getGraphic() instanceof Label l && l.getText().equals("Best test")).findFirst()
                .orElseThrow());
        fxRun(() -> {
            best.setSortType(javafx.scene.control.TableColumn.SortType.ASCENDING);
            table.getSortOrder().setAll(best);
        });
        assertSortedByBest(table, best);
        // and stays so when the table is re-read (after every epoch of a live run, every save)
        fx(() -> context.runs().refresh()).get(20, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertSortedByBest(table, best);
        assertEquals(run.summary().bestTestAccuracy(), fx(() -> best.getCellObservableValue(
                table.getItems().get(indexOf(table, finishedRunId))).getValue()));
        fxRun(() -> table.getSortOrder().clear());

        // the run's charts open at the full range for a run below 97%, and zoom on demand
        MetricsCharts runCharts = runsView.runCharts();
        boolean zoomedFirst = run.summary().bestTestAccuracy() >= 0.97;
        assertEquals(zoomedFirst, fx(() -> runCharts.zoomedProperty().get()));
        fxRun(() -> robot.lookup("#runZoomBox").queryAs(javafx.scene.control.CheckBox.class).setSelected(!zoomedFirst));
        assertEquals(!zoomedFirst, fx(() -> runCharts.zoomedProperty().get()));

        // confusion matrix and misclassified digits of the finished run
        robot.clickOn("#evaluateButton");
        waitFor(120, "the evaluation", () -> context.runs().evaluationProperty().get() != null);
        int[][] confusion = fx(() -> robot.lookup("#confusion")
                .queryAs(dev.mnistdrill.ui.control.ConfusionMatrixView.class).shown());
        assertEquals(10_000, Arrays.stream(confusion).flatMapToInt(Arrays::stream).sum());
        int errors = fx(() -> context.runs().evaluationProperty().get().evaluation().errors());
        int tiles = fx(() -> robot.lookup("#gallery").queryAs(javafx.scene.layout.FlowPane.class).getChildren().size());
        assertEquals(Math.min(errors, 150), tiles);

        // a click on a red cell shows only that mistake; a second click every one again
        var matrix = robot.lookup("#confusion").queryAs(dev.mnistdrill.ui.control.ConfusionMatrixView.class);
        int[] worst = {0, 1};
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                if (t != p && confusion[t][p] > confusion[worst[0]][worst[1]]) {
                    worst = new int[] {t, p};
                }
            }
        }
        int[] cell = worst;
        javafx.scene.Node worstCell = fx(() -> matrix.getChildren().stream()
                .filter(n -> Integer.valueOf(cell[0] + 1).equals(javafx.scene.layout.GridPane.getRowIndex(n))
                        && Integer.valueOf(cell[1] + 1).equals(javafx.scene.layout.GridPane.getColumnIndex(n)))
                .findFirst().orElseThrow());
        robot.clickOn(worstCell);
        WaitForAsyncUtils.waitForFxEvents();
        var galleryPane = robot.lookup("#gallery").queryAs(javafx.scene.layout.FlowPane.class);
        List<String> captions = fx(() -> galleryPane.getChildren().stream()
                .map(n -> ((dev.mnistdrill.ui.control.DigitTile) n).caption()).toList());
        assertEquals(Math.min(confusion[cell[0]][cell[1]], 150), captions.size());
        assertTrue(captions.stream().allMatch(c -> c.equals(cell[0] + " → " + cell[1])), captions.toString());
        robot.clickOn(worstCell);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(Math.min(errors, 150), (int) fx(() -> galleryPane.getChildren().size()));

        // and its model on the drawing pad
        robot.clickOn("#useModelButton");
        waitFor(60, "the saved model", () -> context.draw().modelDescriptionProperty().get().contains(finishedRunId));
        assertFalse(fx(() -> context.draw().followTrainingProperty().get()));
        // the last run was stopped before its first epoch: following again has no snapshot to go back to yet
        fxRun(() -> context.draw().followTrainingProperty().set(true));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> context.draw().modelDescriptionProperty().get()).contains(finishedRunId));
    }

    private static void assertSortedByBest(TableView<RunRow> table, javafx.scene.control.TableColumn<RunRow, Double> best)
            throws Exception {
        List<Double> bests = fx(() -> table.getItems().stream().map(r -> best.getCellObservableValue(r).getValue())
                .toList());
        assertTrue(bests.size() >= 2);
        for (int i = 1; i < bests.size(); i++) {
            assertTrue(bests.get(i - 1) == null || bests.get(i) != null && bests.get(i - 1) <= bests.get(i),
                    "sorted by value: " + bests);
        }
    }

    static void appendToTextArea(String id, String text) {
        robot.clickOn(id);
        robot.push(KeyCode.CONTROL, KeyCode.END);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static MetricsCharts controllerCharts() {
        // the Training tab's (fx:id charts); the Runs tab has its own
        return robot.lookup("#charts").match(n -> n instanceof MetricsCharts).queryAs(MetricsCharts.class);
    }

    private static int indexOf(TableView<RunRow> table, String id) {
        for (int i = 0; i < table.getItems().size(); i++) {
            if (table.getItems().get(i).record().id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    static void replaceTextArea(String id, String text) {
        robot.clickOn(id);
        robot.push(KeyCode.CONTROL, KeyCode.A);
        robot.write(text);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    @Order(8)
    void aBrokenModelFileIsReportedInTheWindow() throws Exception {
        Path runs = context.store().root();
        Path broken = runs.resolve("29991231-235959-broken");
        Files.createDirectories(broken);
        Files.copy(runs.resolve(finishedRunId).resolve(RunStore.CONFIG_FILE), broken.resolve(RunStore.CONFIG_FILE));
        Files.writeString(broken.resolve(RunStore.MODEL_FILE), "not a zip");
        String modelBefore = fx(() -> context.draw().modelDescriptionProperty().get());
        fx(() -> context.runs().refresh());
        waitFor(20, "the broken run", () -> context.runs().rows().stream()
                .anyMatch(r -> r.record().id().equals("29991231-235959-broken")));
        fxRun(() -> context.runs().openedProperty().set(context.runs().rows().stream()
                .filter(r -> r.record().id().equals("29991231-235959-broken")).findFirst().orElseThrow().record()));
        robot.clickOn("#useModelButton");
        Label message = robot.lookup("#messageLabel").queryAs(Label.class);
        waitFor(30, "the error message", () -> message.getStyleClass().contains("error")
                && message.getText().contains("not a readable"));
        assertEquals(modelBefore, fx(() -> context.draw().modelDescriptionProperty().get()), "the pad keeps its model");
        assertEquals(0, (int) fx(() -> robot.listWindows().size() - 1), "no error dialog");

        // picked on the Draw tab, the broken model is reported there
        selectTab("Draw a digit");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<RunRecord> picker = robot.lookup("#savedRunBox")
                .queryAs(javafx.scene.control.ComboBox.class);
        robot.clickOn(picker);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> picker.getItems().stream().anyMatch(r -> r.id().equals(finishedRunId))));
        fxRun(() -> {
            picker.hide();
            picker.getSelectionModel().select(picker.getItems().stream()
                    .filter(r -> r.id().equals("29991231-235959-broken")).findFirst().orElseThrow());
        });
        Label problem = robot.lookup("#modelProblem").queryAs(Label.class);
        waitFor(30, "the error on the Draw tab", () -> problem.isVisible() && problem.getText().contains("not a readable"));
        assertEquals(modelBefore, fx(() -> context.draw().modelDescriptionProperty().get()), "the pad keeps its model");
        assertEquals(null, fx(picker::getValue));
        // a good one loads; opening the list again does not load it again
        robot.clickOn(picker);
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(() -> {
            picker.hide();
            picker.getSelectionModel().select(picker.getItems().stream()
                    .filter(r -> r.id().equals(finishedRunId)).findFirst().orElseThrow());
        });
        waitFor(60, "the picked model", () -> context.runs().status().text()
                .equals("Model of " + finishedRunId + " is on the drawing pad"));
        assertTrue(fx(() -> context.draw().modelDescriptionProperty().get()).contains(finishedRunId));
        assertFalse(fx(problem::isVisible));
        fxRun(() -> context.runs().status().info("picked"));
        robot.clickOn(picker);
        WaitForAsyncUtils.waitForFxEvents();
        fxRun(picker::hide);
        assertEquals("picked", fx(() -> context.runs().status().text()), "no second load");
        assertEquals(finishedRunId, fx(() -> picker.getValue().id()));

        // a run without a model cannot be used or evaluated
        Path noModel = runs.resolve("29991231-235958-nomodel");
        Files.createDirectories(noModel);
        Files.copy(runs.resolve(finishedRunId).resolve(RunStore.CONFIG_FILE), noModel.resolve(RunStore.CONFIG_FILE));
        fx(() -> context.runs().refresh()).get(20, TimeUnit.SECONDS);
        fxRun(() -> context.runs().openedProperty().set(context.runs().rows().stream()
                .filter(r -> r.record().id().equals("29991231-235958-nomodel")).findFirst().orElseThrow().record()));
        assertTrue(fx(() -> robot.lookup("#useModelButton").queryAs(Button.class).isDisabled()));
        assertTrue(fx(() -> robot.lookup("#evaluateButton").queryAs(Button.class).isDisabled()));

        // notes that cannot be saved (its folder went away) keep the run open with the text as typed
        selectTab("Runs");
        fxRun(() -> context.runs().openedProperty().set(context.runs().rows().stream()
                .filter(r -> r.record().id().equals("29991231-235958-nomodel")).findFirst().orElseThrow().record()));
        fxRun(() -> robot.lookup("#detailTabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .select(0)); // the write-up, not the errors of the evaluation before
        appendToTextArea("#analysisArea", " Unsavable.");
        Path away = home.resolve("away");
        Files.move(noModel, away);
        RunRecord finished = fx(() -> context.runs().rows().stream().map(RunRow::record)
                .filter(r -> r.id().equals(finishedRunId)).findFirst().orElseThrow());
        fxRun(() -> context.runs().openedProperty().set(finished));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> context.runs().status().text()).contains("not saved"),
                fx(() -> context.runs().status().text()));
        assertEquals("29991231-235958-nomodel", fx(() -> context.runs().openedProperty().get().id()), "back to it");
        assertTrue(fx(() -> robot.lookup("#analysisArea").queryAs(TextArea.class).getText()).endsWith("Unsavable."));
        Files.move(away, noModel);
        robot.push(KeyCode.SHORTCUT, KeyCode.S);
        waitFor(10, "the notes saved with Ctrl+S", () -> Files.isRegularFile(noModel.resolve(RunStore.NOTES_FILE))
                && Files.readString(noModel.resolve(RunStore.NOTES_FILE)).contains("Unsavable."));

        // removing it, after a confirmation, moves its folder aside
        @SuppressWarnings("unchecked")
        TableView<RunRow> table = robot.lookup("#table").queryAs(TableView.class);
        fxRun(() -> table.getSelectionModel().clearAndSelect(indexOf(table, "29991231-235958-nomodel")));
        robot.clickOn("#removeButton");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(1, (int) fx(() -> robot.listWindows().size() - 1), "a confirmation");
        robot.clickOn("Remove");
        waitFor(20, "the run to leave the table", () -> context.runs().rows().stream()
                .noneMatch(r -> r.record().id().equals("29991231-235958-nomodel")));
        assertFalse(Files.exists(noModel));
        assertTrue(Files.isRegularFile(home.resolve("removed-runs").resolve("29991231-235958-nomodel")
                .resolve(RunStore.CONFIG_FILE)), "moved, not deleted");
        assertEquals(null, fx(() -> context.runs().openedProperty().get()), "it was open: closed first");
    }

    @Test
    @Order(9)
    void exportsTheDrillReportWithChartImages() throws Exception {
        List<RunRecord> runs = new ArrayList<>(fx(() -> context.runs().rows().stream().map(RunRow::record)
                .filter(r -> r.id().equals(finishedRunId)).toList()));
        Path file = home.resolve("report.md");
        var runsController = fx(() -> (dev.mnistdrill.ui.view.RunsController) controllerField("runsViewController"));
        var done = fx(() -> runsController.exportReport(runs, file));
        done.get(60, TimeUnit.SECONDS);
        String md = Files.readString(file);
        assertTrue(md.contains("## code2") && md.contains("### Target") && md.contains("### Results")
                && md.contains("### Analysis") && md.contains("a smoke test"), md);
        Path png = home.resolve("report-" + finishedRunId + ".png");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1100, image.getWidth());
        assertTrue(md.contains("(report-" + finishedRunId + ".png)"));
    }

    private static Object controllerField(String name) throws ReflectiveOperationException {
        var f = WorkbenchController.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(controller);
    }
}
