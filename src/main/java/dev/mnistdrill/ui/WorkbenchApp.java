package dev.mnistdrill.ui;

import dev.mnistdrill.model.Engine;
import dev.mnistdrill.ui.util.WindowPlacement;
import dev.mnistdrill.ui.view.Views;
import dev.mnistdrill.ui.view.WorkbenchController;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The MNIST Drill workbench window.
 *
 * <p>System properties: {@code mnistdrill.runs} (runs folder, default ~/.mnist-drill/runs);
 * {@code mnistdrill.demo=true} runs the {@link Demo} (a training started on its own, screenshots, responsiveness
 * figures).
 */
public final class WorkbenchApp extends Application {
    public static final String STYLESHEET = "/dev/mnistdrill/ui/workbench.css";

    private WorkbenchContext context;

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
        boolean demo = Boolean.getBoolean("mnistdrill.demo");
        Path placementFile = dev.mnistdrill.data.AppDirs.home().resolve("window.properties");
        stage.setMinWidth(1100);
        stage.setMinHeight(700);
        // the demo's screenshots are of the default size
        var restored = demo ? java.util.Optional.<WindowPlacement>empty()
                : WindowPlacement.read(placementFile).filter(p -> p.applyTo(stage));
        stage.show();
        var placement = WindowPlacement.track(stage, restored);
        stage.setOnCloseRequest(e -> {
            if (!loaded.controller().confirmClose()) {
                e.consume();
            } else if (!demo) {
                placement.get().write(placementFile);
            }
        });
        context.data().load();
        context.background().execute(dev.mnistdrill.ui.util.BackgroundPriority::lowerJitCompilerThreads);
        if (demo) {
            new Demo(context, stage, loaded.controller()).run();
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
}
