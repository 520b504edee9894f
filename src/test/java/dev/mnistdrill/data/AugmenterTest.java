package dev.mnistdrill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {
    private static final int SIDE = 28;

    private static byte[] singlePixel(int x, int y) {
        byte[] img = new byte[SIDE * SIDE];
        img[y * SIDE + x] = (byte) 255;
        return img;
    }

    @Test
    void zeroDegreesIsTheIdentity() {
        byte[] img = new byte[SIDE * SIDE];
        new SplittableRandom(3).nextBytes(img);
        float[] warped = new float[SIDE * SIDE];
        Augmenter.warp(img, 0, warped, 0, 0, 0, 0);
        for (int i = 0; i < img.length; i++) {
            assertEquals((img[i] & 0xff) / 255f, warped[i], 1e-6, "pixel " + i);
        }
    }

    @Test
    void ninetyDegreesMovesAKnownPixelCounterClockwise() {
        // A pixel right of centre, turned 90 degrees counter-clockwise on screen (y down), lands above centre.
        // Centre is 13.5: (20, 13.5) -> (13.5, 7). Use a 2-pixel-tall mark so it stays on the grid.
        byte[] img = new byte[SIDE * SIDE];
        img[13 * SIDE + 20] = (byte) 255;
        img[14 * SIDE + 20] = (byte) 255;
        float[] out = new float[SIDE * SIDE];
        Augmenter.warp(img, 0, out, 0, Math.toRadians(90), 0, 0);
        assertEquals(1f, out[7 * SIDE + 13], 1e-5);
        assertEquals(1f, out[7 * SIDE + 14], 1e-5);
        assertEquals(2f, sum(out), 1e-4, "a 90-degree turn of grid-aligned pixels keeps all ink");
    }

    @Test
    void translationShiftsByWholePixels() {
        float[] out = new float[SIDE * SIDE];
        Augmenter.warp(singlePixel(10, 10), 0, out, 0, 0, 2, -1);
        assertEquals(1f, out[9 * SIDE + 12], 1e-6);
        assertEquals(1f, sum(out), 1e-6);
    }

    @Test
    void smallRotationKeepsInkAndBackground() {
        byte[] img = new byte[SIDE * SIDE];
        for (int y = 8; y < 20; y++) {
            img[y * SIDE + 14] = (byte) 255; // a vertical bar, like a "1"
        }
        float[] out = new float[SIDE * SIDE];
        Augmenter.warp(img, 0, out, 0, Math.toRadians(7), 0, 0);
        assertEquals(0f, out[0], 0, "corners stay background");
        assertEquals(12f, sum(out), 0.6, "bilinear resampling keeps the amount of ink");
        assertFalse(Arrays.equals(out, toFloats(img)), "the bar moved");
    }

    @Test
    void augmentationIsReproducibleForASeed() {
        MnistSplit split = new MnistSplit(singleDigit(), new byte[] {1});
        Augmenter aug = new Augmenter(7, 1);
        float[] a = new float[784];
        float[] b = new float[784];
        float[] c = new float[784];
        aug.augment(split, 0, new SplittableRandom(42), a, 0);
        aug.augment(split, 0, new SplittableRandom(42), b, 0);
        aug.augment(split, 0, new SplittableRandom(43), c, 0);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertTrue(new Augmenter(0, 0).isIdentity());
    }

    private static byte[] singleDigit() {
        byte[] img = new byte[784];
        for (int y = 6; y < 22; y++) {
            img[y * SIDE + 10 + y / 4] = (byte) 255;
        }
        return img;
    }

    private static float[] toFloats(byte[] img) {
        float[] f = new float[img.length];
        for (int i = 0; i < img.length; i++) {
            f[i] = (img[i] & 0xff) / 255f;
        }
        return f;
    }

    private static float sum(float[] a) {
        float s = 0;
        for (float v : a) {
            s += v;
        }
        return s;
    }
}
