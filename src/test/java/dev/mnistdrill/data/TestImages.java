package dev.mnistdrill.data;

import java.awt.Color;
import java.awt.image.BufferedImage;

/** Images for tests: a digit as a photo of paper would show it. */
public final class TestImages {
    private TestImages() {
    }

    /** A black bar (a "1") on a white square of {@code side} pixels. */
    public static BufferedImage darkBarOnPaper(int side, int x, int y, int width, int height) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        var g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, side, side);
        g.setColor(Color.BLACK);
        g.fillRect(x, y, width, height);
        g.dispose();
        return img;
    }
}
