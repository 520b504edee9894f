package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mnistdrill.model.Presets;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class WeightAverageTest {
    @Test
    void theAverageFollowsTheWeightsWithAWarmUpAndLeavesTheNetworkAlone() {
        Engine.configure();
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4"));
        float[] start = net.params().toFloatVector();
        WeightAverage average = new WeightAverage(net, 0.99);
        assertArrayEquals(start, average.averaged().params().toFloatVector(), "before any step: the weights");

        INDArray moved = net.params().add(1.0);
        net.setParams(moved);
        average.update(); // step 1: decay min(0.99, 2/11)
        double d1 = 2.0 / 11;
        float[] expected = new float[start.length];
        for (int i = 0; i < start.length; i++) {
            expected[i] = (float) (start[i] * d1 + (start[i] + 1) * (1 - d1));
        }
        MultiLayerNetwork taken = average.averaged();
        assertArrayEquals(expected, taken.params().toFloatVector(), 1e-5f);

        for (int i = 0; i < 2000; i++) {
            average.update(); // the weights stay put: the average closes in on them
        }
        assertArrayEquals(moved.toFloatVector(), average.averaged().params().toFloatVector(), 1e-5f);
        assertArrayEquals(moved.toFloatVector(), net.params().toFloatVector(), "the network is not changed");
        assertArrayEquals(expected, taken.params().toFloatVector(), 1e-5f, "nor a copy taken before");
    }

    @Test
    void aDecayOutsideZeroToOneIsRefused() {
        Engine.configure();
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code4"));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(net, 0));
        assertThrows(IllegalArgumentException.class, () -> new WeightAverage(net, 1));
    }
}
