package dev.mnistdrill.train;

import dev.mnistdrill.data.Batches;
import dev.mnistdrill.engine.PlainForward;
import java.util.function.BooleanSupplier;

/**
 * Where the model looks: for every pixel, how much each class's score drops when the ink in the 3x3 patch centred
 * on it is erased.
 *
 * <p>Why occlusion and not input gradients: a gradient says what an infinitesimal change of a pixel would do, and on
 * a ReLU network it is speckled and lights up background where ink <em>could</em> be; erasing real ink asks what a
 * student asks ("which strokes made it a 7?") and the answer is an actual forward pass of the model, nothing
 * approximated. Erasing (setting to the MNIST background) rather than greying also means patches without ink
 * change nothing: their passes are skipped, and the map is exactly zero away from the strokes. One sweep gives
 * the maps of all ten classes, so picking another class costs nothing. Each pass recomputes only what the erased
 * patch reaches ({@link PlainForward.Occlusion}): the same floats as a whole pass, for about a third of the work.
 *
 * <p>The score is the class's logit minus the mean of the ten logits: shifting all logits together changes no
 * probability, and unlike the probability itself it does not saturate when the model is sure (erasing a stroke of
 * a 99.99% seven barely moves the probability but clearly moves the score). Positive values: that ink speaks for
 * the class; negative: against it.
 */
public final class OcclusionSaliency {
    /** Side of the erased patch. */
    public static final int PATCH = 3;
    /** How often the sweep asks whether it is still wanted, in passes. */
    private static final int CHECK_EVERY = 16;

    private OcclusionSaliency() {
    }

    /**
     * The maps of one image.
     *
     * @param side    image side (28)
     * @param maps    per class, {@code side x side} values, row-major: base score minus occluded score
     * @param passes  forward passes the sweep ran (patches that held ink)
     */
    public record Maps(int side, float[][] maps, int passes) {
        public float[] of(int digit) {
            return maps[digit];
        }

        /** The largest |value| over all classes' maps (0 for a blank image): a common colour scale. */
        public float maxAbs() {
            float m = 0;
            for (float[] map : maps) {
                for (float v : map) {
                    m = Math.max(m, Math.abs(v));
                }
            }
            return m;
        }
    }

    /**
     * The occlusion maps of a {@code side x side} image of 0..1 pixels (background 0), through {@code net}; null
     * when {@code cancelled} says so during the sweep (a newer drawing is waiting).
     */
    public static Maps of(PlainForward net, float[] pixels01, BooleanSupplier cancelled) {
        int side = (int) Math.round(Math.sqrt(pixels01.length));
        if (side * side != pixels01.length || net.inputLength() != pixels01.length) {
            throw new IllegalArgumentException("a square single-channel image of " + net.inputLength()
                    + " pixels is needed, got " + pixels01.length);
        }
        int classes = net.classes();
        PlainForward.Occlusion occlusion = net.occlusion(Batches.normalised(pixels01));
        double[] base = new double[classes];
        occlusion.logits(base);
        centre(base);
        float[][] maps = new float[classes][side * side];
        float background = Batches.normalised(new float[1])[0];
        double[] scores = new double[classes];
        int half = PATCH / 2;
        int passes = 0;
        for (int cy = 0; cy < side; cy++) {
            for (int cx = 0; cx < side; cx++) {
                int y0 = Math.max(0, cy - half);
                int y1 = Math.min(side, cy + half + 1);
                int x0 = Math.max(0, cx - half);
                int x1 = Math.min(side, cx + half + 1);
                boolean ink = false;
                for (int y = y0; y < y1 && !ink; y++) {
                    for (int x = x0; x < x1; x++) {
                        if (pixels01[y * side + x] != 0f) {
                            ink = true;
                            break;
                        }
                    }
                }
                if (!ink) {
                    continue; // erasing nothing changes nothing: exactly 0
                }
                if (passes % CHECK_EVERY == 0 && cancelled.getAsBoolean()) {
                    return null;
                }
                occlusion.occluded(y0, y1, x0, x1, background, scores);
                centre(scores);
                for (int c = 0; c < classes; c++) {
                    maps[c][cy * side + cx] = (float) (base[c] - scores[c]);
                }
                passes++;
            }
        }
        return new Maps(side, maps, passes);
    }

    /** Subtracts the mean of the logits: the same scores up to a shift, which changes no probability. */
    private static void centre(double[] logits) {
        double mean = 0;
        for (double z : logits) {
            mean += z;
        }
        mean /= logits.length;
        for (int i = 0; i < logits.length; i++) {
            logits[i] -= mean;
        }
    }
}
