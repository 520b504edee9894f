import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * Shows one small JavaFX window with the image's runtime and exits: proves that the jlinked JavaFX modules and their
 * natives (glass/GTK 3, prism, fonts) load and render inside the app image, independently of the app's own UI.
 * Prints "FX_PROBE_SHOWN <ms since JVM start> <JavaFX version> <module of Stage> <prism pipeline>" and exits 0, or
 * exits 1 after 60 s. Needs a display (e.g. Xvfb). Used by jlink/test-image.sh.
 */
public final class FxProbe {
    public static void main(String[] args) throws Exception {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("FX_PROBE_TIMEOUT");
            Runtime.getRuntime().halt(1);
        });
        watchdog.setDaemon(true);
        watchdog.start();
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setTitle("MNIST Drill FX probe");
            stage.setScene(new Scene(new Label("JavaFX " + System.getProperty("javafx.runtime.version")), 320, 120));
            stage.setOnShown(e -> Platform.runLater(() -> {
                long ms = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
                String pipeline;
                try {
                    Object p = Class.forName("com.sun.prism.GraphicsPipeline").getMethod("getPipeline").invoke(null);
                    pipeline = p == null ? "none" : p.getClass().getSimpleName();
                } catch (ReflectiveOperationException | RuntimeException ex) {
                    pipeline = "unknown";
                }
                System.out.println("FX_PROBE_SHOWN " + ms + " " + System.getProperty("javafx.runtime.version") + " "
                        + Stage.class.getModule() + " " + pipeline);
                System.out.flush();
                Platform.exit();
            }));
            stage.show();
        });
    }
}
