package dev.mnistdrill.cli;

import dev.mnistdrill.model.Knob;
import dev.mnistdrill.engine.Engine;
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

    @Option(names = "--inside", description = "Instead: time the drawing pad's views inside the network (feature "
            + "maps, saliency) for every preset, on real test digits.")
    boolean inside;

    @Option(names = "--digits", defaultValue = "200", description = "With --inside: test digits timed per preset "
            + "(default: ${DEFAULT-VALUE}).")
    int digits;

    @Override
    public Integer call() {
        if (inside) {
            return inside();
        }
        ExperimentConfig config = options.resolve().validated();
        System.out.printf(Locale.ROOT, "bench %s: %s%n", config.name(), Knob.describe(config, Knob.Style.FULL));
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

    /** The drawing pad's work per drawing, per preset: prediction, feature maps, saliency (one thread). */
    private int inside() {
        var mnist = data.load();
        System.out.printf(Locale.ROOT, "bench --inside: per drawing, on one thread as the drawing pad's worker; %d "
                + "test digits per preset, %d cores; ms median / p95 / max%n", digits,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-6s %-32s %-20s %-30s %-24s%n", "preset", "architecture", "prediction",
                "prediction with feature maps", "saliency (10 classes)");
        for (String preset : dev.mnistdrill.model.Presets.names()) {
            ExperimentConfig config = dev.mnistdrill.model.Presets.get(preset);
            var r = dev.mnistdrill.train.InsideBenchmark.run(config, mnist.test(), digits, 300);
            System.out.printf(Locale.ROOT, "%-6s %-32s %-20s %-30s %-24s%n", preset, config.architecture(),
                    timing(r.prediction()), timing(r.featureMaps()) + " (" + r.featureValues() + " values)",
                    timing(r.saliency()) + " (" + r.saliencyPasses() + " passes)");
        }
        System.out.println("Networks as built (untrained). With feature maps: the prediction's own pass keeping "
                + "every convolution block's output, as the Draw tab shows them; saliency: a pass per 3x3 patch "
                + "that holds ink, each recomputing only what the patch reaches, all classes at once.");
        return 0;
    }

    private static String timing(dev.mnistdrill.train.InsideBenchmark.Timing t) {
        return String.format(Locale.ROOT, "%.2f/%.2f/%.2f", t.median(), t.p95(), t.max());
    }
}
