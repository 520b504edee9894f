package dev.mnistdrill.data;

import java.util.Arrays;

/**
 * One split of MNIST held in memory as raw bytes (47 MB for the training set instead of 188 MB as floats).
 * Pixels are 0..255, row-major 28x28 per image.
 */
public record MnistSplit(byte[] pixels, byte[] labels) {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;

    public MnistSplit {
        if (pixels.length != labels.length * PIXELS) {
            throw new DataException("image count " + pixels.length / PIXELS + " does not match label count "
                    + labels.length);
        }
    }

    /** Joins a parsed image file and label file, checking that they describe the same digits. */
    public static MnistSplit of(IdxReader.IdxArray images, IdxReader.IdxArray labels, String name) {
        if (images.dims().length != 3 || images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new DataException(name + ": images are " + Arrays.toString(images.dims()) + ", expected [n, 28, 28]");
        }
        if (labels.dims().length != 1) {
            throw new DataException(name + ": labels have rank " + labels.dims().length + ", expected 1");
        }
        if (images.count() != labels.count()) {
            throw new DataException(name + ": " + images.count() + " images but " + labels.count() + " labels");
        }
        for (int i = 0; i < labels.data().length; i++) {
            if (labels.data()[i] < 0 || labels.data()[i] > 9) {
                throw new DataException(name + ": label " + labels.data()[i] + " at index " + i + " is not a digit");
            }
        }
        return new MnistSplit(images.data(), labels.data());
    }

    public int size() {
        return labels.length;
    }

    public int label(int index) {
        return labels[index];
    }

    /** The first {@code n} digits (or all, when n is 0 or larger than the split). */
    public MnistSplit head(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        return new MnistSplit(Arrays.copyOf(pixels, n * PIXELS), Arrays.copyOf(labels, n));
    }

    /** Digits [from, to). */
    public MnistSplit slice(int from, int to) {
        return new MnistSplit(Arrays.copyOfRange(pixels, from * PIXELS, to * PIXELS),
                Arrays.copyOfRange(labels, from, to));
    }

    /** Copies image {@code index} into {@code out} at {@code offset}, scaled to 0..1. */
    public void copyImage(int index, float[] out, int offset) {
        int base = index * PIXELS;
        for (int p = 0; p < PIXELS; p++) {
            out[offset + p] = (pixels[base + p] & 0xff) / 255f;
        }
    }

    public float[] image(int index) {
        float[] out = new float[PIXELS];
        copyImage(index, out, 0);
        return out;
    }
}
