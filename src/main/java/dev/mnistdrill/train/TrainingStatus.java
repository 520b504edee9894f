package dev.mnistdrill.train;

/** How a run stands. INTERRUPTED is read back for a run whose process died while it was RUNNING. */
public enum TrainingStatus {
    RUNNING, COMPLETED, CANCELLED, FAILED, INTERRUPTED
}
