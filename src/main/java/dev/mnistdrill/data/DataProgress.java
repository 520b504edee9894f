package dev.mnistdrill.data;

/** Progress of obtaining the data set: a message for people and a fraction in 0..1, or -1 when unknown. */
@FunctionalInterface
public interface DataProgress {
    DataProgress SILENT = (message, fraction) -> { };

    void report(String message, double fraction);
}
