package dev.mnistdrill.train;

import dev.mnistdrill.data.Batches;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Predicts with a network of its own. DL4J's {@code output()} and {@code fit()} lock the network, so the UI
 * predicts from a snapshot taken after an epoch, never from the network in training.
 */
public final class Predictor {
    private final MultiLayerNetwork network;
    private final int epoch;

    public Predictor(MultiLayerNetwork network, int epoch) {
        this.network = network;
        this.epoch = epoch;
    }

    /** A copy of {@code training}, taken on the training thread between batches. */
    public static Predictor snapshotOf(MultiLayerNetwork training, int epoch) {
        return new Predictor(training.clone(), epoch);
    }

    /** The epoch whose weights this predictor holds (0 for a model loaded from disk whose epoch is unknown). */
    public int epoch() {
        return epoch;
    }

    public MultiLayerNetwork network() {
        return network;
    }

    /** Class probabilities for one 28x28 image of 0..1 pixels (white digit on black, like MNIST). */
    public double[] probabilities(float[] pixels01) {
        INDArray input = Batches.single(pixels01);
        INDArray out;
        synchronized (network) {
            out = network.output(input, false);
        }
        return out.toDoubleVector();
    }

    /** Probabilities [n, 10] for a prepared NHWC input. */
    public INDArray output(INDArray input) {
        synchronized (network) {
            return network.output(input, false);
        }
    }
}
