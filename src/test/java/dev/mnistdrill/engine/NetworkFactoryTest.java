package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The networks train in NHWC because oneDNN runs it faster here, but DL4J M2.1 computes wrong NHWC gradients for a
 * convolution with a fused activation. The factory keeps ReLU in its own layer; this checks the result against the
 * same network, same weights, in NCHW.
 */
class NetworkFactoryTest {
    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    @Test
    void nhwcGradientsMatchNchw() {
        for (String preset : new String[] {"code1", "code4"}) {
            // No dropout: it would draw different masks in the two layouts.
            ExperimentConfig config = Presets.get(preset).withDropout(0);
            MultiLayerNetwork nhwc = new MultiLayerNetwork(NetworkFactory.configuration(config));
            nhwc.init();
            MultiLayerNetwork nchw = new MultiLayerNetwork(NetworkFactory.configuration(config, CNN2DFormat.NCHW));
            nchw.init();
            assertEquals(nhwc.numParams(), nchw.numParams());
            nchw.setParams(nhwc.params().dup());

            Nd4j.getRandom().setSeed(42);
            INDArray imagesNhwc = Nd4j.rand(DataType.FLOAT, 16, 28, 28, 1);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 16, 10);
            for (int i = 0; i < 16; i++) {
                labels.putScalar(i, i % 10, 1f);
            }
            INDArray imagesNchw = imagesNhwc.permute(0, 3, 1, 2).dup('c');

            float[] expected = gradient(nchw, imagesNchw, labels);
            float[] actual = gradient(nhwc, imagesNhwc, labels);
            double scale = 0;
            for (float g : expected) {
                scale = Math.max(scale, Math.abs(g));
            }
            assertTrue(scale > 1e-3, preset + ": gradients too small to compare");
            assertArrayEquals(expected, actual, (float) (1e-4 * scale), preset + ": NHWC gradients differ from NCHW");
            assertArrayEquals(nchw.output(imagesNchw, false).ravel().toFloatVector(),
                    nhwc.output(imagesNhwc, false).ravel().toFloatVector(), 1e-5f, preset + ": outputs differ");
        }
    }

    private static float[] gradient(MultiLayerNetwork net, INDArray images, INDArray labels) {
        net.setInput(images);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup().toFloatVector();
    }

    /**
     * The factory keeps each convolution's output for its backward pass (CacheMode.DEVICE) instead of DL4J computing
     * it again: that must train to exactly the same parameters, over steps, dropout included.
     */
    @Test
    void cachedConvolutionOutputsTrainExactlyAsRecomputedOnes() {
        ExperimentConfig config = Presets.get("code4");
        MultiLayerNetwork cached = NetworkFactory.build(config);
        MultiLayerNetwork recomputed = new MultiLayerNetwork(NetworkFactory.configuration(config).clone());
        recomputed.getLayerWiseConfigurations().setCacheMode(org.deeplearning4j.nn.conf.CacheMode.NONE);
        recomputed.init();
        recomputed.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.NONE);
        ChannelsLastBatchNorm.attachTo(recomputed);
        JavaReluLayer.attachTo(recomputed);
        recomputed.setParams(cached.params().dup());
        assertEquals(org.deeplearning4j.nn.conf.CacheMode.DEVICE, cached.getLayerWiseConfigurations().getCacheMode());
        for (int step = 0; step < 3; step++) {
            Nd4j.getRandom().setSeed(7 + step);
            INDArray images = Nd4j.rand(DataType.FLOAT, 32, 28, 28, 1);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 10);
            for (int i = 0; i < 32; i++) {
                labels.putScalar(i, (i + step) % 10, 1f);
            }
            Nd4j.getRandom().setSeed(100 + step); // the same dropout masks in both
            cached.fit(new org.nd4j.linalg.dataset.DataSet(images, labels));
            Nd4j.getRandom().setSeed(100 + step);
            recomputed.fit(new org.nd4j.linalg.dataset.DataSet(images, labels));
        }
        assertArrayEquals(recomputed.params().toFloatVector(), cached.params().toFloatVector());
    }

    @Test
    void parameterCountsAgreeWithTheArchitectureSummary() {
        for (String name : Presets.names()) {
            ExperimentConfig c = Presets.get(name);
            MultiLayerNetwork net = NetworkFactory.build(c);
            Architecture.Summary s = c.summary();
            assertEquals(net.numParams(), s.dl4jNumParams(), name);
            long bnTrainable = s.rows().stream().filter(r -> r.name().startsWith("BatchNorm"))
                    .mapToLong(Architecture.LayerRow::trainable).sum();
            assertEquals(bnTrainable, s.nonTrainable(), name + ": one running mean and variance per gamma and beta");
        }
    }
    /**
     * Weight decay is PyTorch's SGD weight_decay: decay x weight joins the gradient before the momentum, so on a first
     * Nesterov step (momentum 0.9) it moves each convolution and output weight by an extra -(1 + 0.9) x lr x decay x
     * weight, and leaves BatchNorm's gamma and beta (and running statistics) alone.
     */
    @Test
    void weightDecayJoinsTheGradientOfWeightsOnly() {
        double decay = 0.01;
        ExperimentConfig plain = Presets.get("code4").withWeightDecay(0); // code4 itself trains with weight decay
        MultiLayerNetwork without = NetworkFactory.build(plain);
        MultiLayerNetwork with = NetworkFactory.build(plain.withWeightDecay(decay));
        assertArrayEquals(without.params().toFloatVector(), with.params().toFloatVector(), "same seed, same start");
        java.util.Map<String, INDArray> start = new java.util.HashMap<>();
        with.paramTable().forEach((k, v) -> start.put(k, v.dup()));
        Nd4j.getRandom().setSeed(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, 32, 28, 28, 1);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 10);
        for (int i = 0; i < 32; i++) {
            labels.putScalar(i, i % 10, 1f);
        }
        without.fit(new org.nd4j.linalg.dataset.DataSet(images, labels));
        with.fit(new org.nd4j.linalg.dataset.DataSet(images, labels));
        int weights = 0;
        for (String key : start.keySet()) {
            float[] difference = with.getParam(key).sub(without.getParam(key)).ravel().toFloatVector();
            float[] expected = new float[difference.length];
            if (key.endsWith("_W")) {
                expected = start.get(key).mul(-(1 + 0.9) * plain.learningRate() * decay).ravel().toFloatVector();
                weights++;
            }
            assertArrayEquals(expected, difference, 1e-6f, key);
        }
        assertEquals(plain.summary().rows().stream().filter(r -> !r.name().startsWith("BatchNorm")
                && r.trainable() > 0).count(), weights, "every convolution and the output layer");
    }
}
