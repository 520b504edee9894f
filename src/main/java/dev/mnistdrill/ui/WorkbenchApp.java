package dev.mnistdrill.ui;

import dev.mnistdrill.model.Engine;
import dev.mnistdrill.ui.util.StrokeRasterizer.Point;
import dev.mnistdrill.ui.view.Views;
import dev.mnistdrill.ui.view.WorkbenchController;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The MNIST Drill workbench window.
 *
 * <p>System properties: {@code mnistdrill.runs} (runs folder, default ~/.mnist-drill/runs);
 * {@code mnistdrill.demo=true} starts a short subset run (of {@code mnistdrill.demo.preset}, default code3) on its own (for screenshots and demos), and with
 * {@code mnistdrill.screenshot=FILE} saves the window as PNG once the run has a few epochs, prints the pulse-gap
 * figures and exits.
 */
public final class WorkbenchApp extends Application {
    public static final String STYLESHEET = "/dev/mnistdrill/ui/workbench.css";

    private WorkbenchContext context;
    private PulseMonitor pulses;
    /** Pulses from the moment the run is training (after preparing: data loaded, run folder made) to the report. */
    private final PulseMonitor trainingPulses = new PulseMonitor();
    /** From the Start click on: the frames a user sees react to starting a run, data preparation included. */
    private final PulseMonitor runPulses = new PulseMonitor();

