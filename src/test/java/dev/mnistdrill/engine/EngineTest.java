package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.model.Presets;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/** The oneDNN fix must really attach helpers; without it DL4J silently trains ~6x slower. */
class EngineTest {
    private static long helpersNamed(MultiLayerNetwork net, String prefix) {
        return java.util.Arrays.stream(net.getLayers()).filter(l ->
                l.getHelper() != null && l.getHelper().getClass().getSimpleName().startsWith(prefix)).count();
    }

    @Test
    void oneDnnHelpersAreAttachedToConvBatchNormAndPoolingLayers() {
        var data = TestData.mnist();
        assertTrue(Engine.nativeBuild().contains("onednn"), Engine.nativeBuild());
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4"));
        Batch batch = Batches.build(data.train(), null, 0, 32, new dev.mnistdrill.data.Augmenter(0, 0),
                new SplittableRandom(1));
        net.fit(batch.toDataSet()); // helpers must also survive their first real use
        assertEquals(java.util.List.of(), Engine.slowLayers(net));
        assertEquals(7 + 1, helpersNamed(net, "MKLDNN"), "7 convolutions, 1 max-pool");
        assertEquals(7, helpersNamed(net, "ChannelsLastBatchNorm"), "7 BatchNorms");
        assertEquals(7, java.util.Arrays.stream(net.getLayers()).filter(l -> l instanceof JavaReluLayer).count(),
                "7 ReLUs");

        // DL4J on its own (as the factory builds it before swapping in the Java BatchNorm): oneDNN everywhere.
        MultiLayerNetwork plain = new MultiLayerNetwork(NetworkFactory.configuration(Presets.get("code4")));
        plain.init();
        plain.fit(batch.toDataSet());
        assertEquals(7 + 7 + 1, helpersNamed(plain, "MKLDNN"), "7 convolutions, 7 BatchNorms, 1 max-pool");
    }
}
