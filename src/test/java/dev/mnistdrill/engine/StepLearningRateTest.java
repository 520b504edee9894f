package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Optimizer;
import dev.mnistdrill.model.Presets;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;

class StepLearningRateTest {
    private static final double[] RATES = {0.002, 0.02, 0.05, 0.03, 0.001};

    /** The weights after one step per rate in {@link #RATES}, each rate set by {@code setRate} before its step. */
    private static INDArray train(ExperimentConfig config, BiConsumer<MultiLayerNetwork, Double> setRate) {
        MultiLayerNetwork net = NetworkFactory.build(config);
        SplittableRandom random = new SplittableRandom(3);
        for (double rate : RATES) {
            Batch batch = Batches.build(TestData.mnist().train(), null, 0, 32, new Augmenter(0, 0), random);
            setRate.accept(net, rate);
            net.fit(batch.toDataSet());
        }
        return net.params().dup();
    }

    @ParameterizedTest
    @EnumSource(Optimizer.class)
    void setsTheRateAsDl4jDoesWithoutRebuildingTheUpdater(Optimizer optimizer) {
        ExperimentConfig config = Presets.get("code4").withOptimizer(optimizer).withLearningRate(0.05);
        INDArray dl4j = train(config, MultiLayerNetwork::setLearningRate);
        INDArray inPlace = train(config, StepLearningRate::set);
        INDArray unchanged = train(config, (net, rate) -> { });

        assertEquals(dl4j, inPlace, "the same floats as DL4J's setLearningRate");
        assertNotEquals(unchanged, inPlace, "the rates set must have acted");
    }
}
