package dev.mnistdrill.train;

import dev.mnistdrill.data.Batches;
import dev.mnistdrill.engine.PlainForward;
import java.util.Optional;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Predicts with a network of its own. DL4J's {@code output()} and {@code fit()} lock the network, so the UI
 * predicts from a snapshot taken after an epoch, never from the network in training.
 *
 * <p>Single images go through a {@link PlainForward} copy of the network when it supports the network (every
 * network {@link dev.mnistdrill.engine.NetworkFactory} builds): plain Java, without ND4J's per-op overhead and
 * without competing with a training for OpenMP threads. It is built on first use, so the network must not change
 * after this predictor is made. Batches ({@link #output(INDArray)}) still go through DL4J.
 */
public final class Predictor {
    private final MultiLayerNetwork network;
    private final int epoch;
    /** Null until first asked for; then the plain pass, or empty when the network is not supported. */
    private volatile Optional<PlainForward> plain;

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

    /**
     * The plain-Java forward pass of the network, built (weights copied) on the first call; empty when the network
     * has a layer or setting it does not support, in which case single images go through DL4J.
     */
    public Optional<PlainForward> plainForward() {
        Optional<PlainForward> p = plain;
        if (p == null) {
            synchronized (network) {
                if (plain == null) {
                    plain = PlainForward.from(network);
                }
                p = plain;
            }
        }
        return p;
    }

    /** Class probabilities for one 28x28 image of 0..1 pixels (white digit on black, like MNIST). */
    public double[] probabilities(float[] pixels01) {
        return predictOne(Batches.normalised(pixels01));
    }

    /**
     * Class probabilities for one image already {@link Batches#normalised normalised} (the network's input
     * values): the plain pass when it supports the network, DL4J otherwise.
     */
    public double[] predictOne(float[] normalised) {
        Optional<PlainForward> p = plainForward();
        return p.isPresent() ? p.get().output(normalised) : dl4jPredictOne(normalised);
    }

    /**
     * One image's pass with every convolution block's output kept (the feature maps): the plain pass's
     * {@link PlainForward#trace} when it supports the network, else DL4J's {@code feedForward} of this network
     * (logits then taken as the log of the probabilities, which differ from the real ones by a shift only).
     */
    public PlainForward.Trace trace(float[] normalised) {
        Optional<PlainForward> p = plainForward();
        return p.isPresent() ? p.get().trace(normalised) : dl4jTrace(normalised);
    }

    /** DL4J's own trace of this network, plain pass or not (public for the plain pass's tests, which compare them). */
    public PlainForward.Trace dl4jTrace(float[] normalised) {
        java.util.List<INDArray> activations;
        synchronized (network) {
            activations = network.feedForward(Batches.singleNormalised(normalised), false);
        }
        org.deeplearning4j.nn.api.Layer[] layers = network.getLayers();
        java.util.List<PlainForward.BlockOutput> blocks = new java.util.ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            if (!(layers[i].conf().getLayer() instanceof ConvolutionLayer conv)) {
                continue;
            }
            int last = i;
            java.util.List<String> after = new java.util.ArrayList<>();
            if (!"identity".equalsIgnoreCase(String.valueOf(conv.getActivationFn()))) {
                after.add(String.valueOf(conv.getActivationFn()));
            }
            while (last + 1 < layers.length) {
                var next = layers[last + 1].conf().getLayer();
                if (next instanceof ActivationLayer a) {
                    after.add(String.valueOf(a.getActivationFn()).replace("relu", "ReLU"));
                } else if (next instanceof BatchNormalization) {
                    after.add("BatchNorm");
                } else {
                    break;
                }
                last++;
            }
            INDArray out = activations.get(last + 1);
            if (conv.getCnn2dDataFormat() == CNN2DFormat.NCHW) {
                out = out.permute(0, 2, 3, 1);
            }
            long[] shape = out.shape();
            blocks.add(new PlainForward.BlockOutput(blocks.size(), last, conv.getKernelSize()[0],
                    String.join(" + ", after), (int) shape[1], (int) shape[2], (int) shape[3],
                    Nd4j.toFlattened('c', out).toFloatVector()));
        }
        double[] probabilities = activations.get(activations.size() - 1).toDoubleVector();
        double[] logits = new double[probabilities.length];
        for (int c = 0; c < logits.length; c++) {
            logits[c] = Math.log(Math.max(probabilities[c], 1e-30));
        }
        return new PlainForward.Trace(java.util.List.copyOf(blocks), logits, probabilities);
    }

    /** As {@link #predictOne}, always through DL4J's {@code output()} (the reference the plain pass must match). */
    public double[] dl4jPredictOne(float[] normalised) {
        INDArray input = Batches.singleNormalised(normalised);
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
