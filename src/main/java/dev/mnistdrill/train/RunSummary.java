package dev.mnistdrill.train;

import java.util.List;

/**
 * The headline numbers of a run, rewritten after every epoch. Accuracies are fractions.
 *
 * @param trainableParams   counted as PyTorch does (weights, biases, BatchNorm gamma/beta)
 * @param dl4jParams        DL4J's numParams(), which adds BatchNorm running mean/variance
 * @param firstEpochAtTarget first epoch with test accuracy >= target, or null
 * @param targetHeld        every one of the last {@code window} planned epochs reached the target (only once the
 *                          run has completed all its epochs)
 */
public record RunSummary(String runId, String name, TrainingStatus status, long trainableParams, long dl4jParams,
                         int epochsCompleted, int epochsPlanned, double bestTrainAccuracy, double bestTestAccuracy,
                         int bestTestEpoch, double lastTestAccuracy, Integer firstEpochAtTarget, double target,
                         int window, List<Double> lastWindowTestAccuracies, boolean targetHeld, double seconds,
                         String startedAt, String error) {

    public static final double TARGET = 0.994;
    public static final int WINDOW = 5;

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
            if (first == null && m.testAccuracy() >= TARGET) {
                first = m.epoch();
            }
        }
        int window = Math.min(WINDOW, planned);
        List<Double> last = epochs.subList(Math.max(0, epochs.size() - window), epochs.size()).stream()
                .map(EpochMetrics::testAccuracy).toList();
        boolean held = epochs.size() == planned && last.size() == window
                && last.stream().allMatch(a -> a >= TARGET);
        double lastTest = epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).testAccuracy();
        return new RunSummary(runId, name, status, trainable, dl4j, epochs.size(), planned, bestTrain, bestTest,
                bestEpoch, lastTest, first, TARGET, window, last, held, seconds, startedAt, error);
    }
}
