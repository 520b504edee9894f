package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.engine.PlainForward;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The saliency maps of a model trained here (code2 on 5,000 digits for 2 epochs), on 300
 * test digits: they sit on and around the ink, they point at ink that matters to the model, and each class has
 * its own.
 */
class OcclusionSaliencyTest {
    private static final int DIGITS = 300;
    private static final int SIDE = 28;
    private static Predictor model;
    private static MnistData data;

    @BeforeAll
    static void train() {
        data = TestData.mnist();
        // code2's BatchNorm network, with the steps and rate of a quick trial: batch 32 at 0.05 (as the
        // preset's 128 at 0.01 it stays near 60% after two epochs of 5,000 digits)
        ExperimentConfig config = Presets.get("code2").withSubset(5000).withEpochs(2).withBatchSize(32)
                .withLearningRate(0.05);
        List<Predictor> snapshots = new ArrayList<>();
        TrainingResult result = new Trainer(config, data, null).run(new TrainingListener() {
            @Override
            public void onEpoch(EpochMetrics metrics, Predictor snapshot) {
                snapshots.add(snapshot);
            }
        });
        assertEquals(TrainingStatus.COMPLETED, result.status(), result.error());
        double accuracy = result.epochs().get(1).testAccuracy();
        System.out.printf(Locale.ROOT, "saliency test model: code2, 5,000 digits, 2 epochs: %.2f%% test%n",
                100 * accuracy);
        assertTrue(accuracy > 0.9, "a model worth explaining: " + accuracy); // 94% when written
        model = snapshots.get(1);
    }

    @Test
    void mapsSitOnTheInkPointAtWhatMattersAndDifferByClass() {
        PlainForward net = model.plainForward().orElseThrow();
        SplittableRandom random = new SplittableRandom(11);
        double nearInk = 0;
        double positiveShare = 0;
        double correlationSum = 0;
        int salientWorse = 0;
        double salientDrop = 0;
        double randomDrop = 0;
        for (int i = 0; i < DIGITS; i++) {
            float[] image = data.test().image(i);
            OcclusionSaliency.Maps maps = OcclusionSaliency.of(net, image, () -> false);
            double[] p = net.output(Batches.normalised(image));
            int predicted = argmax(p, -1);
            int runnerUp = argmax(p, predicted);
            float[] map = maps.of(predicted);

            // 1. mass on and around the ink: |map| within the ink dilated by 2 px. Erasing ink-free patches
            // changes nothing, so with 3x3 patches this holds by construction (a misplaced or transposed map
            // would not); the share is reported for the record.
            boolean[] dilated = dilate(image, 2);
            double total = 0;
            double inside = 0;
            double positive = 0;
            for (int k = 0; k < map.length; k++) {
                total += Math.abs(map[k]);
                inside += dilated[k] ? Math.abs(map[k]) : 0;
                positive += Math.max(0, map[k]);
            }
            assertTrue(total > 0, "digit " + i + " has a map");
            nearInk += inside / total;
            // 2. for the class it predicts, erasing the digit's ink mostly lowers the score
            positiveShare += positive / total;
            // 3. another class gets another map
            correlationSum += correlation(map, maps.of(runnerUp));
            // 4. faithful: erasing the 12 most salient ink pixels lowers the predicted score more than erasing
            // 12 ink pixels picked at random
            List<Integer> ink = new ArrayList<>();
            for (int k = 0; k < image.length; k++) {
                if (image[k] > 0.2f) {
                    ink.add(k);
                }
            }
            List<Integer> bySaliency = new ArrayList<>(ink);
            bySaliency.sort((a, b) -> Float.compare(map[b], map[a]));
            List<Integer> shuffled = new ArrayList<>(ink);
            java.util.Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
            double base = centredScore(net, image, List.of(), predicted);
            double dropSalient = base - centredScore(net, image, bySaliency.subList(0, 12), predicted);
            double dropRandom = base - centredScore(net, image, shuffled.subList(0, 12), predicted);
            salientDrop += dropSalient;
            randomDrop += dropRandom;
            salientWorse += dropSalient > dropRandom ? 1 : 0;
        }
        nearInk /= DIGITS;
        positiveShare /= DIGITS;
        double correlation = correlationSum / DIGITS;
        System.out.printf(Locale.ROOT, "saliency over %d test digits: %.1f%% of |map| within the ink dilated by "
                + "2 px; %.1f%% of it positive for the predicted class; correlation with the runner-up's map %.2f; "
                + "erasing the 12 most salient ink pixels lowers the predicted score by %.2f on average, 12 random "
                + "ones by %.2f (more in %d of %d digits)%n", DIGITS, 100 * nearInk, 100 * positiveShare,
                correlation, salientDrop / DIGITS, randomDrop / DIGITS, salientWorse, DIGITS);
        assertTrue(nearInk >= 0.8, "mass near the ink: " + nearInk);
        assertTrue(positiveShare > 0.6, "the predicted class's ink speaks for it: " + positiveShare);
        assertTrue(correlation < 0.5, "the runner-up's map is another map: correlation " + correlation);
        assertTrue(salientDrop > 2 * randomDrop, "salient ink matters more than random ink: " + salientDrop + " vs "
                + randomDrop);
        assertTrue(salientWorse > 0.8 * DIGITS, "in most digits: " + salientWorse);
    }

    @Test
    void aBlankImageHasBlankMapsAndASweepCanBeCancelled() {
        PlainForward net = model.plainForward().orElseThrow();
        OcclusionSaliency.Maps blank = OcclusionSaliency.of(net, new float[SIDE * SIDE], () -> false);
        assertEquals(0, blank.passes());
        assertEquals(0f, blank.maxAbs());
        int[] asked = {0};
        assertNull(OcclusionSaliency.of(net, data.test().image(0), () -> ++asked[0] > 2), "cancelled on request");
        assertEquals(3, asked[0], "asked every few passes, stopped at the first yes");
    }

    /** The predicted class's logit minus the mean logit, with the pixels {@code erased} set to background. */
    private static double centredScore(PlainForward net, float[] image, List<Integer> erased, int digit) {
        float[] copy = image.clone();
        for (int k : erased) {
            copy[k] = 0;
        }
        double[] logits = new double[10];
        net.logits(Batches.normalised(copy), logits);
        double mean = java.util.Arrays.stream(logits).average().orElseThrow();
        return logits[digit] - mean;
    }

    private static boolean[] dilate(float[] image, int radius) {
        boolean[] out = new boolean[image.length];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                if (image[y * SIDE + x] == 0) {
                    continue;
                }
                for (int dy = -radius; dy <= radius; dy++) {
                    for (int dx = -radius; dx <= radius; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < SIDE && xx >= 0 && xx < SIDE) {
                            out[yy * SIDE + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double correlation(float[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }

    private static int argmax(double[] p, int except) {
        int best = -1;
        for (int i = 0; i < p.length; i++) {
            if (i != except && (best < 0 || p[i] > p[best])) {
                best = i;
            }
        }
        return best;
    }
}
