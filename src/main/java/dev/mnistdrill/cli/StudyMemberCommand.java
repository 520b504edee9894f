package dev.mnistdrill.cli;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.BatchMetrics;
import dev.mnistdrill.train.MemberProtocol;
import dev.mnistdrill.train.RunRecorder;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingListener;
import dev.mnistdrill.train.TrainingResult;
import dev.mnistdrill.train.TrainingStart;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Trains one study member in a run folder the study runner prepared (its config and study tag written), reporting
 * progress as {@link MemberProtocol} lines. Not for users: {@code study} starts it, one process per run. It stops
 * when the runner that started it goes away, so a killed study leaves interrupted runs, not orphans.
 */
@Command(name = "study-member", hidden = true, description = "Train one prepared study run (used by study).")
public final class StudyMemberCommand implements Callable<Integer> {
    @Mixin
    DataOption dataOption;

    @Parameters(index = "0", description = "The prepared run folder.")
    Path folder;

    @Override
    public Integer call() {
        ExperimentConfig config;
        try {
            config = ExperimentConfig.fromJson(Files.readString(folder.resolve(RunStore.CONFIG_FILE))).validated();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run in " + folder + ": " + e.getMessage(), e);
        }
        MnistData data = dataOption.load();
        RunRecorder recorder = new RunRecorder(folder, config);
        Trainer trainer = new Trainer(config, data, folder);
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(trainer::cancel));
        PrintStream out = System.out;
        TrainingResult result = ShutdownCancel.run(trainer, TrainingListener.all(recorder, new TrainingListener() {
            private int trainSize;
            private int batchSize;
            private long lastReport;

            @Override
            public void onStart(TrainingStart s) {
                trainSize = s.trainSize();
                batchSize = config.batchSize();
            }

            @Override
            public void onBatch(BatchMetrics m) {
                long now = System.nanoTime();
                if (now - lastReport > 1_000_000_000L || m.batch() == m.batchesPerEpoch()) {
                    lastReport = now;
                    long images = (long) (m.epoch() - 1) * trainSize + Math.min(trainSize, (long) m.batch() * batchSize);
                    out.println(MemberProtocol.format(images, m.imagesPerSecond()));
                    out.flush();
                }
            }
        }));
        return switch (result.status()) {
            case COMPLETED -> 0;
            case FAILED -> {
                System.err.println("Training failed: " + result.error());
                yield 1;
            }
            default -> 130;
        };
    }
}
