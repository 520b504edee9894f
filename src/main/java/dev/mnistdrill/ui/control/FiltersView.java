package dev.mnistdrill.ui.control;

import dev.mnistdrill.train.LearnedFilters;
import dev.mnistdrill.ui.util.Heatmaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * What the filters learned: the first layer's kernels as small images, and each 1x1 transition's weights as a heat
 * table (a row per output channel, a column per input channel). Red is positive, blue negative, white zero, on one
 * scale per layer.
 */
public final class FiltersView extends VBox {
    /** Screen pixels per weight: the images are drawn at this size (a scaled image would be smoothed). */
    private static final int KERNEL_CELL = 15;
    private static final int MIXING_CELL = 15;

    private final Label placeholder = new Label("No model yet: train one or pick a saved run.");
    private final Label hover = new Label(" ");
    private final javafx.beans.property.ReadOnlyObjectWrapper<LearnedFilters> shown =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "shown");

    public FiltersView() {
        getStyleClass().add("filters-view");
        setSpacing(8);
        placeholder.getStyleClass().add("placeholder");
        hover.getStyleClass().add("hint");
        getChildren().setAll(placeholder);
    }

    /** Shows {@code filters}, or {@code message} (e.g. why there are none) when null. */
    public void show(LearnedFilters filters, String message) {
        shown.set(filters);
        if (filters == null) {
            placeholder.setText(message == null ? "No model yet: train one or pick a saved run." : message);
            getChildren().setAll(placeholder);
            return;
        }
        List<Node> nodes = new ArrayList<>();
        LearnedFilters.Kernels k = filters.first();
        float kernelScale = Math.max(k.maxAbs(), 1e-6f);
        Label firstTitle = new Label(String.format(Locale.ROOT, "Layer 1: its %d filters, %d×%d weights each "
                + "(what each looks for in the pixels)", k.count(), k.side(), k.side()));
        firstTitle.getStyleClass().add("feature-map-title");
        FlowPane kernels = new FlowPane(6, 6);
        for (int o = 0; o < k.count(); o++) {
            ImageView view = new ImageView(image(k.weights()[o], k.side(), k.side(), kernelScale,
                    Math.max(1, 3 * KERNEL_CELL / k.side())));
            StackPane tile = new StackPane(view);
            tile.getStyleClass().add("filter-tile");
            Label index = new Label(Integer.toString(o));
            index.getStyleClass().add("hint");
            VBox cell = new VBox(1, tile, index);
            cell.setAlignment(Pos.CENTER);
            float[] w = k.weights()[o];
            tile.setOnMouseEntered(e -> hover.setText(kernelText(w)));
            kernels.getChildren().add(cell);
        }
        nodes.add(firstTitle);
        nodes.add(kernels);
        nodes.add(legend(kernelScale));
        if (filters.transitions().isEmpty()) {
            Label none = new Label("No 1x1 transition (tN) in this architecture: nothing mixes channels alone.");
            none.getStyleClass().add("hint");
            nodes.add(none);
        }
        for (LearnedFilters.Mixing m : filters.transitions()) {
            float scale = Math.max(m.maxAbs(), 1e-6f);
            Label title = new Label(String.format(Locale.ROOT, "Layer %d, 1x1 transition t%d: how it mixes %d "
                    + "channels into %d (a row per output, a column per input)", m.block(), m.outChannels(),
                    m.inChannels(), m.outChannels()));
            title.getStyleClass().add("feature-map-title");
            float[] flat = new float[m.outChannels() * m.inChannels()];
            for (int o = 0; o < m.outChannels(); o++) {
                System.arraycopy(m.weights()[o], 0, flat, o * m.inChannels(), m.inChannels());
            }
            ImageView table = new ImageView(image(flat, m.inChannels(), m.outChannels(), scale, MIXING_CELL));
            StackPane frame = new StackPane(table);
            frame.getStyleClass().add("filter-tile");
            frame.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
            table.setOnMouseMoved(e -> {
                int in = (int) Math.min(m.inChannels() - 1, Math.max(0, e.getX() / MIXING_CELL));
                int out = (int) Math.min(m.outChannels() - 1, Math.max(0, e.getY() / MIXING_CELL));
                hover.setText(String.format(Locale.ROOT, "t%d: output channel %d takes input channel %d × %+.3f",
                        m.outChannels(), out, in, m.weights()[out][in]));
            });
            nodes.add(title);
            nodes.add(frame);
            nodes.add(legend(scale));
        }
        nodes.add(hover);
        getChildren().setAll(nodes);
    }

    private static String kernelText(float[] w) {
        StringBuilder s = new StringBuilder("weights:");
        int side = (int) Math.round(Math.sqrt(w.length));
        for (int y = 0; y < side; y++) {
            s.append(y == 0 ? " " : " / ");
            for (int x = 0; x < side; x++) {
                s.append(String.format(Locale.ROOT, "%s%+.2f", x == 0 ? "" : " ", w[y * side + x]));
            }
        }
        return s.toString();
    }

    /** The colour scale: blue at -scale, white at 0, red at +scale. */
    private static Node legend(float scale) {
        int width = 96;
        int height = 10;
        float[] ramp = new float[width * height];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = scale * (2f * (i % width) / (width - 1) - 1);
        }
        ImageView bar = new ImageView(image(ramp, width, height, scale, 1));
        Label low = new Label(String.format(Locale.ROOT, "%+.2f", -scale));
        Label high = new Label(String.format(Locale.ROOT, "%+.2f", scale));
        low.getStyleClass().add("hint");
        high.getStyleClass().add("hint");
        HBox box = new HBox(4, low, bar, high);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    /** {@code values} ({@code width x height}) in weight colours, each value a {@code cell x cell} square. */
    private static WritableImage image(float[] values, int width, int height, float scale, int cell) {
        WritableImage image = new WritableImage(width * cell, height * cell);
        image.getPixelWriter().setPixels(0, 0, width * cell, height * cell, PixelFormat.getIntArgbInstance(),
                Heatmaps.upscale(Heatmaps.weights(values, scale), width, height, cell), 0, width * cell);
        return image;
    }

    /** The filters shown, or null. */
    public LearnedFilters shown() {
        return shown.get();
    }

    public javafx.beans.property.ReadOnlyObjectProperty<LearnedFilters> shownProperty() {
        return shown.getReadOnlyProperty();
    }
}
