package dev.mnistdrill.train;

public enum TrainingStatus {
    RUNNING, COMPLETED, CANCELLED, FAILED
}
