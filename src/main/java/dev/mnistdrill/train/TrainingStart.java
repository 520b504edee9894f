package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import java.nio.file.Path;

/** Reported once before the first batch. {@code runFolder} is null when the run is not stored. */
public record TrainingStart(ExperimentConfig config, long trainableParams, long dl4jParams, int trainSize,
                            int testSize, int batchesPerEpoch, String nativeBuild, Path runFolder) {
}
