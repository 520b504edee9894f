package dev.mnistdrill.ui;

import dev.mnistdrill.engine.Engine;
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
 * <p>System property: {@code mnistdrill.runs} (runs folder, default ~/.mnist-drill/runs). Tools that drive the window
 * (the responsiveness demo under tools/, in the test sources) start it through {@link #launchWith}.
 */
public final class WorkbenchApp extends Application {
    public static final String STYLESHEET = "/dev/mnistdrill/ui/workbench.css";

    /** Called once the window is shown, by a tool that drives it; such a window is not the user's to place. */
    @FunctionalInterface
    public interface StartHook {
        void started(WorkbenchContext context, Stage stage, WorkbenchController controller);
    }

    private static volatile StartHook startHook;

    private WorkbenchContext context;

    public static void main(String[] args) {
        Engine.configure();
        launch(WorkbenchApp.class, args);
    }

    /** Opens the window and hands it to {@code hook} once shown (development tools only). */
    public static void launchWith(StartHook hook, String... args) {
        startHook = hook;
        main(args);
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
        StartHook hook = startHook;
        boolean demo = hook != null;
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
        if (hook != null) {
            hook.started(context, stage, loaded.controller());
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
