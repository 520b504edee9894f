package dev.mnistdrill.ui.util;

/**
 * Colour maps for the "inside the network" views, as packed ARGB ints (no JavaFX: they can be computed on any
 * thread and written into an image in one call).
 */
public final class Heatmaps {
    private Heatmaps() {
    }

    /** Weights: blue for negative, white at zero, red for positive (the usual diverging map). */
    private static final int[] NEGATIVE_WEIGHT = {33, 102, 172};
    private static final int[] ZERO_WEIGHT = {247, 247, 247};
    private static final int[] POSITIVE_WEIGHT = {178, 24, 43};
    /**
     * Activations: black at zero like MNIST's background, warm as a value grows, cold below zero (BatchNorm
     * shifts a channel's zeros below zero), so that a map lights up where the filter found its pattern.
     */
    private static final int[][] POSITIVE_ACTIVATION = {{0, 0, 0}, {181, 54, 30}, {245, 133, 24}, {255, 236, 160}};
    private static final int[][] NEGATIVE_ACTIVATION = {{0, 0, 0}, {31, 59, 115}, {76, 120, 168}, {170, 205, 240}};
    /** Saliency: red where erasing the ink lowers the class's score, blue where it raises it. */
    private static final int[] SUPPORTS = {235, 64, 52};
    private static final int[] OPPOSES = {58, 134, 255};

    /** A weight {@code value} on a scale where {@code ±scale} is full colour. */
    public static int weight(float value, float scale) {
        double t = scale <= 0 ? 0 : Math.max(-1, Math.min(1, value / scale));
        return t >= 0 ? mix(ZERO_WEIGHT, POSITIVE_WEIGHT, t) : mix(ZERO_WEIGHT, NEGATIVE_WEIGHT, -t);
    }

    /** An activation {@code value} on a scale where {@code ±scale} is the brightest. */
    public static int activation(float value, float scale) {
        double t = scale <= 0 ? 0 : Math.max(-1, Math.min(1, value / scale));
        return ramp(t >= 0 ? POSITIVE_ACTIVATION : NEGATIVE_ACTIVATION, Math.abs(t));
    }

    /** Every value of {@code values} through {@link #activation}. */
    public static int[] activations(float[] values, float scale) {
        int[] argb = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            argb[i] = activation(values[i], scale);
        }
        return argb;
    }

    /** Every value of {@code values} through {@link #weight}. */
    public static int[] weights(float[] values, float scale) {
        int[] argb = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            argb[i] = weight(values[i], scale);
        }
        return argb;
    }

    /**
     * A saliency map over its digit: the digit dimmed to grey, and over it red where the map is positive and blue
     * where it is negative, the more opaque the larger |value| is next to {@code scale}.
     */
    public static int[] saliencyOverlay(float[] pixels01, float[] saliency, float scale) {
        int[] argb = new int[pixels01.length];
        for (int i = 0; i < pixels01.length; i++) {
            int grey = (int) Math.round(Math.max(0, Math.min(1, pixels01[i])) * 110);
            int[] base = {grey, grey, grey};
            double s = saliency == null || scale <= 0 ? 0 : Math.max(-1, Math.min(1, saliency[i] / scale));
            // a square root lifts the weaker evidence into view without changing the order
            double alpha = Math.sqrt(Math.abs(s));
            argb[i] = mix(base, s >= 0 ? SUPPORTS : OPPOSES, alpha);
        }
        return argb;
    }

    /**
     * {@code argb} ({@code width x height}) with every pixel a {@code factor x factor} block: pixels stay sharp
     * squares whatever renders them (JavaFX's software pipeline smooths a scaled ImageView).
     */
    public static int[] upscale(int[] argb, int width, int height, int factor) {
        if (factor <= 1) {
            return argb;
        }
        int outW = width * factor;
        int[] out = new int[outW * height * factor];
        for (int y = 0; y < height * factor; y++) {
            int row = (y / factor) * width;
            for (int x = 0; x < outW; x++) {
                out[y * outW + x] = argb[row + x / factor];
            }
        }
        return out;
    }

    /** The largest |value|, at least {@code floor}: a colour scale that a blank map does not blow up. */
    public static float maxAbs(float[] values, float floor) {
        float m = floor;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Whether any value is below zero. */
    public static boolean hasNegative(float[] values) {
        for (float v : values) {
            if (v < 0) {
                return true;
            }
        }
        return false;
    }

    private static int ramp(int[][] stops, double t) {
        double x = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) x);
        return mix(stops[i], stops[i + 1], x - i);
    }

    private static int mix(int[] a, int[] b, double t) {
        int r = (int) Math.round(a[0] + (b[0] - a[0]) * t);
        int g = (int) Math.round(a[1] + (b[1] - a[1]) * t);
        int bl = (int) Math.round(a[2] + (b[2] - a[2]) * t);
        return 0xff000000 | r << 16 | g << 8 | bl;
    }
}
