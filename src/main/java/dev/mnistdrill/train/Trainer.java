package dev.mnistdrill.train;

import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.EpochBatches;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistSplit;
import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.engine.StepLearningRate;
import dev.mnistdrill.engine.WeightAverage;
import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one experiment. {@link #run} blocks and belongs on a worker thread; {@link #cancel}, {@link #pause} and
 * {@link #resume} may be called from any thread and take effect between batches (~50 ms). Each epoch ends with the
 * evaluation of a snapshot and its {@link LayerStat}s, which only read the network ({@link LayerStatsProbe}).
 */
public final class Trainer {
    private static final int EVAL_BATCH = 1000;

    private final ExperimentConfig config;
    private final MnistData data;
    private final Path runFolder;
    private final Object pauseLock = new Object();
    private volatile boolean cancelled;
    private volatile boolean paused;
    private volatile MultiLayerNetwork network;
    private boolean collectLayerStats = true;
    private volatile LayerStatsProbe layerStats;

    /**
     * @param runFolder where the run is being stored, only to be reported to listeners (may be null)
     */
    public Trainer(ExperimentConfig config, MnistData data, Path runFolder) {
        this.config = config.validated();
        this.data = data.withTrainSubset(config.subset());
        this.runFolder = runFolder;
    }

    public ExperimentConfig config() {
        return config;
    }

    public void cancel() {
        cancelled = true;
        resume();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    public boolean isPaused() {
        return paused;
    }

    /** Whether to compute {@link LayerStat}s (on by default; tests turn it off to compare). Before {@link #run}. */
    void collectLayerStats(boolean collect) {
        collectLayerStats = collect;
    }

    /** Seconds spent computing layer statistics so far (0 when off): their cost, next to the epochs' time. */
    public double layerStatsSeconds() {
        LayerStatsProbe probe = layerStats;
        return probe == null ? 0 : probe.seconds();
    }

    /** The network being trained, once {@link #run} has built it. Never predict with it: use a snapshot. */
    public MultiLayerNetwork network() {
        return network;
    }

    public TrainingResult run(TrainingListener listener) {
        long started = System.nanoTime();
        List<EpochMetrics> epochs = new ArrayList<>();
        try {
            Engine.configure();
            Nd4j.getRandom().setSeed(config.seed());
            MultiLayerNetwork net = NetworkFactory.build(config);
            network = net;
            TrainAccuracyProbe probe = new TrainAccuracyProbe(net);
            net.setListeners(probe);
            Architecture.Summary summary = config.summary();
            MnistSplit train = data.train();
            int batchesPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
            listener.onStart(new TrainingStart(config, summary.trainable(), net.numParams(), train.size(),
                    data.test().size(), batchesPerEpoch, Engine.nativeBuild(), runFolder));
            List<Batch> testBatches = testBatches(data.test());
            LayerStatsProbe stats = collectLayerStats
                    ? new LayerStatsProbe(net, config.parsedArchitecture(), data.test()) : null;
            layerStats = stats;
            Augmenter augmenter = new Augmenter(config.rotation(), config.translate());
            WeightAverage average = config.averagesWeights() ? new WeightAverage(net, config.ema()) : null;
            long iteration = 0;
            // Smoothed over the run, not restarted each epoch: an epoch's first batch also waits for the epoch's
            // shuffle and first augmented batch, and from it alone the speed read ~70 img/s and the ETA minutes long
            double smoothedRate = 0;
            // one cycle sets the rate before every step (StepLearningRate); the step schedule once an epoch, as before
            boolean everyStep = config.changesRateEveryStep();
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                double lr = everyStep ? config.learningRateAtStep(iteration, batchesPerEpoch)
                        : config.learningRateAt(epoch);
                if (!everyStep) {
                    net.setLearningRate(lr);
                }
                long epochStart = System.nanoTime();
                double lossSum = 0;
                int seen = 0;
                long lastBatchEnd = epochStart;
                probe.reset();
                if (stats != null) {
                    stats.startEpoch();
                }
                try (EpochBatches batches = new EpochBatches(train, config.batchSize(), augmenter, config.seed(), epoch)) {
                    while (batches.hasNext()) {
                        if (waitWhilePaused()) {
                            break;
                        }
                        Batch batch = batches.next();
                        if (everyStep) {
                            StepLearningRate.set(net, config.learningRateAtStep(iteration, batchesPerEpoch));
                        }
                        probe.expect(batch.digits());
                        // DL4J's score adds the L2 term of the weights it was computed with: taken off below, so
                        // that the loss shown is the data's, as PyTorch reports it
                        double l2Term = config.weightDecay() > 0 ? net.calcRegularizationScore(true) : 0;
                        net.fit(batch.toDataSet());
                        if (average != null) {
                            average.update();
                        }
                        if (stats != null) {
                            stats.afterStep();
                        }
                        double loss = net.score() - l2Term;
                        lossSum += loss * batch.size();
                        seen += batch.size();
                        iteration++;
                        long now = System.nanoTime();
                        double rate = batch.size() / ((now - lastBatchEnd) / 1e9);
                        if (batches.delivered() > 1) { // 0 (unknown) until the run's second batch
                            smoothedRate = smoothedRate == 0 ? rate : 0.9 * smoothedRate + 0.1 * rate;
                        }
                        lastBatchEnd = now;
                        listener.onBatch(new BatchMetrics(epoch, batches.delivered(), batchesPerEpoch, iteration, loss,
                                probe.accuracy(), smoothedRate, (now - epochStart) / 1e9));
                        batch.release();
                    }
                }
                if (cancelled) {
                    break;
                }
                double trainSeconds = (System.nanoTime() - epochStart) / 1e9;
                // With weight averaging on, the average is what is tested, saved and drawn with
                Predictor snapshot = average == null ? Predictor.snapshotOf(net, epoch)
                        : new Predictor(average.averaged(), epoch);
                Evaluation eval = Evaluation.of(snapshot, testBatches, () -> cancelled);
                if (eval == null) {
                    break;
                }
                if (stats != null) {
                    // activations of the network tested (the average, when averaging); update ratios of the trained one
                    listener.onLayerStats(stats.finishEpoch(epoch, snapshot.network()));
                }
                EpochMetrics metrics = new EpochMetrics(epoch, probe.accuracy(), lossSum / seen, eval.accuracy(),
                        eval.loss(), lr, (System.nanoTime() - epochStart) / 1e9, seen / trainSeconds);
                epochs.add(metrics);
                listener.onEpoch(metrics, snapshot);
            }
            // every planned epoch done is a complete run, even when a stop arrived after the last one was saved
            TrainingStatus status = epochs.size() == config.epochs() || !cancelled ? TrainingStatus.COMPLETED
                    : TrainingStatus.CANCELLED;
            TrainingResult result = new TrainingResult(status, List.copyOf(epochs), (System.nanoTime() - started) / 1e9,
                    null);
            listener.onFinish(result);
            return result;
        } catch (RuntimeException | OutOfMemoryError e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            TrainingResult result = new TrainingResult(TrainingStatus.FAILED, List.copyOf(epochs),
                    (System.nanoTime() - started) / 1e9, message);
            listener.onFinish(result);
            return result;
        }
    }

    /** Blocks while paused; returns true when the run was cancelled meanwhile. */
    private boolean waitWhilePaused() {
        synchronized (pauseLock) {
            while (paused && !cancelled) {
                try {
                    pauseLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelled = true;
                }
            }
        }
        return cancelled;
    }

    /** The test set as prepared batches, built once and reused by every epoch's evaluation. */
    public static List<Batch> testBatches(MnistSplit test) {
        List<Batch> batches = new ArrayList<>();
        Augmenter none = new Augmenter(0, 0);
        for (int from = 0; from < test.size(); from += EVAL_BATCH) {
            batches.add(Batches.build(test, null, from, Math.min(test.size(), from + EVAL_BATCH), none,
                    new SplittableRandom(0)));
        }
        return batches;
    }

    /**
     * Counts training-mode hits without a second forward pass: DL4J hands listeners the activations of every layer
     * but the output layer, so the probe applies the output layer's weights to the pooled features itself.
     */
    private static final class TrainAccuracyProbe extends BaseTrainingListener {
        private final MultiLayerNetwork net;
        private int[] expected;
        private long correct;
        private long seen;

        TrainAccuracyProbe(MultiLayerNetwork net) {
            this.net = net;
        }

        void reset() {
            correct = 0;
            seen = 0;
        }

        void expect(int[] digits) {
            expected = digits;
        }

        double accuracy() {
            return seen == 0 ? 0 : (double) correct / seen;
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            INDArray pooled = activations.get(activations.size() - 1);
            INDArray weights = net.getOutputLayer().getParam("W");
            INDArray logits = pooled.mmul(weights);
            INDArray bias = net.getOutputLayer().getParam("b");
            if (bias != null) {
                logits.addiRowVector(bias);
            }
            int[] predicted = logits.argMax(1).toIntVector();
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == expected[i] ? 1 : 0;
            }
            seen += predicted.length;
        }
    }
}
