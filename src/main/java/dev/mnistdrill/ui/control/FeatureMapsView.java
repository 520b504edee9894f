package dev.mnistdrill.ui.control;

import dev.mnistdrill.engine.PlainForward;
import dev.mnistdrill.ui.util.Heatmaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Every convolution block's feature maps for one image, a row of small tiles per block (what the block hands on:
 * after its ReLU, and its BatchNorm when there is one), and the hovered map large beside them. One colour scale per
 * block, so that the tiles of a row compare: black is zero, warm above, cold below.
 */
public final class FeatureMapsView extends HBox {
    /** Side of a tile, whatever the map's side: 26x26 maps show about 1:1, 4x4 maps as blocks. */
    public static final double TILE = 26;
    private static final double LARGE = 160;
    private static final double CAPTION = 156;

    /** A map: its block (from 0) and channel (from 0). */
    public record MapRef(int block, int channel) {
    }

    private final VBox rows = new VBox(6);
    private final ScrollPane scroll = new ScrollPane(rows);
    private final ImageView large = new ImageView();
    private final Label largeCaption = new Label();
    private final Label placeholder = new Label("Draw a digit to see what each layer makes of it.");
    private final ReadOnlyObjectWrapper<MapRef> hovered = new ReadOnlyObjectWrapper<>(this, "hovered");
    private final List<Row> shown = new ArrayList<>();
    private PlainForward.Trace trace;

    /** One block's row: its images are reused while the block's shape stays. */
    private record Row(HBox node, Label title, Label detail, List<WritableImage> images, List<ImageView> views,
                       int height, int width) {
    }

    public FeatureMapsView() {
        getStyleClass().add("feature-maps");
        setSpacing(12);
        rows.getStyleClass().add("feature-map-rows");
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("feature-map-scroll");
        // the tiles wrap to the width there is, rather than ask for one line of all of them
        scroll.setMinWidth(0);
        scroll.setPrefWidth(200);
        HBox.setHgrow(scroll, Priority.ALWAYS);
        large.setFitWidth(LARGE);
        large.setFitHeight(LARGE);
        large.setSmooth(false);
        StackPane frame = new StackPane(large);
        frame.getStyleClass().add("preview-frame");
        frame.visibleProperty().bind(large.imageProperty().isNotNull());
        frame.setMinSize(LARGE + 4, LARGE + 4);
        frame.setMaxSize(LARGE + 4, LARGE + 4);
        largeCaption.setWrapText(true);
        largeCaption.getStyleClass().add("hint");
        largeCaption.setMaxWidth(LARGE + 4);
        largeCaption.setText("Hover a map to see it large.");
        VBox side = new VBox(6, frame, largeCaption);
        side.setMinWidth(LARGE + 4);
        placeholder.getStyleClass().add("placeholder");
        rows.getChildren().add(placeholder);
        getChildren().addAll(scroll, side);
    }

    /** Shows {@code trace}'s feature maps, or the placeholder when null. */
    public void show(PlainForward.Trace trace) {
        this.trace = trace;
        if (trace == null) {
            shown.clear();
            rows.getChildren().setAll(placeholder);
            large.setImage(null);
            largeCaption.setText("Hover a map to see it large.");
            hovered.set(null);
            return;
        }
        List<PlainForward.BlockOutput> blocks = trace.blocks();
        boolean sameLayout = shown.size() == blocks.size();
        for (int b = 0; sameLayout && b < blocks.size(); b++) {
            PlainForward.BlockOutput o = blocks.get(b);
            Row r = shown.get(b);
            sameLayout = r.height() == o.height() && r.width() == o.width() && r.images().size() == o.channels();
        }
        if (!sameLayout) {
            shown.clear();
            List<HBox> nodes = new ArrayList<>();
            for (PlainForward.BlockOutput o : blocks) {
                Row row = row(o);
                shown.add(row);
                nodes.add(row.node());
            }
            rows.getChildren().setAll(nodes);
        }
        for (int b = 0; b < blocks.size(); b++) {
            paint(shown.get(b), blocks.get(b));
        }
        MapRef h = hovered.get();
        if (h != null && h.block() < blocks.size() && h.channel() < blocks.get(h.block()).channels()) {
            showLarge(h);
        }
    }

