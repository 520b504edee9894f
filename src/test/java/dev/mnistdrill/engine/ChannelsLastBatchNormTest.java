package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The Java BatchNorm must compute what DL4J's oneDNN BatchNorm computes: outputs, gradients, running statistics. */
class ChannelsLastBatchNormTest {
    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    /**
     * code4's layers without dropout (it would draw different masks in the two networks) and without the max-pool:
     * rounding differences of 1e-5 flip which pixel a 2x2 pool picks, and that moves single gradients by 0.2 even
     * between two runs of DL4J's own BatchNorm on inputs 1e-5 apart. Without weight decay too: it never reaches
     * BatchNorm, but it makes five steps on random labels chaotic enough (a 1e-6 nudge to the start parameters grew to
     * 2.5e-3 of the largest parameter in five steps) that float rounding alone outgrew the 1e-4 the test allows.
     */
    // The rate is pinned: five steps at code4's 0.2 would grow rounding differences past any fair tolerance.
    private static final ExperimentConfig CONFIG = Presets.get("code4").withDropout(0).withWeightDecay(0)
            .withLearningRate(0.05).withArchitecture("c8 c12 t8 c12 c12 c16 c16 gap");

    private static MultiLayerNetwork network(CNN2DFormat format, boolean javaBatchNorm) {
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.configuration(CONFIG, format));
        net.init();
        if (javaBatchNorm) {
            ChannelsLastBatchNorm.attachTo(net);
        }
        return net;
    }

    private static DataSet batch(int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray images = Nd4j.rand(DataType.FLOAT, size, 28, 28, 1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, size, 10);
        for (int i = 0; i < size; i++) {
            labels.putScalar(i, (i * 7 + seed) % 10, 1f);
        }
        return new DataSet(images, labels);
    }

    @Test
    void attachesToEveryBatchNormLayer() {
        MultiLayerNetwork net = NetworkFactory.build(CONFIG);
        int batchNorms = 0;
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization bn) {
                batchNorms++;
                assertTrue(bn.getHelper() instanceof ChannelsLastBatchNorm, "layer " + layer.getIndex());
            }
        }
        assertEquals(7, batchNorms);
        assertTrue(Engine.slowLayers(net).isEmpty(), () -> "unaccelerated: " + Engine.slowLayers(net));
    }

    /** Layer level: the same inputs through both helpers give the same outputs, gradients and batch statistics. */
    @Test
    void matchesTheOneDnnHelperOnOneLayer() {
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        for (long[] shape : new long[][] {{32, 26, 26, 8}, {5, 4, 4, 16}, {3, 7, 7, 12}}) {
            int channels = (int) shape[3];
            Nd4j.getRandom().setSeed(shape[0]);
            INDArray x = Nd4j.rand(DataType.FLOAT, shape).muli(3); // post-ReLU-like: positive, mean and spread ~1
            INDArray dy = Nd4j.rand(DataType.FLOAT, shape).subi(0.5);
            INDArray gamma = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
            INDArray beta = Nd4j.rand(DataType.FLOAT, channels).subi(0.5);
            INDArray runningMean = Nd4j.rand(DataType.FLOAT, channels);
            INDArray runningVar = Nd4j.rand(DataType.FLOAT, channels).addi(0.5);
            BatchNormalizationHelper oneDnn = new MKLDNNBatchNormHelper(DataType.FLOAT);
            ChannelsLastBatchNorm java = new ChannelsLastBatchNorm();
            String what = Arrays.toString(shape);
            for (boolean training : new boolean[] {false, true}) { // training last: backprop uses its statistics
                INDArray expected = oneDnn.preOutput(x, training, shape, gamma, beta, runningMean, runningVar, 0.9,
                        EPS, CNN2DFormat.NHWC, noWorkspaces);
                INDArray actual = java.preOutput(x, training, shape, gamma, beta, runningMean, runningVar, 0.9, EPS,
                        CNN2DFormat.NHWC, noWorkspaces);
                assertClose(expected, actual, 1e-5, what + (training ? " training output" : " inference output"));
            }
            assertClose(oneDnn.getMeanCache(DataType.FLOAT), java.getMeanCache(DataType.FLOAT), 1e-5, what + " mean");
            assertClose(oneDnn.getVarCache(DataType.FLOAT), java.getVarCache(DataType.FLOAT), 1e-5, what + " var");

            INDArray dGammaExpected = Nd4j.zeros(DataType.FLOAT, channels);
            INDArray dBetaExpected = Nd4j.zeros(DataType.FLOAT, channels);
            INDArray dxExpected = oneDnn.backpropGradient(x, dy, shape, gamma, beta, dGammaExpected, dBetaExpected,
                    EPS, CNN2DFormat.NHWC, noWorkspaces).getSecond();
            INDArray dGamma = Nd4j.zeros(DataType.FLOAT, channels);
            INDArray dBeta = Nd4j.zeros(DataType.FLOAT, channels);
            INDArray dx = java.backpropGradient(x, dy, shape, gamma, beta, dGamma, dBeta, EPS, CNN2DFormat.NHWC,
                    noWorkspaces).getSecond();
            assertClose(dxExpected, dx, 1e-5, what + " input gradient");
            assertClose(dGammaExpected, dGamma, 1e-5, what + " gamma gradient");
            assertClose(dBetaExpected, dBeta, 1e-5, what + " beta gradient");
        }
    }

    /**
     * Network level, whole gradient. It cannot match element by element: summing in another order moves activations
     * by ~1e-6, which flips a few ReLUs sitting at zero. DL4J's own BatchNorm, fed inputs 1e-6 apart, moves single
     * gradients of this network by 2.5e-3 the same way. So the check is on the gradient as a whole.
     */
    @Test
    void networkGradientMatchesOneDnn() {
        MultiLayerNetwork reference = network(CNN2DFormat.NHWC, false);
        MultiLayerNetwork java = network(CNN2DFormat.NHWC, true);
        java.setParams(reference.params().dup());
        for (int size : new int[] {32, 5}) { // 5: a short last batch changes the pixel count between calls
            DataSet data = batch(size, size);
            INDArray expected = Nd4j.createFromArray(gradient(reference, data));
            INDArray actual = Nd4j.createFromArray(gradient(java, data));
            double relative = expected.distance2(actual) / expected.norm2Number().doubleValue();
            assertTrue(relative < 0.02, "relative L2 difference " + relative + ", batch of " + size);
            assertClose(reference.output(data.getFeatures(), false), java.output(data.getFeatures(), false), 1e-4,
                    "inference outputs");
        }
    }

    private static final double EPS = 1e-5;

    private static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        float[] e = expected.dup().ravel().toFloatVector();
        float[] a = actual.dup().ravel().toFloatVector();
        assertEquals(e.length, a.length, what);
        double scale = 1e-3;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(e, a, (float) (relative * scale), what);
    }

    @Test
    void trainingStepsKeepTheSameParametersAndRunningStatistics() {
        MultiLayerNetwork reference = network(CNN2DFormat.NHWC, false);
        MultiLayerNetwork java = network(CNN2DFormat.NHWC, true);
        java.setParams(reference.params().dup());
        INDArray before = reference.params().dup();
        for (int step = 0; step < 5; step++) {
            DataSet data = batch(24, 100 + step);
            reference.fit(data);
            java.fit(data);
        }
        // Includes every BatchNorm layer's running mean and variance, which DL4J keeps among the parameters.
        float[] expected = reference.params().toFloatVector();
        assertFalse(before.equalsWithEps(reference.params(), 1e-6), "training changed nothing");
        assertArrayEquals(expected, java.params().toFloatVector(), tolerance(expected), "parameters after 5 steps");
    }

    @Test
    void leavesOtherLayoutsToDl4j() {
        // NCHW is not handled: the helper must step aside so the layer computes it itself, correctly.
        MultiLayerNetwork reference = network(CNN2DFormat.NCHW, false);
        MultiLayerNetwork withHelper = network(CNN2DFormat.NCHW, true);
        withHelper.setParams(reference.params().dup());
        DataSet nhwc = batch(8, 3);
        DataSet data = new DataSet(nhwc.getFeatures().permute(0, 3, 1, 2).dup('c'), nhwc.getLabels());
        float[] expected = gradient(reference, data);
        assertArrayEquals(expected, gradient(withHelper, data), tolerance(expected));
    }

    private static float tolerance(float[] values) {
        double scale = 0;
        for (float v : values) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 1e-3, "values too small to compare");
        return (float) (1e-4 * scale);
    }

    private static float[] gradient(MultiLayerNetwork net, DataSet data) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        return net.gradient().gradient().dup().toFloatVector();
    }
}
