package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.train.LayerStat;
import dev.mnistdrill.train.LearnedFilters;
import dev.mnistdrill.ui.control.FiltersView;
import dev.mnistdrill.ui.control.LayerStatsCharts;
import dev.mnistdrill.ui.control.MetricsCharts;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import dev.mnistdrill.ui.vm.Fx;
import dev.mnistdrill.ui.vm.StatusMessage;
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

    /**
     * Asks where to save what {@code node} shows (FX thread), in a dialog titled {@code title} that proposes
     * {@code initialName}, then writes it there and says so in {@code status}; {@code what} names it there.
     */
    public static void saveAs(Node node, String title, String initialName, String what, WorkbenchContext context,
                              StatusMessage status) {
        Path file = SaveDialog.png(node.getScene().getWindow(), title, initialName);
        if (file != null) {
            write(node, file, context, what, status::info, status::error);
        }
    }

    /** Writes what {@code node} shows now (all of it, also what a scroll pane hides); {@code what} names it. */
    public static CompletableFuture<Void> write(Node node, Path file, WorkbenchContext context, String what,
                                                Consumer<String> info, Consumer<String> error) {
        WritableImage image = node.snapshot(null, null);
        return save(image, file, context).handle((ok, failure) -> {
            Fx.run(() -> {
                if (failure != null) {
                    error.accept(what + " not saved: " + Fx.message(failure));
                } else {
                    info.accept(what + " saved to " + file);
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

    /** Renders a run's layer statistics off-screen (FX thread) at a fixed size. */
    public static WritableImage renderLayers(RunRecord run, List<LayerStat> stats, String stylesheet) {
        LayerStatsCharts charts = new LayerStatsCharts();
        charts.show(stats, run.config().epochs(), run.config().name() + " (" + run.id() + "): layer statistics", "");
        return renderOffScreen(charts, 900, 720, stylesheet);
    }

    /** Renders a model's filters off-screen (FX thread), as large as they need. */
    public static WritableImage renderFilters(RunRecord run, LearnedFilters filters, String stylesheet) {
        FiltersView view = new FiltersView();
        view.show(filters, null);
        Label title = new Label(run.config().name() + " (" + run.id() + "): what the filters learned");
        title.getStyleClass().add("card-title");
        VBox box = new VBox(8, title, view);
        box.setStyle("-fx-padding: 12; -fx-background-color: white;");
        return renderOffScreen(box, -1, -1, stylesheet);
    }

    /** Lays {@code root} out in a scene of its own ({@code width} -1: its preferred size) and snapshots it. */
    private static WritableImage renderOffScreen(Region root, double width, double height, String stylesheet) {
        Scene scene = width < 0 ? new Scene(root) : new Scene(root, width, height);
        if (stylesheet != null) {
            scene.getStylesheets().add(stylesheet);
        }
        root.applyCss();
        root.layout();
        if (width < 0) {
            root.resize(root.prefWidth(-1), root.prefHeight(-1));
            root.layout();
        }
        return root.snapshot(null, null);
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
