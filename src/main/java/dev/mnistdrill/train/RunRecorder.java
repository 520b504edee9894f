package dev.mnistdrill.train;

import dev.mnistdrill.model.ExperimentConfig;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run to its folder as it trains: metrics, layer statistics, summary and model after every epoch, the final
 * state at the end.
 */
public final class RunRecorder implements TrainingListener {
    private final Path folder;
    private final ExperimentConfig config;
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private final String startedAt = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    private final long startNanos = System.nanoTime();
    private long trainable;
    private long dl4j;

    private final RunStore.LiveLock liveLock;

    /**
     * Takes the run's lock first and writes nothing unless it has it: two processes must never write one run.
     *
     * @throws IllegalStateException when another process holds the run
     */
    public RunRecorder(Path folder, ExperimentConfig config) {
        this.folder = folder;
        this.config = config;
        this.liveLock = RunStore.LiveLock.acquire(folder);
        if (!liveLock.acquired()) {
            throw new IllegalStateException("run " + folder.getFileName() + " is being trained by another process");
        }
        RunStore.writeNotes(folder, new RunNotes(dev.mnistdrill.model.Presets.target(config.name()), ""));
    }

    public Path folder() {
        return folder;
    }

    @Override
    public void onStart(TrainingStart start) {
        trainable = start.trainableParams();
        dl4j = start.dl4jParams();
        RunStore.writeSummary(folder, summary(TrainingStatus.RUNNING, null));
    }

    @Override
    public void onLayerStats(List<LayerStat> stats) {
        RunStore.appendLayerStats(folder, stats);
    }

    @Override
    public void onEpoch(EpochMetrics metrics, Predictor snapshot) {
        epochs.add(metrics);
        RunStore.appendMetrics(folder, metrics);
        RunStore.saveModel(folder, snapshot.network());
        RunStore.writeSummary(folder, summary(TrainingStatus.RUNNING, null));
    }

    @Override
    public void onFinish(TrainingResult result) {
        RunStore.writeSummary(folder, summary(result.status(), result.error()));
        liveLock.release();
    }

    private RunSummary summary(TrainingStatus status, String error) {
        return RunSummary.of(folder.getFileName().toString(), config.name(), status, trainable, dl4j, epochs,
                config.epochs(), (System.nanoTime() - startNanos) / 1e9, startedAt, error);
    }
}