    private Row row(PlainForward.BlockOutput o) {
        Label title = new Label(blockName(o) + " · " + o.height() + "×" + o.width());
        title.getStyleClass().add("feature-map-title");
        Label detail = new Label();
        detail.getStyleClass().add("hint");
        detail.setWrapText(true);
        VBox caption = new VBox(0, title, detail);
        caption.setMinWidth(CAPTION);
        caption.setPrefWidth(CAPTION);
        caption.setMaxWidth(CAPTION);
        FlowPane tiles = new FlowPane(3, 3);
        HBox.setHgrow(tiles, Priority.ALWAYS);
        List<WritableImage> images = new ArrayList<>();
        List<ImageView> views = new ArrayList<>();
        int k = tileFactor(o);
        for (int c = 0; c < o.channels(); c++) {
            WritableImage image = new WritableImage(o.width() * k, o.height() * k);
            ImageView view = new ImageView(image);
            view.setFitWidth(TILE);
            view.setFitHeight(TILE);
            view.setSmooth(false);
            StackPane tile = new StackPane(view);
            tile.getStyleClass().add("feature-map-tile");
            MapRef ref = new MapRef(o.block(), c);
            tile.setOnMouseEntered(e -> {
                hovered.set(ref);
                showLarge(ref);
            });
            images.add(image);
            views.add(view);
            tiles.getChildren().add(tile);
        }
        HBox node = new HBox(8, caption, tiles);
        node.setAlignment(Pos.CENTER_LEFT);
        node.getStyleClass().add("feature-map-row");
        return new Row(node, title, detail, images, views, o.height(), o.width());
    }

    /** Pixels per map value in a tile: whole blocks, so that small late maps stay sharp squares. */
    private static int tileFactor(PlainForward.BlockOutput o) {
        return Math.max(1, (int) Math.round(TILE / Math.max(o.height(), o.width())));
    }

    private static void paint(Row row, PlainForward.BlockOutput o) {
        float scale = Heatmaps.maxAbs(o.values(), 1e-6f);
        int k = tileFactor(o);
        for (int c = 0; c < o.channels(); c++) {
            int[] argb = Heatmaps.upscale(Heatmaps.activations(o.map(c), scale), o.width(), o.height(), k);
            row.images().get(c).getPixelWriter().setPixels(0, 0, o.width() * k, o.height() * k,
                    PixelFormat.getIntArgbInstance(), argb, 0, o.width() * k);
        }
        row.detail().setText(String.format(Locale.ROOT, "%s · max %.2f", o.after().isEmpty() ? "no activation"
                : o.after().replace("BatchNorm", "BN"), scale));
    }

    private void showLarge(MapRef ref) {
        if (trace == null || ref.block() >= shown.size()) {
            return;
        }
        PlainForward.BlockOutput o = trace.blocks().get(ref.block());
        float[] map = o.map(ref.channel());
        int k = Math.max(1, (int) (LARGE / Math.max(o.height(), o.width())));
        float scale = Heatmaps.maxAbs(o.values(), 1e-6f); // the row's scale: the large map looks like its tile
        WritableImage image = new WritableImage(o.width() * k, o.height() * k);
        image.getPixelWriter().setPixels(0, 0, o.width() * k, o.height() * k, PixelFormat.getIntArgbInstance(),
                Heatmaps.upscale(Heatmaps.activations(map, scale), o.width(), o.height(), k), 0, o.width() * k);
        large.setImage(image);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        largeCaption.setText(String.format(Locale.ROOT, "%s, channel %d of %d (%d×%d): values %.2f to %.2f",
                blockName(o), ref.channel(), o.channels(), o.height(), o.width(), min, max));
    }

    /** "conv 2 · c12": the block's place and its architecture token (3x3 cN, 1x1 tN). */
    public static String blockName(PlainForward.BlockOutput o) {
        String token = (o.kernel() == 1 ? "t" : o.kernel() == 3 ? "c" : o.kernel() + "x" + o.kernel() + " ")
                + o.channels();
        return "conv " + (o.block() + 1) + " · " + token;
    }

    /** The map under the mouse last, or null. */
    public ReadOnlyObjectProperty<MapRef> hoveredProperty() {
        return hovered.getReadOnlyProperty();
    }

    /** The caption of the large view: which map it shows. */
    public String largeCaption() {
        return largeCaption.getText();
    }

    /** Tiles per row as shown (for tests). */
    public List<Integer> tileCounts() {
        return shown.stream().map(r -> r.images().size()).toList();
    }

    /** The tile of block {@code block}, channel {@code channel} (for tests and hover). */
    public javafx.scene.Node tile(int block, int channel) {
        return shown.get(block).views().get(channel).getParent();
    }

    /** The rows as one node, e.g. for a PNG of every map. */
    public javafx.scene.Node mapsNode() {
        return rows;
    }
}
