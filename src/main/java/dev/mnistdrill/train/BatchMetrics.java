package dev.mnistdrill.train;

/**
 * Reported after every training batch.
 *
 * @param loss             cross-entropy of this batch (before its update, as PyTorch's loop reports it)
 * @param runningAccuracy  share of this epoch's digits so far that the network classified right in training
 * @param imagesPerSecond  training throughput, smoothed over recent batches
 */
public record BatchMetrics(int epoch, int batch, int batchesPerEpoch, long iteration, double loss,
                           double runningAccuracy, double imagesPerSecond, double epochSeconds) {
    /** Progress through this epoch, 0..1. */
    public double epochProgress() {
        return (double) batch / batchesPerEpoch;
    }
}
