package dev.mnistdrill.ui.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeatmapsTest {
    private static int red(int argb) {
        return argb >> 16 & 0xff;
    }

    private static int blue(int argb) {
        return argb & 0xff;
    }

    @Test
    void weightsAreWhiteAtZeroRedAboveBlueBelowAndClamped() {
        int zero = Heatmaps.weight(0, 1);
        assertTrue(red(zero) > 240 && blue(zero) > 240, Integer.toHexString(zero));
        int plus = Heatmaps.weight(1, 1);
        int minus = Heatmaps.weight(-1, 1);
        assertTrue(red(plus) > 150 && blue(plus) < 60, Integer.toHexString(plus));
        assertTrue(blue(minus) > 150 && red(minus) < 60, Integer.toHexString(minus));
        assertEquals(plus, Heatmaps.weight(5, 1), "beyond the scale: full colour");
        assertEquals(0xff, Heatmaps.weight(0.3f, 1) >>> 24, "opaque");
    }

    @Test
    void activationsAreBlackAtZeroAndBrighterFurtherFromIt() {
        assertEquals(0xff000000, Heatmaps.activation(0, 2));
        int half = Heatmaps.activation(1, 2);
        int full = Heatmaps.activation(2, 2);
        assertTrue(red(full) > red(half) && red(half) > 0);
        int negative = Heatmaps.activation(-2, 2);
        assertTrue(blue(negative) > red(negative), "cold below zero");
        assertEquals(0xff000000, Heatmaps.activation(3, 0), "no scale: nothing to show");
    }

    @Test
    void upscaleRepeatsEachPixelAsABlock() {
        int[] argb = {1, 2, 3, 4, 5, 6}; // 3 wide, 2 high
        assertArrayEquals(new int[] {1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 4, 4, 5, 5, 6, 6},
                Heatmaps.upscale(argb, 3, 2, 2));
        assertArrayEquals(argb, Heatmaps.upscale(argb, 3, 2, 1));
    }

    @Test
    void saliencyOverlayIsTheGreyDigitWhereTheMapIsZero() {
        float[] digit = {0, 1, 1, 0};
        int[] plain = Heatmaps.saliencyOverlay(digit, null, 1);
        assertEquals(0xff000000, plain[0]);
        assertEquals(red(plain[1]), blue(plain[1]), "grey");
        int[] shown = Heatmaps.saliencyOverlay(digit, new float[] {0, 1, -1, 0}, 1);
        assertEquals(plain[0], shown[0]);
        assertTrue(red(shown[1]) > blue(shown[1]), "for the class: red");
        assertTrue(blue(shown[2]) > red(shown[2]), "against it: blue");
    }
}
