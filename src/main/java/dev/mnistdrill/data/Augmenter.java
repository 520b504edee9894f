package dev.mnistdrill.data;

import java.util.SplittableRandom;

/**
 * Random rotation (and optional translation) of 28x28 digits with bilinear sampling. Pixels that come from outside
 * the image are background (0). Pure Java and allocation-free per image, so the prefetch thread keeps ahead of
 * training.
 */
public final class Augmenter {
    private static final int SIDE = MnistSplit.SIDE;
    private static final double CENTRE = (SIDE - 1) / 2.0;

    private final double maxDegrees;
    private final double maxShift;

    /**
     * @param maxDegrees rotations are uniform in [-maxDegrees, +maxDegrees]
     * @param maxShift   translations are uniform in [-maxShift, +maxShift] pixels on each axis
     */
    public Augmenter(double maxDegrees, double maxShift) {
        this.maxDegrees = maxDegrees;
        this.maxShift = maxShift;
    }

    public boolean isIdentity() {
        return maxDegrees == 0 && maxShift == 0;
    }

    /** Augments image {@code index} of {@code split} into {@code out} at {@code offset}, pixels scaled to 0..1. */
    public void augment(MnistSplit split, int index, SplittableRandom random, float[] out, int offset) {
        if (isIdentity()) {
            split.copyImage(index, out, offset);
            return;
        }
        double degrees = maxDegrees == 0 ? 0 : random.nextDouble(-maxDegrees, maxDegrees);
        double dx = maxShift == 0 ? 0 : random.nextDouble(-maxShift, maxShift);
        double dy = maxShift == 0 ? 0 : random.nextDouble(-maxShift, maxShift);
        warp(split.pixels(), index * MnistSplit.PIXELS, out, offset, Math.toRadians(degrees), dx, dy);
    }

    /**
     * Rotates the 28x28 image at {@code src[srcOffset]} by {@code radians} (counter-clockwise as displayed, y down)
     * about its centre, then shifts it by (dx, dy), writing 0..1 floats. Each output pixel samples the source at the
     * inverse-transformed position, bilinearly.
     */
    public static void warp(byte[] src, int srcOffset, float[] dst, int dstOffset, double radians, double dx, double dy) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        for (int y = 0; y < SIDE; y++) {
            double oy = y - CENTRE - dy;
            for (int x = 0; x < SIDE; x++) {
                double ox = x - CENTRE - dx;
                // inverse rotation of a counter-clockwise (on screen) turn
                double sx = cos * ox - sin * oy + CENTRE;
                double sy = sin * ox + cos * oy + CENTRE;
                dst[dstOffset + y * SIDE + x] = (float) (sample(src, srcOffset, sx, sy) / 255.0);
            }
        }
    }

    private static double sample(byte[] src, int offset, double sx, double sy) {
        int x0 = (int) Math.floor(sx);
        int y0 = (int) Math.floor(sy);
        double fx = sx - x0;
        double fy = sy - y0;
        double top = lerp(pixel(src, offset, x0, y0), pixel(src, offset, x0 + 1, y0), fx);
        double bottom = lerp(pixel(src, offset, x0, y0 + 1), pixel(src, offset, x0 + 1, y0 + 1), fx);
        return lerp(top, bottom, fy);
    }

    private static double lerp(double a, double b, double t) {
        return t == 0 ? a : a + (b - a) * t;
    }

    private static int pixel(byte[] src, int offset, int x, int y) {
        if (x < 0 || y < 0 || x >= SIDE || y >= SIDE) {
            return 0;
        }
        return src[offset + y * SIDE + x] & 0xff;
    }
}
