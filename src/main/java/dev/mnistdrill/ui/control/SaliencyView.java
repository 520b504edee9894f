package dev.mnistdrill.ui.control;

import dev.mnistdrill.ui.util.Heatmaps;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;

/**
 * A saliency map over the digit it explains: the network input in grey, red where that ink speaks for the class,
 * blue where it speaks against it.
 */
public final class SaliencyView extends StackPane {
    private final ImageView view = new ImageView();
    private WritableImage image;
    private float[] shownMap;

    public SaliencyView(double side) {
        getStyleClass().addAll("preview-frame", "saliency-view");
        view.setFitWidth(side);
        view.setFitHeight(side);
        // smoothed: the 28x28 map reads as regions rather than as pixels
        view.setSmooth(true);
        getChildren().add(view);
        setMaxSize(USE_PREF_SIZE, USE_PREF_SIZE);
    }

    /**
     * Shows {@code map} (row-major, the digit's size) over {@code pixels01} on the colour scale {@code ±scale};
     * only the digit when {@code map} is null, nothing when {@code pixels01} is null.
     */
    public void show(float[] pixels01, float[] map, float scale) {
        shownMap = map;
        if (pixels01 == null) {
            view.setImage(null);
            return;
        }
        int side = (int) Math.round(Math.sqrt(pixels01.length));
        if (image == null || (int) image.getWidth() != side) {
            image = new WritableImage(side, side);
        }
        int[] argb = Heatmaps.saliencyOverlay(pixels01, map, scale);
        image.getPixelWriter().setPixels(0, 0, side, side, PixelFormat.getIntArgbInstance(), argb, 0, side);
        view.setImage(image);
    }

    /** The map shown now, or null (for tests). */
    public float[] shownMap() {
        return shownMap;
    }
}
