package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A stored run as read back: its folder, config, per-epoch metrics, summary and notes, and the study it belongs to
 * ({@code study} is null for a run trained on its own).
 */
public record RunRecord(Path folder, ExperimentConfig config, List<EpochMetrics> epochs, RunSummary summary,
                        RunNotes notes, StudyTag study) {
    public RunRecord(Path folder, ExperimentConfig config, List<EpochMetrics> epochs, RunSummary summary,
                     RunNotes notes) {
        this(folder, config, epochs, summary, notes, null);
    }

    public String id() {
        return folder.getFileName().toString();
    }

    /** The same run with {@code notes} (as just saved). */
    public RunRecord withNotes(RunNotes notes) {
        return new RunRecord(folder, config, epochs, summary, notes, study);
    }

    /**
     * Every planned epoch is stored: the run completed, or was stopped or killed after saving its last epoch (its
     * metrics and model are then as complete as a completed run's).
     */
    public boolean finishedAllEpochs() {
        return epochs.size() == config.epochs()
                && (summary.status() == TrainingStatus.COMPLETED || hasModel());
    }

    public boolean hasModel() {
        return java.nio.file.Files.isRegularFile(folder.resolve(RunStore.MODEL_FILE));
    }
}
