package dev.mnistdrill.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;

/** Turns digits of a split into normalised network input. */
public final class Batches {
    private Batches() {
    }

    /** Normalises 0..1 pixels in place with the MNIST mean/std used for training. */
    public static void normalise(float[] pixels, int from, int to) {
        for (int i = from; i < to; i++) {
            pixels[i] = (pixels[i] - MnistData.MEAN) / MnistData.STD;
        }
    }

    /** Builds a batch of {@code indices} of {@code split}, augmented with {@code augmenter} using {@code random}. */
    public static Batch build(MnistSplit split, int[] indices, int from, int to, Augmenter augmenter,
                              SplittableRandom random) {
        int n = to - from;
        float[] features = new float[n * MnistSplit.PIXELS];
        float[] labels = new float[n * 10];
        int[] digits = new int[n];
        for (int i = 0; i < n; i++) {
            int index = indices == null ? from + i : indices[from + i];
            augmenter.augment(split, index, random, features, i * MnistSplit.PIXELS);
            digits[i] = split.label(index);
            labels[i * 10 + digits[i]] = 1f;
        }
        normalise(features, 0, features.length);
        return new Batch(Nd4j.create(features, new long[] {n, MnistSplit.SIDE, MnistSplit.SIDE, 1}, 'c'),
                Nd4j.create(labels, new long[] {n, 10}, 'c'), digits);
    }

    /** A single already-preprocessed 28x28 image (0..1 pixels) as a network input of one. */
    public static org.nd4j.linalg.api.ndarray.INDArray single(float[] pixels01) {
        return singleNormalised(normalised(pixels01));
    }

    /**
     * The network's input values for one preprocessed 28x28 image of 0..1 pixels: a normalised copy, row-major,
     * which for one channel is also NHWC order.
     */
    public static float[] normalised(float[] pixels01) {
        float[] copy = pixels01.clone();
        normalise(copy, 0, copy.length);
        return copy;
    }

    /** An already {@link #normalised} 28x28 image as a network input of one (shares {@code normalised}). */
    public static org.nd4j.linalg.api.ndarray.INDArray singleNormalised(float[] normalised) {
        return Nd4j.create(normalised, new long[] {1, MnistSplit.SIDE, MnistSplit.SIDE, 1}, 'c');
    }
}
