package dev.mnistdrill.cli;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Optimizer;
import dev.mnistdrill.model.Presets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The experiment knobs shared by train, bench and summary: a preset or config file, then overrides. */
public final class ConfigOptions {
    @Option(names = "--preset", defaultValue = "code4",
            description = "Drill step: code1, code2, code3, code4 or best (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--config", description = "Start from a config JSON file instead of a preset.")
    Path configFile;

    @Option(names = "--bn", negatable = true, description = "BatchNorm after every convolution (--no-bn: off).")
    Boolean batchNorm;

    @Option(names = "--dropout", description = "Dropout DROP rate, 0-0.5.")
    Double dropout;

    @Option(names = "--rotation", description = "Random rotation within +-D degrees.")
    Double rotation;

    @Option(names = "--translate", description = "Random shift within +-P pixels.")
    Double translate;

    @Option(names = "--optimizer", description = "sgd or adam.")
    String optimizer;

    @Option(names = "--lr", description = "Initial learning rate.")
    Double learningRate;

    @Option(names = "--lr-step", description = "Multiply the LR by --lr-gamma every N epochs (0: constant).")
    Integer lrStep;

    @Option(names = "--lr-gamma", description = "LR step factor.")
    Double lrGamma;

    @Option(names = "--batch", description = "Batch size.")
    Integer batchSize;

    @Option(names = "--epochs", description = "Epochs (1-50).")
    Integer epochs;

    @Option(names = "--seed", description = "Random seed.")
    Long seed;

    @Option(names = "--subset", description = "Train on the first N digits only (0: all).")
    Integer subset;

    @Option(names = "--arch", description = "Architecture spec, e.g. \"c8 c16 p t8 c12 c16 c16 gap\".")
    String architecture;

    @Option(names = "--name", description = "Label for the run (default: the preset name).")
    String name;

    /** The config these options describe; not yet validated. */
    public ExperimentConfig resolve() {
        ExperimentConfig c;
        if (configFile != null) {
            try {
                c = ExperimentConfig.fromJson(Files.readString(configFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), e);
            }
        } else {
            c = Presets.get(preset);
        }
        if (name != null) {
            c = c.withName(name);
        }
        if (architecture != null) {
            c = c.withArchitecture(architecture);
        }
        if (batchNorm != null) {
            c = c.withBatchNorm(batchNorm);
        }
        if (dropout != null) {
            c = c.withDropout(dropout);
        }
        if (rotation != null) {
            c = c.withRotation(rotation);
        }
        if (translate != null) {
            c = c.withTranslate(translate);
        }
        if (optimizer != null) {
            c = c.withOptimizer(Optimizer.parse(optimizer));
        }
        if (learningRate != null) {
            c = c.withLearningRate(learningRate);
        }
        if (lrStep != null || lrGamma != null) {
            c = c.withLrSchedule(lrStep != null ? lrStep : c.lrStep(), lrGamma != null ? lrGamma : c.lrGamma());
        }
        if (batchSize != null) {
            c = c.withBatchSize(batchSize);
        }
        if (epochs != null) {
            c = c.withEpochs(epochs);
        }
        if (seed != null) {
            c = c.withSeed(seed);
        }
        if (subset != null) {
            c = c.withSubset(subset);
        }
        return c;
    }
}
