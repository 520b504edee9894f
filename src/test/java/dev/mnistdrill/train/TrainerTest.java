package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.LrSchedule;
import dev.mnistdrill.model.Presets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    /** Training on 6,000 digits for 2 epochs must learn: over 90% on the 10,000 held-out test digits. */
    @Test
    void shortRealTrainingLearnsAndIsRecorded(@TempDir Path runs) {
        MnistData data = TestData.mnist();
        ExperimentConfig config = Presets.get("code4").withSubset(6000).withEpochs(2);
        Path folder = new RunStore(runs).create(config);
        Recorded recorded = Recorded.train(config, data, folder);
        TrainingResult result = recorded.result;
        List<BatchMetrics> batches = recorded.batches;
        List<Predictor> snapshots = recorded.snapshots;
        assertEquals(TrainingStatus.COMPLETED, result.status(), result.error());
        assertEquals(2, result.epochs().size());
        EpochMetrics last = result.epochs().get(1);
        assertTrue(last.testAccuracy() > 0.90, "test accuracy " + last.testAccuracy());
        assertTrue(last.trainAccuracy() > 0.5 && last.trainAccuracy() <= 1, "train accuracy " + last.trainAccuracy());
        assertTrue(Double.isFinite(last.trainLoss()) && last.testLoss() < 0.5, "losses " + last);
        assertEquals(2 * 47, batches.size(), "6000/128 = 47 batches per epoch");
        assertTrue(batches.get(batches.size() - 1).loss() < batches.get(0).loss());
        assertTrue(batches.get(10).imagesPerSecond() > 0);

        // The snapshot predicts on its own, agreeing with the evaluation it was scored by.
        Evaluation eval = Evaluation.of(snapshots.get(1), Trainer.testBatches(data.test().head(2000)), () -> false);
        assertTrue(eval.accuracy() > 0.9, "snapshot accuracy " + eval.accuracy());
        double[] p = snapshots.get(1).probabilities(data.test().image(0));
        assertEquals(1.0, java.util.Arrays.stream(p).sum(), 1e-4);

        RunRecord record = RunStore.read(folder);
        assertEquals(2, record.epochs().size());
        assertEquals(TrainingStatus.COMPLETED, record.summary().status());
        assertEquals(last.testAccuracy(), record.summary().lastTestAccuracy(), 1e-9);
        assertEquals(7_552, record.summary().trainableParams(), "code4: Presets.DEEPER_ARCHITECTURE");
        assertTrue(record.hasModel());
        Predictor reloaded = new Predictor(RunStore.loadModel(folder.resolve(RunStore.MODEL_FILE)), 0);
        double[] q = reloaded.probabilities(data.test().image(0));
        assertEquals(p[7], q[7], 1e-5, "the saved model is the last epoch's");
    }

    @Test
    void cancelStopsWithinABatchAndKeepsCompletedEpochs() throws Exception {
        MnistData data = TestData.mnist();
        Trainer trainer = new Trainer(Presets.get("code2").withSubset(2000).withEpochs(5), data, null);
        CountDownLatch secondEpochStarted = new CountDownLatch(1);
        List<Integer> batchesAfterCancel = new ArrayList<>();
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() -> trainer.run(new TrainingListener() {
            @Override
            public void onBatch(BatchMetrics m) {
                if (trainer.isCancelled()) {
                    batchesAfterCancel.add(m.batch());
                }
                if (m.epoch() == 2 && m.batch() == 2) {
                    trainer.cancel(); // from the training thread: deterministic point of cancellation
                    secondEpochStarted.countDown();
                }
            }
        }));
        // generous bounds: they only guard against a hang on a loaded machine, they time nothing
        assertTrue(secondEpochStarted.await(5, TimeUnit.MINUTES));
        TrainingResult result = run.get(5, TimeUnit.MINUTES);
        assertEquals(TrainingStatus.CANCELLED, result.status());
        assertEquals(1, result.epochs().size(), "epoch 1 completed and is kept, epoch 2 is not evaluated");
        assertEquals(List.of(), batchesAfterCancel, "no batch is trained after cancel");
    }

    @Test
    void pauseHoldsTrainingUntilResumed() throws Exception {
        MnistData data = TestData.mnist();
        Trainer trainer = new Trainer(Presets.get("code2").withSubset(1000).withEpochs(1), data, null);
        List<Integer> batchesSeen = new ArrayList<>();
        CountDownLatch firstBatch = new CountDownLatch(1);
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() -> trainer.run(new TrainingListener() {
            @Override
            public void onBatch(BatchMetrics m) {
                synchronized (batchesSeen) {
                    batchesSeen.add(m.batch());
                }
                if (m.batch() == 1) {
                    trainer.pause();
                    firstBatch.countDown();
                }
            }
        }));
        assertTrue(firstBatch.await(5, TimeUnit.MINUTES));
        Thread.sleep(700);
        synchronized (batchesSeen) {
            assertEquals(List.of(1), batchesSeen, "no batch runs while paused");
        }
        assertTrue(trainer.isPaused());
        trainer.resume();
        TrainingResult result = run.get(5, TimeUnit.MINUTES);
        assertEquals(TrainingStatus.COMPLETED, result.status());
        assertEquals(8, batchesSeen.size());
    }

    @Test
    void sameSeedSameRun() {
        MnistData data = TestData.mnist();
        ExperimentConfig config = Presets.get("code3").withSubset(600).withEpochs(1);
        List<Double> first = losses(new Trainer(config, data, null));
        List<Double> second = losses(new Trainer(config, data, null));
        assertEquals(first, second);
        assertNotNull(first.get(0));
    }

    /** A training recorded into its run folder, with every batch's metrics and every epoch's snapshot. */
    private static final class Recorded implements TrainingListener {
        final List<BatchMetrics> batches = new ArrayList<>();
        final List<Predictor> snapshots = new ArrayList<>();
        TrainingResult result;
        Trainer trainer;

        static Recorded train(ExperimentConfig config, MnistData data, Path folder) {
            Recorded r = new Recorded();
            r.trainer = new Trainer(config, data, folder);
            r.result = r.trainer.run(TrainingListener.all(new RunRecorder(folder, config), r));
            return r;
        }

        @Override
        public void onBatch(BatchMetrics m) {
            batches.add(m);
        }

        @Override
        public void onEpoch(EpochMetrics m, Predictor snapshot) {
            snapshots.add(snapshot);
        }
    }

    private static List<Double> losses(Trainer trainer) {
        List<Double> losses = new ArrayList<>();
        trainer.run(new TrainingListener() {
            @Override
            public void onBatch(BatchMetrics m) {
                losses.add(m.loss());
            }
        });
        return losses;
    }

    /**
     * With weight averaging on, the run tests and saves the average, not the last weights: the same seed trains the
     * same steps (the average does not feed back), and the saved model is the averaged network that was scored.
     */
    @Test
    void weightAveragingTestsAndSavesTheAverage(@TempDir Path runs) {
        MnistData data = TestData.mnist();
        ExperimentConfig plain = Presets.get("code4").withSubset(1000).withEpochs(2);
        ExperimentConfig averaged = plain.withEma(0.99);
        List<Double> plainLosses = losses(new Trainer(plain, data, null));
        Path folder = new RunStore(runs).create(averaged);
        Recorded recorded = Recorded.train(averaged, data, folder);
        TrainingResult result = recorded.result;
        List<Double> averagedLosses = recorded.batches.stream().map(BatchMetrics::loss).toList();
        List<Predictor> snapshots = recorded.snapshots;
        assertEquals(TrainingStatus.COMPLETED, result.status(), result.error());
        assertEquals(plainLosses, averagedLosses, "averaging only watches the training");
        Predictor last = snapshots.get(1);
        assertNotEquals(recorded.trainer.network().params(), last.network().params(),
                "the snapshot holds the average, not the weights that trained");
        Evaluation eval = Evaluation.of(last, Trainer.testBatches(data.test()), () -> false);
        assertEquals(result.epochs().get(1).testAccuracy(), eval.accuracy(), 1e-12, "the average was scored");
        Predictor reloaded = new Predictor(RunStore.loadModel(folder.resolve(RunStore.MODEL_FILE)), 0);
        assertEquals(eval.accuracy(), Evaluation.of(reloaded, Trainer.testBatches(data.test()), () -> false)
                .accuracy(), 1e-12, "and saved");
        assertEquals(0.99, RunStore.read(folder).config().ema());
    }

    /** Weight decay changes the steps but not what the loss means: the first batch's loss is the data's, not + L2. */
    @Test
    void weightDecayTrainsOtherwiseAndReportsTheDataLoss() {
        MnistData data = TestData.mnist();
        ExperimentConfig plain = Presets.get("code4").withSubset(600).withEpochs(1);
        List<Double> plainLosses = losses(new Trainer(plain, data, null));
        List<Double> decayedLosses = losses(new Trainer(plain.withWeightDecay(0.01), data, null));
        assertEquals(plainLosses.get(0), decayedLosses.get(0), 1e-6, "same weights, same data: same loss");
        assertNotEquals(plainLosses.get(1), decayedLosses.get(1), "but the first step differed");
    }

    /** One cycle moves the rate every step: each epoch records its first step's, and the last step ran at the last. */
    @Test
    void oneCycleSetsTheRateEveryStep(@TempDir Path runs) {
        MnistData data = TestData.mnist();
        ExperimentConfig cycled = Presets.get("code4").withSubset(640).withEpochs(3)
                .withLrSchedule(LrSchedule.ONE_CYCLE).withLearningRate(0.1);
        Recorded recorded = Recorded.train(cycled, data, new RunStore(runs).create(cycled));
        assertEquals(TrainingStatus.COMPLETED, recorded.result.status(), recorded.result.error());
        assertEquals(List.of(cycled.learningRateAtStep(0), cycled.learningRateAtStep(5), cycled.learningRateAtStep(10)),
                recorded.result.epochs().stream().map(EpochMetrics::learningRate).toList());
        var updater = ((org.deeplearning4j.nn.conf.layers.BaseLayer) recorded.trainer.network().getLayer(0).conf()
                .getLayer()).getIUpdater();
        assertEquals(cycled.learningRateAtStep(14), updater.getLearningRate(0, 0), 1e-18);
        assertEquals(0.1 / 25 / 1e4, cycled.learningRateAtStep(14), 1e-18);
    }

    @Test
    void invalidConfigIsRefusedBeforeTraining() {
        ExperimentConfig bad = Presets.get("code1").withDropout(0.9);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new Trainer(bad, TestData.mnist(), null));
        assertTrue(e.getMessage().contains("Dropout rate"));
    }
}
