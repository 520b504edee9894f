package dev.mnistdrill.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DigitPreprocessorTest {
    @Test
    void blankCanvasGivesNothing() {
        assertTrue(DigitPreprocessor.toMnist(new float[280 * 280], 280).isEmpty());
    }

    @Test
    void inkIsCroppedScaledIntoTwentyPixelsAndCentred() {
        int w = 280;
        float[] ink = new float[w * w];
        for (int y = 20; y < 120; y++) { // a tall bar in the top-left corner: 100 x 40 px
            for (int x = 10; x < 50; x++) {
                ink[y * w + x] = 1;
            }
        }
        float[] m = DigitPreprocessor.toMnist(ink, w).orElseThrow();
        int top = 28;
        int bottom = -1;
        int left = 28;
        int right = -1;
        double mx = 0;
        double my = 0;
        double mass = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                float v = m[y * 28 + x];
                if (v > 0.05) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                    left = Math.min(left, x);
                    right = Math.max(right, x);
                }
                mass += v;
                mx += v * x;
                my += v * y;
            }
        }
        assertEquals(20, bottom - top + 1, "the long side becomes 20 pixels");
        assertEquals(8, right - left + 1, "aspect ratio kept: 40/100 of 20");
        assertEquals(13.5, mx / mass, 0.6, "centre of mass in the middle");
        assertEquals(13.5, my / mass, 0.6);
    }

    @Test
    void darkInkOnPaperIsInverted() {
        BufferedImage img = TestImages.darkBarOnPaper(50, 20, 5, 6, 40);
        float[] ink = DigitPreprocessor.inkOf(img);
        assertEquals(0f, ink[0], 1e-6, "paper is background");
        assertEquals(1f, ink[10 * 50 + 22], 1e-6, "the stroke is ink");
    }
}
