package dev.mnistdrill.cli;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Optimizer;
import dev.mnistdrill.model.Presets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The experiment knobs shared by train, study, bench and summary: a preset or config file, then overrides. Their help
 * comes from the knobs' descriptors ({@link KnobHelp}).
 */
public final class ConfigOptions {
    @Option(names = "--preset", defaultValue = "code4",
            description = "Drill step: code1, code2, code3, code4 or best (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--config", description = "Start from a config JSON file instead of a preset.")
    Path configFile;

    @Option(names = "--bn", negatable = true, descriptionKey = "bn")
    Boolean batchNorm;

    @Option(names = "--dropout", descriptionKey = "dropout")
    Double dropout;

    @Option(names = "--rotation", descriptionKey = "rotation")
    Double rotation;

    @Option(names = "--translate", descriptionKey = "translate")
    Double translate;

    @Option(names = "--optimizer", descriptionKey = "optimizer")
    String optimizer;

    @Option(names = "--lr", descriptionKey = "lr")
    Double learningRate;

    @Option(names = "--lr-step", descriptionKey = "lr-step")
    Integer lrStep;

    @Option(names = "--lr-gamma", descriptionKey = "lr-gamma")
    Double lrGamma;

    @Option(names = "--batch", descriptionKey = "batch")
    Integer batchSize;

    @Option(names = "--epochs", descriptionKey = "epochs")
    Integer epochs;

    @Option(names = "--seed", descriptionKey = "seed")
    Long seed;

    @Option(names = "--subset", descriptionKey = "subset")
    Integer subset;

    @Option(names = "--arch", descriptionKey = "arch")
    String architecture;

    @Option(names = "--name", descriptionKey = "name")
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
