package dev.mnistdrill.cli;

import dev.mnistdrill.model.Engine;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.Benchmark;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Measure training and inference images/s and peak memory.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    DataOption data;

    @Option(names = "--warmup", defaultValue = "40", description = "Untimed batches first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batches", defaultValue = "300", description = "Timed training batches (default: ${DEFAULT-VALUE}).")
    int batches;

    @Override
    public Integer call() {
        ExperimentConfig config = options.resolve().validated();
        System.out.printf(Locale.ROOT, "bench %s: %s%n", config.name(), TrainCommand.describe(config));
        Benchmark.Result r = Benchmark.run(config, data.load(), warmup, batches);
        System.out.printf(Locale.ROOT, "native build:        %s, %d cores, max heap %d MB%n", r.nativeBuild(),
                r.threads(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "fast layers:         %s%n",
                r.slowLayers().isEmpty() ? Engine.fastLayersDescription() : "MISSING on " + r.slowLayers());
        System.out.printf(Locale.ROOT, "training:            %.0f images/s (batch %d, %d timed batches after %d warm-up)%n",
                r.trainImagesPerSecond(), config.batchSize(), r.timedBatches(), warmup);
        System.out.printf(Locale.ROOT, "inference:           %.0f images/s (10,000 test digits, batch 1000)%n",
                r.inferenceImagesPerSecond());
        System.out.printf(Locale.ROOT, "15 epochs of 60,000: %.1f min of training at this rate%n",
                15 * 60_000 / r.trainImagesPerSecond() / 60);
        System.out.printf(Locale.ROOT, "peak RSS:            %d MB%n", r.peakRssBytes() >> 20);
        return r.slowLayers().isEmpty() ? 0 : 1;
    }
}
