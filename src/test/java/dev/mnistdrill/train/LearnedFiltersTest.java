package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.Presets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The filters shown are the network's weights, in DL4J's [out, in, kH, kW] order. */
class LearnedFiltersTest {
    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    @Test
    void firstKernelsAndTransitionMixingAreTheWeights() {
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4")); // c8 c12 p t8 c12 c12 c16 c16 gap
        LearnedFilters filters = LearnedFilters.of(net);
        INDArray first = net.getLayer(0).getParam("W");
        assertEquals(1, filters.first().block());
        assertEquals(8, filters.first().count());
        assertEquals(3, filters.first().side());
        for (int o = 0; o < 8; o++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 3; x++) {
                    assertEquals(first.getFloat(o, 0, y, x), filters.first().weights()[o][y * 3 + x]);
                }
            }
        }
        assertEquals(1, filters.transitions().size());
        LearnedFilters.Mixing t8 = filters.transitions().get(0);
        assertEquals(3, t8.block(), "t8 is the third convolution");
        assertEquals(8, t8.outChannels());
        assertEquals(12, t8.inChannels());
        INDArray w = java.util.Arrays.stream(net.getLayers())
                .filter(l -> l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c
                        && c.getKernelSize()[0] == 1).findFirst().orElseThrow().getParam("W");
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(w.getFloat(o, i, 0, 0), t8.weights()[o][i]);
            }
        }
        assertTrue(filters.first().maxAbs() > 0 && t8.maxAbs() > 0);
    }

    @Test
    void anArchitectureWithoutTransitionHasNoMixingAndTwoTransitionsHaveTwo() {
        var none = LearnedFilters.of(NetworkFactory.build(Presets.get("code1").withArchitecture("c8 c12 p c16 gap")));
        assertEquals(0, none.transitions().size());
        var two = LearnedFilters.of(NetworkFactory.build(Presets.get("code2")
                .withArchitecture("c6 c8 p t4 c8 p t6 c10 gap")));
        assertEquals(java.util.List.of(3, 5), two.transitions().stream().map(LearnedFilters.Mixing::block).toList());
        assertEquals(6, two.first().count());
    }
}
