package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Layer statistics: stored and read back as written, computed without changing training, and what they say. */
class LayerStatsTest {
    @Test
    void storedStatisticsReadBackAsWritten(@TempDir Path root) throws Exception {
        RunStore store = new RunStore(root);
        Path folder = store.create(Presets.get("code2"));
        List<LayerStat> epoch1 = List.of(new LayerStat(1, 1, "c8", 0.0123456789012345, 1.5, -2.87654321),
                new LayerStat(1, 2, "c16", -0.25, 0.333333333333333, Double.NaN));
        List<LayerStat> epoch2 = List.of(new LayerStat(2, 1, "c8", 1e-9, 12345.678, -3.0),
                new LayerStat(2, 2, "c16", -7.5e-5, 0.5, -2.5));
        RunStore.appendLayerStats(folder, epoch1);
        RunStore.appendLayerStats(folder, epoch2);
        List<LayerStat> all = new ArrayList<>(epoch1);
        all.addAll(epoch2);
        assertEquals(all, RunStore.readLayerStats(folder), "every value back exactly, NaN included");
        assertTrue(Files.readString(folder.resolve(RunStore.LAYER_STATS_FILE)).startsWith(LayerStat.CSV_HEADER + "\n"),
                "one header, first");

        // a row cut short by a crash: the complete rows before it count
        Files.writeString(folder.resolve(RunStore.LAYER_STATS_FILE), "3,1,c8,0.1", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(all, RunStore.readLayerStats(folder));
    }

    @Test
    void aRunFromBeforeLayerStatisticsStillLoads(@TempDir Path root) {
        RunStore store = new RunStore(root);
        Path old = store.create(Presets.get("code1"));
        RunStore.appendMetrics(old, new EpochMetrics(1, 0.9, 0.3, 0.95, 0.2, 0.01, 20, 3000));
        assertTrue(Files.notExists(old.resolve(RunStore.LAYER_STATS_FILE)));
        RunRecord record = RunStore.read(old);
        assertEquals(1, record.epochs().size());
        assertEquals(List.of(), RunStore.readLayerStats(old));
        assertEquals(1, store.list(problem -> { throw new AssertionError(problem); }).size());
    }

    /**
     * The statistics only read: a run computing them trains the very same parameters, bit for bit, as one that
     * does not (code2: dropout draws random numbers, BatchNorm keeps running statistics), and the run folder gets a
     * row per convolution and epoch.
     */
    @Test
    void collectingStatisticsLeavesTrainingBitForBitTheSame(@TempDir Path root) {
        MnistData data = TestData.mnist();
        ExperimentConfig config = Presets.get("code2").withSubset(1000).withEpochs(2);
        Path folder = new RunStore(root).create(config);
        List<List<LayerStat>> reported = new ArrayList<>();
        Trainer with = new Trainer(config, data, folder);
        List<Double> lossesWith = losses(with, TrainingListener.all(new RunRecorder(folder, config),
                new TrainingListener() {
                    @Override
                    public void onLayerStats(List<LayerStat> stats) {
                        reported.add(stats);
                    }
                }));
        Trainer without = new Trainer(config, data, null);
        without.collectLayerStats(false);
        List<Double> lossesWithout = losses(without, new TrainingListener() {
        });
        assertEquals(lossesWithout, lossesWith);
        assertArrayEquals(without.network().params().toFloatVector(), with.network().params().toFloatVector(),
                "the same parameters, bit for bit");
        assertEquals(0, without.layerStatsSeconds());
        assertTrue(with.layerStatsSeconds() > 0);

        assertEquals(2, reported.size());
        List<LayerStat> stored = RunStore.readLayerStats(folder);
        assertEquals(2 * 6, stored.size(), "six convolutions in code2, two epochs");
        assertEquals(reported.get(0), stored.subList(0, 6));
        assertEquals(List.of("c8", "c16", "t8", "c12", "c16", "c16"), stored.subList(0, 6).stream()
                .map(LayerStat::layer).toList());
        for (LayerStat s : stored) {
            assertTrue(Double.isFinite(s.preActivationMean()) && s.preActivationStd() > 0, s.toString());
            // SGD at 0.01 with momentum: each step moves the weights by well under 10% and more than 0.001%
            assertTrue(s.updateRatioLog10() > -5 && s.updateRatioLog10() < -1, s.toString());
        }
    }

    /** The update ratio is mean |W after - W before| / mean |W after| of the convolution's own weights. */
    @Test
    void updateRatioIsThatOfEachConvolutionsWeights() {
        MnistData data = TestData.mnist();
        ExperimentConfig config = Presets.get("code1").withLearningRate(0.05);
        MultiLayerNetwork net = NetworkFactory.build(config);
        LayerStatsProbe probe = new LayerStatsProbe(net, config.parsedArchitecture(), data.test());
        probe.startEpoch();
        List<INDArray> before = weights(net);
        Batch batch = Batches.build(data.train(), null, 0, 64, new Augmenter(0, 0), new SplittableRandom(1));
        net.fit(batch.toDataSet());
        probe.afterStep();
        List<INDArray> after = weights(net);
        MultiLayerNetwork snapshot = net.clone();
        List<LayerStat> stats = probe.finishEpoch(1, snapshot);
        assertEquals(before.size(), stats.size());
        List<INDArray> activations = snapshot.feedForward(Batches.build(data.test(), null, 0,
                LayerStatsProbe.PROBE_DIGITS, new Augmenter(0, 0), new SplittableRandom(0)).features(), false);
        int k = 0;
        for (int i = 0; i < net.getLayers().length; i++) {
            if (!(net.getLayer(i).conf().getLayer() instanceof ConvolutionLayer)) {
                continue;
            }
            double update = after.get(k).sub(before.get(k)).norm1Number().doubleValue();
            double weight = after.get(k).norm1Number().doubleValue();
            LayerStat s = stats.get(k);
            assertEquals(Math.log10(update / weight), s.updateRatioLog10(), 1e-4, "convolution " + (k + 1));
            assertEquals(activations.get(i + 1).meanNumber().doubleValue(), s.preActivationMean(), 1e-6);
            assertEquals(activations.get(i + 1).stdNumber().doubleValue(), s.preActivationStd(), 1e-6);
            k++;
        }
    }

    private static List<INDArray> weights(MultiLayerNetwork net) {
        List<INDArray> weights = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer) {
                weights.add(layer.getParam("W").dup());
            }
        }
        return weights;
    }

    private static List<Double> losses(Trainer trainer, TrainingListener listener) {
        List<Double> losses = new ArrayList<>();
        TrainingResult result = trainer.run(TrainingListener.all(listener, new TrainingListener() {
            @Override
            public void onBatch(BatchMetrics m) {
                losses.add(m.loss());
            }
        }));
        assertEquals(TrainingStatus.COMPLETED, result.status(), result.error());
        return losses;
    }
}
