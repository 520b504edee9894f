package dev.mnistdrill.train;

import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.EpochBatches;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.ExperimentConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;

/** Measures training and inference throughput the way the trainer trains: real data, augmentation, prefetch. */
public final class Benchmark {
    private Benchmark() {
    }

    public record Result(ExperimentConfig config, double trainImagesPerSecond, double inferenceImagesPerSecond,
                         int timedBatches, long peakRssBytes, List<String> slowLayers, String nativeBuild,
                         int threads) {
    }

    public static Result run(ExperimentConfig config, MnistData data, int warmupBatches, int timedBatches) {
        Engine.configure();
        Nd4j.getRandom().setSeed(config.seed());
        MultiLayerNetwork net = NetworkFactory.build(config);
        Augmenter augmenter = new Augmenter(config.rotation(), config.translate());
        int done = 0;
        int images = 0;
        long start = 0;
        int epoch = 1;
        while (done < warmupBatches + timedBatches) {
            try (EpochBatches batches = new EpochBatches(data.train(), config.batchSize(), augmenter, config.seed(), epoch++)) {
                while (batches.hasNext() && done < warmupBatches + timedBatches) {
                    if (done == warmupBatches) {
                        start = System.nanoTime();
                    }
                    Batch batch = batches.next();
                    net.fit(batch.toDataSet());
                    net.score();
                    if (done >= warmupBatches) {
                        images += batch.size();
                    }
                    batch.release();
                    done++;
                }
            }
        }
        double train = images / ((System.nanoTime() - start) / 1e9);
        // Inference as the trainer evaluates: on a snapshot, a copy DL4J builds with its own (oneDNN) layer helpers.
        Predictor predictor = Predictor.snapshotOf(net, 0);
        List<Batch> test = Trainer.testBatches(data.test());
        Evaluation.of(predictor, test, () -> false); // warm-up
        long inferenceStart = System.nanoTime();
        Evaluation.of(predictor, test, () -> false);
        double inference = data.test().size() / ((System.nanoTime() - inferenceStart) / 1e9);
        return new Result(config, train, inference, timedBatches, peakRss(), Engine.slowLayers(net),
                Engine.nativeBuild(), Runtime.getRuntime().availableProcessors());
    }

    /** Peak resident set size of this process (Linux VmHWM), or -1 where /proc is not available. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
