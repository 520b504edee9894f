package dev.mnistdrill.data;

import java.nio.file.Path;

/** MNIST's training and test splits, and the folder they were read from. */
public record MnistData(MnistSplit train, MnistSplit test, Path source) {
    /** Standard MNIST normalisation (mean and std of the training pixels, scaled 0..1), as in the drill. */
    public static final float MEAN = 0.1307f;
    public static final float STD = 0.3081f;

    /** Fewer training digits for quick runs; 0 keeps all. The test set always stays whole. */
    public MnistData withTrainSubset(int n) {
        return new MnistData(train.head(n), test, source);
    }
}
