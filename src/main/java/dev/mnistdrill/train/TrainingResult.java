package dev.mnistdrill.train;

import java.util.List;

/** How a run ended and every epoch it completed. {@code error} is set for FAILED. */
public record TrainingResult(TrainingStatus status, List<EpochMetrics> epochs, double seconds, String error) {
}
