package dev.mnistdrill.data;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * Turns a drawn or photographed digit into what MNIST looks like, as LeCun's set was made: crop to the ink, scale
 * into a 20x20 box keeping the aspect ratio (area-averaged, so strokes stay smooth), then place it in 28x28 so that
 * its centre of mass sits at the centre. Output pixels are 0..1, ink bright on black.
 */
public final class DigitPreprocessor {
    private static final int BOX = 20;
    private static final int SIDE = MnistSplit.SIDE;
    /** Ink is anything above this share of the brightest pixel: ignores faint smudges and anti-aliasing halos. */
    private static final double INK_THRESHOLD = 0.1;

    private DigitPreprocessor() {
    }

    /**
     * @param ink   row-major intensities, 0 = background, larger = more ink
     * @param width image width; height is {@code ink.length / width}
     * @return the 28x28 MNIST-style image, or empty when there is no ink at all
     */
    public static Optional<float[]> toMnist(float[] ink, int width) {
        int height = ink.length / width;
        float max = 0;
        for (float v : ink) {
            max = Math.max(max, v);
        }
        if (max <= 0) {
            return Optional.empty();
        }
        int left = width;
        int right = -1;
        int top = height;
        int bottom = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (ink[y * width + x] > INK_THRESHOLD * max) {
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        int cropW = right - left + 1;
        int cropH = bottom - top + 1;
        double scale = (double) BOX / Math.max(cropW, cropH);
        int boxW = Math.max(1, (int) Math.round(cropW * scale));
        int boxH = Math.max(1, (int) Math.round(cropH * scale));
        float[] scaled = resizeArea(ink, width, left, top, cropW, cropH, boxW, boxH, max);

        float[] out = new float[SIDE * SIDE];
        int offX = (SIDE - boxW) / 2;
        int offY = (SIDE - boxH) / 2;
        double mass = 0;
        double mx = 0;
        double my = 0;
        for (int y = 0; y < boxH; y++) {
            for (int x = 0; x < boxW; x++) {
                float v = scaled[y * boxW + x];
                mass += v;
                mx += v * (x + offX);
                my += v * (y + offY);
            }
        }
        int shiftX = (int) Math.round((SIDE - 1) / 2.0 - mx / mass);
        int shiftY = (int) Math.round((SIDE - 1) / 2.0 - my / mass);
        for (int y = 0; y < boxH; y++) {
            for (int x = 0; x < boxW; x++) {
                int tx = x + offX + shiftX;
                int ty = y + offY + shiftY;
                if (tx >= 0 && ty >= 0 && tx < SIDE && ty < SIDE) {
                    out[ty * SIDE + tx] = scaled[y * boxW + x];
                }
            }
        }
        return Optional.of(out);
    }

    /** Area-averaging resize of a crop, normalised so the brightest source pixel maps to 1. */
    private static float[] resizeArea(float[] src, int width, int left, int top, int cropW, int cropH, int outW,
                                      int outH, float max) {
        float[] out = new float[outW * outH];
        double sx = (double) cropW / outW;
        double sy = (double) cropH / outH;
        for (int oy = 0; oy < outH; oy++) {
            double y0 = oy * sy;
            double y1 = y0 + sy;
            for (int ox = 0; ox < outW; ox++) {
                double x0 = ox * sx;
                double x1 = x0 + sx;
                double sum = 0;
                double area = 0;
                for (int y = (int) Math.floor(y0); y < Math.ceil(y1) && y < cropH; y++) {
                    double wy = Math.min(y + 1, y1) - Math.max(y, y0);
                    for (int x = (int) Math.floor(x0); x < Math.ceil(x1) && x < cropW; x++) {
                        double wx = Math.min(x + 1, x1) - Math.max(x, x0);
                        sum += wx * wy * src[(top + y) * width + left + x];
                        area += wx * wy;
                    }
                }
                out[oy * outW + ox] = (float) Math.min(1.0, sum / area / max);
            }
        }
        return out;
    }

    /**
     * Ink intensities of an image file's pixels. Dark-on-light images (paper, most drawings) are inverted so that
     * ink is bright, as in MNIST.
     */
    public static float[] inkOf(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] gray = new float[w * h];
        double sum = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = image.getRGB(x, y);
                double alpha = ((argb >>> 24) & 0xff) / 255.0;
                double lum = (0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff))
                        / 255.0;
                // transparent pixels count as background of the opposite brightness to the strokes
                gray[y * w + x] = (float) (lum * alpha + (1 - alpha));
                sum += gray[y * w + x];
            }
        }
        boolean lightBackground = sum / gray.length > 0.5;
        for (int i = 0; i < gray.length; i++) {
            gray[i] = lightBackground ? 1 - gray[i] : gray[i];
        }
        return gray;
    }
}
