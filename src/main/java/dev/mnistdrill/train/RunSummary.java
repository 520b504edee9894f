package dev.mnistdrill.train;

import dev.mnistdrill.model.DrillCriterion;
import java.util.List;

/**
 * The headline numbers of a run, rewritten after every epoch. Accuracies are fractions.
 *
 * @param trainableParams   counted as PyTorch does (weights, biases, BatchNorm gamma/beta)
 * @param dl4jParams        DL4J's numParams(), which adds BatchNorm running mean/variance
 * @param firstEpochAtTarget first epoch with test accuracy >= target, or null
 * @param targetHeld        the run meets {@link DrillCriterion#STANDARD}: every one of the last {@code window} planned
 *                          epochs reached the target, in a completed run within the drill's epoch and parameter limits
 */
public record RunSummary(String runId, String name, TrainingStatus status, long trainableParams, long dl4jParams,
                         int epochsCompleted, int epochsPlanned, double bestTrainAccuracy, double bestTestAccuracy,
                         int bestTestEpoch, double lastTestAccuracy, Integer firstEpochAtTarget, double target,
                         int window, List<Double> lastWindowTestAccuracies, boolean targetHeld, double seconds,
                         String startedAt, String error) {


    /** The same results under another run id and name (a completed run copied into a study as its member). */
    public RunSummary as(String newRunId, String newName) {
        return new RunSummary(newRunId, newName, status, trainableParams, dl4jParams, epochsCompleted, epochsPlanned,
                bestTrainAccuracy, bestTestAccuracy, bestTestEpoch, lastTestAccuracy, firstEpochAtTarget, target,
                window, lastWindowTestAccuracies, targetHeld, seconds, startedAt, error);
    }

    /** Derives the summary from the epochs completed so far. */
    public static RunSummary of(String runId, String name, TrainingStatus status, long trainable, long dl4j,
                                List<EpochMetrics> epochs, int planned, double seconds, String startedAt,
                                String error) {
        double bestTrain = 0;
        double bestTest = 0;
        int bestEpoch = 0;
        Integer first = null;
        for (EpochMetrics m : epochs) {
            bestTrain = Math.max(bestTrain, m.trainAccuracy());
            if (m.testAccuracy() > bestTest) {
                bestTest = m.testAccuracy();
                bestEpoch = m.epoch();
            }
            if (first == null && DrillCriterion.STANDARD.reached(m.testAccuracy())) {
                first = m.epoch();
            }
        }
        DrillCriterion criterion = DrillCriterion.STANDARD;
        List<Double> accuracies = epochs.stream().map(EpochMetrics::testAccuracy).toList();
        boolean held = criterion.held(accuracies, planned, trainable);
        double lastTest = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).testAccuracy();
        return new RunSummary(runId, name, status, trainable, dl4j, epochs.size(), planned, bestTrain, bestTest,
                bestEpoch, lastTest, first, criterion.target(), criterion.lastEpochs(),
                List.copyOf(criterion.lastWindow(accuracies)), held, seconds, startedAt, error);
    }

    /**
     * This summary judged again from {@code epochs} by today's {@link DrillCriterion#STANDARD}: summaries written
     * before it (a window of 5, no epoch or parameter limit) read back under the one definition.
     */
    public RunSummary rejudged(List<EpochMetrics> epochs) {
        return of(runId, name, status, trainableParams, dl4jParams, epochs, epochsPlanned, seconds, startedAt, error);
    }
}
