package dev.mnistdrill.ui.control;

import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/** 28x28 digits (0..1 floats, ink bright) as images. */
public final class DigitImages {
    private DigitImages() {
    }

    public static WritableImage of(float[] pixels01) {
        int side = (int) Math.round(Math.sqrt(pixels01.length));
        WritableImage image = new WritableImage(side, side);
        PixelWriter w = image.getPixelWriter();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int v = Math.max(0, Math.min(255, Math.round(pixels01[y * side + x] * 255)));
                w.setArgb(x, y, 0xff000000 | v << 16 | v << 8 | v);
            }
        }
        return image;
    }
}
