package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import java.nio.file.Path;
import java.util.List;

/** A stored run as read back: its folder, config, per-epoch metrics, summary and notes. */
public record RunRecord(Path folder, ExperimentConfig config, List<EpochMetrics> epochs, RunSummary summary,
                        RunNotes notes) {
    public String id() {
        return folder.getFileName().toString();
    }

    /** The same run with {@code notes} (as just saved). */
    public RunRecord withNotes(RunNotes notes) {
        return new RunRecord(folder, config, epochs, summary, notes);
    }

    public boolean hasModel() {
        return java.nio.file.Files.isRegularFile(folder.resolve(RunStore.MODEL_FILE));
    }
}