    public static void main(String[] args) {
        Engine.configure();
        launch(WorkbenchApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        String runs = System.getProperty("mnistdrill.runs");
        context = runs == null || runs.isBlank() ? WorkbenchContext.standard()
                : new WorkbenchContext(Path.of(runs), WorkbenchContext.standardLoader());
        Loaded loaded = build(context);
        Scene scene = new Scene(loaded.root(), 1480, 920);
        scene.getStylesheets().add(stylesheet());
        stage.setTitle("MNIST Drill — workbench");
        try (var icon = WorkbenchApp.class.getResourceAsStream("mnist-drill.png")) {
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon));
            }
        } catch (java.io.IOException e) {
            // no window icon then; the launcher and the .deb carry their own
        }
        stage.setScene(scene);
        stage.setMinWidth(1100);
        stage.setMinHeight(700);
        stage.show();
        context.data().load();
        if (Boolean.getBoolean("mnistdrill.demo")) {
            demo(stage, loaded.controller());
        }
    }

    /** The window's content and its controller. */
    public record Loaded(Parent root, WorkbenchController controller) {
    }

    public static Loaded build(WorkbenchContext context) {
        FXMLLoader loader = Views.loader("Workbench.fxml", context);
        try {
            Parent root = loader.load();
            return new Loaded(root, loader.getController());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String stylesheet() {
        return WorkbenchApp.class.getResource(STYLESHEET).toExternalForm();
    }

    @Override
    public void stop() {
        if (context != null) {
            context.close();
        }
    }

    private void demo(Stage stage, WorkbenchController controller) {
        pulses = new PulseMonitor();
        pulses.start();
        Integer watchdog = Integer.getInteger("mnistdrill.demo.watchdog");
        if (watchdog != null) {
            pulses.watchFxThread(Thread.currentThread(), watchdog);
        }
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
                if (context.training().state() == dev.mnistdrill.ui.vm.TrainingViewModel.State.IDLE) {
                    context.training().start(context.experiment().config());
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
        // a "7" on the pad, so the Draw tab has something to show
        List<Point> seven = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            seven.add(new Point(75 + 13 * i, 72 + i));
        }
        for (int i = 1; i <= 12; i++) {
            seven.add(new Point(205 - 6 * i, 82 + 13 * i));
        }
        controller.drawController().canvas().addStroke(seven);
        // while it trains, "draw" twice a second (take the stroke back and draw it again), so that the report has
        // predictions made beside the training and not only the one per new snapshot
        var canvas = controller.drawController().canvas();
        Timeline drawing = new Timeline(new KeyFrame(Duration.millis(500), e -> {
            if (context.training().state() == dev.mnistdrill.ui.vm.TrainingViewModel.State.RUNNING) {
                canvas.undo();
                canvas.addStroke(seven);
            }
        }));
        drawing.setCycleCount(Timeline.INDEFINITE);
        drawing.play();
        context.training().stateProperty().addListener((o, was, now) -> {
            if (now == dev.mnistdrill.ui.vm.TrainingViewModel.State.RUNNING && trainingPulses.frames() == 0) {
                trainingPulses.start();
            }
            if (now == dev.mnistdrill.ui.vm.TrainingViewModel.State.PREPARING && runPulses.frames() == 0) {
                runPulses.start();
            }
        });
        if (!Boolean.parseBoolean(System.getProperty("mnistdrill.demo.zoom", "false"))) {
            // a subset run stays below 97%: show the full accuracy range
            stage.getScene().getRoot().lookupAll("#zoomBox").forEach(n -> ((javafx.scene.control.CheckBox) n)
                    .setSelected(false));
        }
        if (watchdog != null) {
            // read now: initialising java.lang.management in the Start click's frame made that frame the demo's own
            long jvmStartMillis = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            context.training().epochs().addListener((javafx.collections.ListChangeListener<Object>) c -> System.err
                    .printf(java.util.Locale.ROOT, "epoch %d shown at +%.1f s%n", context.training().epochs().size(),
                            pulses.secondsSinceStart()));
            context.training().stateProperty().addListener((o, was, now) -> System.err.printf(java.util.Locale.ROOT,
                    "training %s at +%.1f s (JVM uptime %.3f s)%n", now, pulses.secondsSinceStart(),
                    (System.currentTimeMillis() - jvmStartMillis) / 1e3));
        }
        String shot = System.getProperty("mnistdrill.screenshot");
        int shotEpoch = Integer.getInteger("mnistdrill.demo.shotEpoch", 3);
        if (shot != null) {
            context.training().epochs().addListener((javafx.collections.ListChangeListener<Object>) c -> {
                if (context.training().epochs().size() == shotEpoch) {
                    // mid-epoch: a second and a half into the next one
                    Timeline wait = new Timeline(new KeyFrame(Duration.seconds(1.5), e -> screenshots(stage,
                            controller, Path.of(shot))));
                    wait.play();
                }
            });
        }
    }

    /** Saves the window (Training tab) as {@code file}, then each other tab beside it, then reports and exits. */
    private void screenshots(Stage stage, WorkbenchController controller, Path file) {
        // read before snapshotting: taking four snapshots blocks the FX thread itself and is not training's doing
        String pulseReport = "since the window opened: " + pulses.report() + "; gaps > 50 ms: " + pulses.lateGaps()
                + "\npulses of the run (from the Start, PREPARING): " + runPulses.report() + "; gaps > 50 ms: "
                + runPulses.lateGaps()
                + "\npulses while training (from RUNNING): " + trainingPulses.report() + "; gaps > 50 ms: "
                + trainingPulses.lateGaps();
        List<java.util.concurrent.CompletableFuture<Void>> writes = new ArrayList<>();
        writes.add(dev.mnistdrill.ui.view.ChartImages.save(stage.getScene().getRoot().snapshot(null, null), file,
                context));
        String base = file.getFileName().toString().replaceFirst("\\.png$", "");
        var tabs = controller.tabs().getTabs();
        for (int i = 1; i < tabs.size(); i++) {
            controller.tabs().getSelectionModel().select(i);
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
            String name = base + "-" + tabs.get(i).getText().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-")
                    + ".png";
            writes.add(dev.mnistdrill.ui.view.ChartImages.save(stage.getScene().getRoot().snapshot(null, null),
                    file.resolveSibling(name), context));
        }
        controller.tabs().getSelectionModel().select(0);
        java.util.concurrent.CompletableFuture.allOf(writes.toArray(java.util.concurrent.CompletableFuture[]::new))
                .whenComplete((ok, failure) -> {
                    System.out.println("screenshots: " + file + (failure == null ? "" : " FAILED " + failure));
                    System.out.println("pulses during training: " + pulseReport);
                    var draw = context.draw();
                    System.out.println("draw predictions, worker: rasterise+preprocess+network (ms): "
                            + draw.timings());
                    System.out.println("draw predictions, network alone (ms): " + draw.networkTimings());
                    System.out.println("draw predictions, latency drawing change -> shown on FX thread (ms): "
                            + draw.latencies());
                    System.out.println("model warm-ups on the worker, not waited for (ms): " + draw.warmUpTimings());
                    if (!Boolean.getBoolean("mnistdrill.demo.keepOpen")) {
                        Platform.runLater(Platform::exit);
                    }
                });
    }

    /** Ticks the first {@code count} stored runs for overlay (the demo's comparison colours). */
    private void overlayStoredRuns(int count) {
        var rows = context.runs().rows();
        if (!rows.isEmpty()) {
            rows.stream().limit(count).forEach(r -> r.overlayProperty().set(true));
            return;
        }
        rows.addListener(new javafx.collections.ListChangeListener<>() { // not listed yet: once they are
            @Override
            public void onChanged(Change<? extends dev.mnistdrill.ui.vm.RunsViewModel.RunRow> c) {
                rows.removeListener(this);
                Platform.runLater(() -> overlayStoredRuns(count));
            }
        });
    }
}
