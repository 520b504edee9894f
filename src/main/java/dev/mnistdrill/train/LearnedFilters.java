package dev.mnistdrill.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the filters learned, copied out of a network: the first convolution's kernels (what it looks for in the
 * pixels) and the weights of every 1x1 convolution (how a transition mixes its input channels into fewer).
 *
 * @param first       the first convolution's kernels
 * @param transitions every 1x1 convolution after the first layer, in order (none in an architecture without {@code t})
 */
public record LearnedFilters(Kernels first, List<Mixing> transitions) {
    /**
     * The kernels of one convolution on a single-channel input: {@code count} of {@code side x side} weights.
     *
     * @param block the convolution's place among the convolutions, from 1
     */
    public record Kernels(int block, int count, int side, float[][] weights) {
        /** The largest |weight|: the colour scale, the same for every kernel so that they compare. */
        public float maxAbs() {
            return LearnedFilters.maxAbs(weights);
        }
    }

    /**
     * A 1x1 convolution's weights: {@code weights[out][in]}, how much input channel {@code in} adds to output
     * channel {@code out}.
     */
    public record Mixing(int block, int outChannels, int inChannels, float[][] weights) {
        public float maxAbs() {
            return LearnedFilters.maxAbs(weights);
        }
    }

    /** The filters of {@code network} (a snapshot or a loaded model: its weights are copied now). */
    public static LearnedFilters of(MultiLayerNetwork network) {
        Kernels first = null;
        List<Mixing> transitions = new ArrayList<>();
        synchronized (network) {
            int block = 0;
            for (Layer layer : network.getLayers()) {
                if (!(layer.conf().getLayer() instanceof ConvolutionLayer conv)) {
                    continue;
                }
                block++;
                int nOut = (int) conv.getNOut();
                int nIn = (int) conv.getNIn();
                int kh = conv.getKernelSize()[0];
                int kw = conv.getKernelSize()[1];
                // DL4J stores convolution weights as [nOut, nIn, kH, kW]
                float[] w = Nd4j.toFlattened('c', layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY))
                        .toFloatVector();
                if (first == null) {
                    if (nIn != 1 || kh != kw) {
                        throw new IllegalArgumentException("the first convolution takes " + nIn + " channels with a "
                                + kh + "x" + kw + " kernel; only a square kernel on one channel is shown");
                    }
                    float[][] kernels = new float[nOut][kh * kw];
                    for (int o = 0; o < nOut; o++) {
                        System.arraycopy(w, o * kh * kw, kernels[o], 0, kh * kw);
                    }
                    first = new Kernels(block, nOut, kh, kernels);
                } else if (kh == 1 && kw == 1) {
                    float[][] mixing = new float[nOut][nIn];
                    for (int o = 0; o < nOut; o++) {
                        System.arraycopy(w, o * nIn, mixing[o], 0, nIn);
                    }
                    transitions.add(new Mixing(block, nOut, nIn, mixing));
                }
            }
        }
        if (first == null) {
            throw new IllegalArgumentException("the network has no convolution");
        }
        return new LearnedFilters(first, List.copyOf(transitions));
    }

    private static float maxAbs(float[][] values) {
        float m = 0;
        for (float[] row : values) {
            for (float v : row) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m;
    }
}
