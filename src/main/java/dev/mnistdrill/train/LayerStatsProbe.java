package dev.mnistdrill.train;

import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.MnistSplit;
import dev.mnistdrill.model.Architecture;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per convolution and epoch, what makes BatchNorm's effect visible ({@link LayerStat}): the mean and spread of the
 * convolution's outputs before the ReLU on a fixed probe batch, and how big each step's weight update is next to
 * the weights.
 *
 * <p>It only reads: the parameters are copied after each step (a few thousand floats) and the probe batch goes
 * through the epoch's snapshot, not the network in training, in inference mode (no dropout, so no random numbers
 * drawn). Training computes exactly what it computes without it ({@code LayerStatsTest} compares the parameters
 * bit for bit).
 */
final class LayerStatsProbe {
    /** Test digits in the probe batch: the first ones, the same for every run. */
    static final int PROBE_DIGITS = 256;

    private final MultiLayerNetwork net;
    private final List<ConvParams> convolutions = new ArrayList<>();
    private final INDArray probe;
    private float[] previous;
    private double[] ratioSums;
    private int steps;
    private long nanos;

    /** Where a convolution's weights lie in the network's flat parameter vector. */
    private record ConvParams(int block, String token, int layerIndex, int weightsFrom, int weightsTo) {
    }

    LayerStatsProbe(MultiLayerNetwork net, Architecture architecture, MnistSplit test) {
        long t0 = System.nanoTime();
        this.net = net;
        List<String> tokens = architecture.blocks().stream()
                .filter(b -> b.kind() == Architecture.Kind.CONV3 || b.kind() == Architecture.Kind.CONV1)
                .map(Architecture.Block::token).toList();
        int offset = 0;
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            Layer layer = layers[i];
            if (layer.conf().getLayer() instanceof ConvolutionLayer conv) {
                // DL4J lays a convolution's parameters out as [bias, weights]
                int bias = conv.hasBias() ? (int) conv.getNOut() : 0;
                int weights = (int) layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY).length();
                int block = convolutions.size();
                convolutions.add(new ConvParams(block + 1, block < tokens.size() ? tokens.get(block) : "conv",
                        i, offset + bias, offset + bias + weights));
            }
            offset += (int) layer.numParams();
        }
        Batch batch = Batches.build(test, null, 0, Math.min(PROBE_DIGITS, test.size()),
                new dev.mnistdrill.data.Augmenter(0, 0), new SplittableRandom(0));
        probe = batch.features();
        ratioSums = new double[convolutions.size()];
        nanos += System.nanoTime() - t0;
    }

    /** An epoch begins: its update ratios are averaged from here. */
    void startEpoch() {
        long t0 = System.nanoTime();
        previous = net.params().toFloatVector();
        ratioSums = new double[convolutions.size()];
        steps = 0;
        nanos += System.nanoTime() - t0;
    }

    /** After a training step: adds that step's update ratios. */
    void afterStep() {
        long t0 = System.nanoTime();
        float[] now = net.params().toFloatVector();
        for (int k = 0; k < convolutions.size(); k++) {
            ConvParams c = convolutions.get(k);
            double update = 0;
            double weight = 0;
            for (int i = c.weightsFrom(); i < c.weightsTo(); i++) {
                update += Math.abs(now[i] - previous[i]);
                weight += Math.abs(now[i]);
            }
            if (weight > 0) {
                ratioSums[k] += update / weight; // the means' counts cancel
            }
        }
        previous = now;
        steps++;
        nanos += System.nanoTime() - t0;
    }

    /** The epoch's statistics, the pre-activations taken from {@code snapshot} (the weights at the epoch's end). */
    List<LayerStat> finishEpoch(int epoch, MultiLayerNetwork snapshot) {
        long t0 = System.nanoTime();
        List<LayerStat> stats = new ArrayList<>(convolutions.size());
        synchronized (snapshot) {
            List<INDArray> activations = snapshot.feedForward(probe, false);
            for (int k = 0; k < convolutions.size(); k++) {
                ConvParams c = convolutions.get(k);
                // the convolution's own output: its activation is the identity, the ReLU is the next layer
                INDArray preActivation = activations.get(c.layerIndex() + 1);
                double ratio = steps == 0 ? Double.NaN : Math.log10(ratioSums[k] / steps);
                stats.add(new LayerStat(epoch, c.block(), c.token(), preActivation.meanNumber().doubleValue(),
                        preActivation.stdNumber().doubleValue(), ratio));
            }
            snapshot.clear(); // let go of the probe's activations: the snapshot lives on in the window
        }
        nanos += System.nanoTime() - t0;
        return stats;
    }

    /** Time spent by this probe so far, in seconds. */
    double seconds() {
        return nanos / 1e9;
    }
}
