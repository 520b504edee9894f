package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The Java ReLU layer must give exactly DL4J's floats, and leave saved models DL4J's. */
class JavaReluLayerTest {
    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    private static MultiLayerNetwork dl4jOnly(ExperimentConfig config) {
        MultiLayerNetwork net = new MultiLayerNetwork(NetworkFactory.configuration(config));
        net.init();
        ChannelsLastBatchNorm.attachTo(net); // as build() does, so that only the ReLU layers differ
        return net;
    }

    private static long count(MultiLayerNetwork net, Class<?> type) {
        return Arrays.stream(net.getLayers()).filter(l -> l.getClass() == type).count();
    }

    private static float[] floats(INDArray array) {
        return array.dup('c').reshape(array.length()).toFloatVector();
    }

    @Test
    void replacesEveryReluLayerAndKeepsTheNetworkLookupsInStep() {
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4"));
        assertEquals(7, count(net, JavaReluLayer.class));
        assertEquals(0, count(net, ActivationLayer.class));
        for (Layer layer : net.getLayers()) {
            assertSame(layer, net.getLayer(layer.conf().getLayer().getLayerName()), "layer " + layer.getIndex());
            assertSame(layer, net.getLayer(layer.getIndex()));
        }
        assertTrue(Engine.slowLayers(net).isEmpty(), () -> "slow: " + Engine.slowLayers(net));
    }

    /** Layer level, on values that test the edges: zeros of both signs, tiny and huge values. */
    @Test
    void givesDl4jsFloatsForwardAndBackward() {
        ExperimentConfig config = Presets.get("code4");
        MultiLayerNetwork ours = NetworkFactory.build(config);
        MultiLayerNetwork theirs = dl4jOnly(config);
        int relu = 1; // conv, ReLU, BatchNorm, ...
        Layer java = ours.getLayer(relu);
        Layer dl4j = theirs.getLayer(relu);
        assertTrue(java instanceof JavaReluLayer);
        assertEquals(ActivationLayer.class, dl4j.getClass());

        Nd4j.getRandom().setSeed(3);
        long[] shape = {16, 26, 26, 8}; // longer than one chunk, not a multiple of it
        INDArray x = Nd4j.randn(DataType.FLOAT, shape);
        float[] edges = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00000)};
        for (int i = 0; i < edges.length; i++) {
            x.putScalar(i * 997L, edges[i]);
        }
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();

        int passes = ((JavaReluLayer) java).javaPasses();
        java.setInput(x.dup(), noWorkspaces);
        dl4j.setInput(x.dup(), noWorkspaces);
        INDArray ourOut = java.activate(true, noWorkspaces);
        INDArray theirOut = dl4j.activate(true, noWorkspaces);
        assertArrayEquals(floats(theirOut), floats(ourOut));
        INDArray ourDelta = java.backpropGradient(epsilon.dup(), noWorkspaces).getSecond();
        INDArray theirDelta = dl4j.backpropGradient(epsilon.dup(), noWorkspaces).getSecond();
        assertArrayEquals(floats(theirDelta), floats(ourDelta));
        assertArrayEquals(floats(x), floats(java.input()), "the input is left as it was");
        assertEquals(passes + 2, ((JavaReluLayer) java).javaPasses(), "both passes ran in Java, not DL4J's fallback");
        // Inference is DL4J's own path.
        assertArrayEquals(floats(dl4j.activate(false, noWorkspaces)), floats(java.activate(false, noWorkspaces)));
    }

    /** Whole network, real digits, dropout and all: the same parameters after training, to the last bit. */
    @Test
    void trainsToTheSameParametersAsDl4jsReluLayers() {
        var data = TestData.mnist();
        ExperimentConfig config = Presets.get("code4").withDropout(0.05); // with dropout: its masks must match too
        Nd4j.getRandom().setSeed(config.seed());
        MultiLayerNetwork ours = NetworkFactory.build(config);
        Nd4j.getRandom().setSeed(config.seed());
        MultiLayerNetwork theirs = dl4jOnly(config);
        assertArrayEquals(theirs.params().toFloatVector(), ours.params().toFloatVector());
        Augmenter augmenter = new Augmenter(config.rotation(), config.translate());
        for (int step = 0; step < 4; step++) {
            Batch batch = Batches.build(data.train(), null, step * 64, step * 64 + 64, augmenter,
                    new SplittableRandom(step));
            Nd4j.getRandom().setSeed(100 + step); // the same dropout masks in both
            ours.fit(batch.toDataSet());
            Nd4j.getRandom().setSeed(100 + step);
            theirs.fit(batch.toDataSet());
        }
        assertArrayEquals(theirs.params().toFloatVector(), ours.params().toFloatVector());
        assertEquals(theirs.score(), ours.score());
    }

    @Test
    void savedModelsStayPlainDl4j() throws Exception {
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4"));
        assertFalse(net.getLayerWiseConfigurations().toJson().contains("JavaRelu"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(7, count(loaded, ActivationLayer.class));
        assertEquals(net.params(), loaded.params());
    }
}
