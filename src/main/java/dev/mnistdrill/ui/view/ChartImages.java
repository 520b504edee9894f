package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.MetricsCharts;
import dev.mnistdrill.ui.vm.Fx;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Charts as PNG files: snapshot on the FX thread, encoding and writing on a worker. */
public final class ChartImages {
    private ChartImages() {
    }

    /** Asks where to save a chart PNG (FX thread); null when the user cancels. */
    public static Path choosePng(javafx.stage.Window owner, String title, String initialName) {
        javafx.stage.FileChooser chooser = new javafx.stage.FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(initialName);
        chooser.getExtensionFilters().add(new javafx.stage.FileChooser.ExtensionFilter("PNG image", "*.png"));
        java.io.File file = chooser.showSaveDialog(owner);
        return file == null ? null : file.toPath();
    }

    /** Writes what {@code node} shows now. */
    public static CompletableFuture<Void> write(Node node, Path file, WorkbenchContext context, Consumer<String> info,
                                                Consumer<String> error) {
        WritableImage image = node.snapshot(null, null);
        return save(image, file, context).handle((ok, failure) -> {
            Fx.run(() -> {
                if (failure != null) {
                    error.accept("Chart not saved: " + Fx.message(failure));
                } else {
                    info.accept("Charts saved to " + file);
                }
            });
            return null;
        });
    }

    /** Renders a stored run's charts off-screen (FX thread) at a fixed size. */
    public static WritableImage render(RunRecord run, String stylesheet) {
        MetricsCharts charts = new MetricsCharts();
        charts.showRun(run);
        charts.zoomedProperty().set(run.summary().bestTestAccuracy() >= 0.97);
        return render(charts, stylesheet, 1100, 720);
    }

    /** Renders {@code node} off-screen (FX thread) at {@code width} x {@code height}, styled like the window. */
    public static WritableImage render(javafx.scene.Parent node, String stylesheet, double width, double height) {
        Scene scene = new Scene(node, width, height);
        if (stylesheet != null) {
            scene.getStylesheets().add(stylesheet);
        }
        node.applyCss();
        node.layout();
        return node.snapshot(null, null);
    }

    /**
     * Writes {@code image} as PNG on the niced pool: encoding a few window-sized PNGs at the window's priority took
     * both cores for a moment and kept the FX and render threads waiting 19-26 ms for one (a 50 ms frame, measured).
     */
    public static CompletableFuture<Void> save(WritableImage image, Path file, WorkbenchContext context) {
        BufferedImage buffered = SwingFXUtils.fromFXImage(image, null);
        return CompletableFuture.runAsync(() -> {
            try {
                ImageIO.write(buffered, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, context.background());
    }
}
