package dev.mnistdrill.ui;

import dev.mnistdrill.ui.util.StrokeRasterizer.Point;
import dev.mnistdrill.ui.view.WorkbenchController;
import dev.mnistdrill.ui.vm.DrawViewModel.PredictionTiming;
import dev.mnistdrill.ui.vm.TrainingViewModel.State;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.control.CheckBox;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The workbench's demo and responsiveness measurement (a development tool in the test sources, not shipped: run by
 * tools/measure/measure-ui.sh as {@code java ... dev.mnistdrill.ui.Demo}): like a user it overlays stored runs, starts a training of a preset on a subset and draws a
 * digit on the pad twice a second while it trains; it measures the gaps between JavaFX pulses from the Start until
 * {@link #AFTER_END} after the run's end, and the drawing pad's predictions. With {@code mnistdrill.screenshot=FILE}
 * it saves every tab mid-run (the frames spent taking them are not counted), then prints the figures and exits.
 *
 * <p>Properties ({@code mnistdrill.demo.}): {@code preset} (code3), {@code subset} (2000), {@code epochs} (6),
 * {@code shotEpoch} (3: screenshots 1.5 s into the epoch after it), {@code overlays} (7), {@code zoom} (false),
 * {@code watchdog} (ms: print the FX thread's stack on longer gaps), {@code keepOpen}.
 */
final class Demo {
    /** Opens the workbench and runs the demo in it. */
    public static void main(String[] args) {
        WorkbenchApp.launchWith((context, stage, controller) -> new Demo(context, stage, controller).run(), args);
    }

    /** The run's end is measured too: its status, the unlocked form, the runs table and the card update then. */
    private static final Duration AFTER_END = Duration.seconds(3);
    /** The drawing pad's target for a prediction (issue #3); slower ones are listed with their start time. */
    private static final int SLOW_PREDICTION_MS = 20;

    private final WorkbenchContext context;
    private final Stage stage;
    private final WorkbenchController controller;
    private final PulseMonitor pulses = new PulseMonitor();
    private final DrawTimings drawTimings;
    /** From the moment the run is training (after preparing: data loaded, run folder made). */
    private final PulseMonitor trainingPulses = new PulseMonitor();
    /** From the Start click on: the frames a user sees react to starting a run, data preparation included. */
    private final PulseMonitor runPulses = new PulseMonitor();
    private final CompletableFuture<Void> screenshotsSaved = new CompletableFuture<>();
    private final CompletableFuture<Void> runMeasured = new CompletableFuture<>();
    private boolean screenshotsTaken;
    private String screenshotsNote = "none taken";
    private double runEndedAt = -1;

    Demo(WorkbenchContext context, Stage stage, WorkbenchController controller) {
        this.context = context;
        this.stage = stage;
        this.controller = controller;
        this.drawTimings = DrawTimings.on(context.draw());
    }

    void run() {
        pulses.start();
        Integer watchdog = Integer.getInteger("mnistdrill.demo.watchdog");
        if (watchdog != null) {
            pulses.watchFxThread(Thread.currentThread(), watchdog);
        }
        var training = context.training();
        context.experiment().applyPreset(System.getProperty("mnistdrill.demo.preset", "code3"));
        context.experiment().subsetProperty().set(Integer.getInteger("mnistdrill.demo.subset", 2000).toString());
        context.experiment().epochsProperty().set(Integer.getInteger("mnistdrill.demo.epochs", 6).toString());
        context.experiment().batchSizeProperty().set("64");
        controller.tabs().getSelectionModel().select(0);
        // Like a user: overlay some stored runs first, then (1.5 s later, once they are drawn) start the training.
        // Overlaying every stored run in the frame the run started measured the overlay, not the training.
        Runnable startDemoRun = () -> {
            overlayStoredRuns(Integer.getInteger("mnistdrill.demo.overlays", 7));
            PauseTransition settle = new PauseTransition(Duration.millis(1500));
            settle.setOnFinished(e -> {
                if (training.state() == State.IDLE) {
                    training.start(context.experiment().config());
                }
            });
            settle.play();
        };
        context.data().dataProperty().addListener((o, was, now) -> {
            if (now != null) {
                startDemoRun.run();
            }
        });
        if (context.data().data() != null) {
            startDemoRun.run();
        }
        drawWhileTraining();
        training.stateProperty().addListener((o, was, now) -> {
            if (now == State.RUNNING && trainingPulses.frames() == 0) {
                trainingPulses.start();
            }
            if (now == State.PREPARING && runPulses.frames() == 0) {
                runPulses.start();
            }
            if (now == State.IDLE && runPulses.frames() > 0 && runEndedAt < 0) {
                runEndedAt = runPulses.secondsSinceStart();
                PauseTransition settle = new PauseTransition(AFTER_END);
                settle.setOnFinished(e -> {
                    pulses.stop();
                    runPulses.stop();
                    trainingPulses.stop();
                    runMeasured.complete(null);
                });
                settle.play();
            }
        });
        if (!Boolean.parseBoolean(System.getProperty("mnistdrill.demo.zoom", "false"))) {
            // a subset run stays below 97%: show the full accuracy range
            stage.getScene().getRoot().lookupAll("#zoomBox").forEach(n -> ((CheckBox) n).setSelected(false));
        }
        if (watchdog != null) {
            // read now: initialising java.lang.management in the Start click's frame made that frame the demo's own
            long jvmStartMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            training.epochs().addListener((ListChangeListener<Object>) c -> System.err.printf(Locale.ROOT,
                    "epoch %d shown at +%.1f s%n", training.epochs().size(), pulses.secondsSinceStart()));
            training.stateProperty().addListener((o, was, now) -> System.err.printf(Locale.ROOT,
                    "training %s at +%.1f s (JVM uptime %.3f s)%n", now, pulses.secondsSinceStart(),
                    (System.currentTimeMillis() - jvmStartMillis) / 1e3));
        }
        String shot = System.getProperty("mnistdrill.screenshot");
        if (shot == null) {
            screenshotsSaved.complete(null);
        } else {
            int shotEpoch = Integer.getInteger("mnistdrill.demo.shotEpoch", 3);
            training.epochs().addListener((ListChangeListener<Object>) c -> {
                if (training.epochs().size() == shotEpoch) {
                    // mid-epoch: a second and a half into the next one
                    Timeline wait = new Timeline(new KeyFrame(Duration.seconds(1.5), e -> screenshots(Path.of(shot))));
                    wait.play();
                }
            });
            // a run that ends before that epoch still gets its screenshots, once measured
            runMeasured.thenRun(() -> Platform.runLater(() -> screenshots(Path.of(shot))));
        }
        CompletableFuture.allOf(screenshotsSaved, runMeasured).thenRun(() -> Platform.runLater(this::report));
    }

    /**
     * While it trains, "draws" twice a second (takes the stroke back and draws it again), so that the report has
     * predictions made beside the training and not only the one per new snapshot; a "7", so that the Draw tab has
     * something to show.
     */
    private void drawWhileTraining() {
        List<Point> seven = seven();
        var canvas = controller.drawController().canvas();
        canvas.addStroke(seven);
        Timeline drawing = new Timeline(new KeyFrame(Duration.millis(500), e -> {
            if (context.training().state() == State.RUNNING) {
                canvas.undo();
                canvas.addStroke(seven);
            }
        }));
        drawing.setCycleCount(Timeline.INDEFINITE);
        drawing.play();
    }

    /** A "7" in one stroke, in the drawing pad's coordinates (also drawn by {@link Screenshots}). */
    static List<Point> seven() {
        List<Point> seven = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            seven.add(new Point(75 + 13 * i, 72 + i));
        }
        for (int i = 1; i <= 12; i++) {
            seven.add(new Point(205 - 6 * i, 82 + 13 * i));
        }
        return seven;
    }

    /**
     * Saves the window (Training tab) as {@code file}, then each other tab beside it. Taking a snapshot blocks the FX
     * thread itself and is not the training's doing: the monitors pause meanwhile (and the report says for how long).
     */
    private void screenshots(Path file) {
        if (screenshotsTaken) {
            return;
        }
        screenshotsTaken = true;
        double at = runPulses.secondsSinceStart();
        long began = System.nanoTime();
        pauseMonitors(true);
        try {
            saveTabs(file).whenComplete((ok, failure) -> {
                System.out.println("screenshots: " + file + (failure == null ? "" : " FAILED " + failure));
                screenshotsSaved.complete(null);
            });
        } catch (RuntimeException e) {
            System.out.println("screenshots: " + file + " FAILED " + e);
            screenshotsSaved.complete(null);
        }
        screenshotsNote = String.format(Locale.ROOT, "%.0f ms at +%.3f s of the run and the frame after, not counted",
                (System.nanoTime() - began) / 1e6, at);
        // the next frame lays the Training tab out and paints it again: the snapshots' too
        Platform.runLater(() -> Platform.runLater(() -> pauseMonitors(false)));
    }

    /** Snapshots of every tab, the Training tab's as {@code file}; completes once they are written. */
    private CompletableFuture<Void> saveTabs(Path file) {
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        writes.add(dev.mnistdrill.ui.view.ChartImages.save(stage.getScene().getRoot().snapshot(null, null), file,
                context));
        String base = file.getFileName().toString().replaceFirst("\\.png$", "");
        var tabs = controller.tabs().getTabs();
        for (int i = 1; i < tabs.size(); i++) {
            controller.tabs().getSelectionModel().select(i);
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
            String name = base + "-" + tabs.get(i).getText().toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "-")
                    + ".png";
            writes.add(dev.mnistdrill.ui.view.ChartImages.save(stage.getScene().getRoot().snapshot(null, null),
                    file.resolveSibling(name), context));
        }
        controller.tabs().getSelectionModel().select(0);
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private void pauseMonitors(boolean pause) {
        if (runMeasured.isDone()) {
            return;
        }
        for (PulseMonitor m : List.of(pulses, runPulses, trainingPulses)) {
            if (pause) {
                m.stop();
            } else if (m.frames() > 0) {
                m.start();
            }
        }
    }

    private void report() {
        String end = runEndedAt < 0 ? "no run end" : String.format(Locale.ROOT,
                "run ended at +%.3f s, measured until %.0f s later; screenshots: %s", runEndedAt,
                AFTER_END.toSeconds(), screenshotsNote);
        System.out.println("pulses: since the window opened: " + pulses.report() + "; gaps > 50 ms: "
                + pulses.lateGaps()
                + "\npulses of the run (from the Start, PREPARING): " + runPulses.report() + "; gaps > 50 ms: "
                + runPulses.lateGaps() + "; " + end
                + "\npulses while training (from RUNNING): " + trainingPulses.report() + "; gaps > 50 ms: "
                + trainingPulses.lateGaps());
        var draw = drawTimings;
        List<Double> timings = draw.predictions(PredictionTiming::millis);
        List<Long> starts = draw.predictions(PredictionTiming::startedAtMillis);
        System.out.println("draw predictions, worker: rasterise+preprocess+network (ms): " + timings);
        System.out.println("draw predictions, network alone (ms): "
                + draw.predictions(PredictionTiming::networkMillis));
        System.out.println("draw predictions, latency drawing change -> shown on FX thread (ms): "
                + draw.predictions(PredictionTiming::latencyMillis));
        System.out.println("model warm-ups, beside the predictions, not waited for (ms): " + draw.warmUps());
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < timings.size(); i++) {
            if (timings.get(i) > SLOW_PREDICTION_MS) {
                slow.add(String.format(Locale.ROOT, "#%d %.1f ms at %d", i, timings.get(i), starts.get(i)));
            }
        }
        System.out.println("stalled-CPU rescues (window threads pinned at, released at; ms since the epoch): "
                + context.cpuGuard().rescues().stream().map(r -> r[0] + "-" + r[1]).toList());
        System.out.println("draw predictions over " + SLOW_PREDICTION_MS
                + " ms (index, worker time, start in ms since the epoch): " + slow);
        if (!Boolean.getBoolean("mnistdrill.demo.keepOpen")) {
            Platform.exit();
        }
    }

    /** Ticks the first {@code count} stored runs for overlay (the demo's comparison colours). */
    private void overlayStoredRuns(int count) {
        var rows = context.runs().rows();
        if (!rows.isEmpty()) {
            rows.stream().limit(count).forEach(r -> r.overlayProperty().set(true));
            return;
        }
        rows.addListener(new ListChangeListener<>() { // not listed yet: once they are
            @Override
            public void onChanged(Change<? extends dev.mnistdrill.ui.vm.RunsViewModel.RunRow> c) {
                rows.removeListener(this);
                Platform.runLater(() -> overlayStoredRuns(count));
            }
        });
    }
}
