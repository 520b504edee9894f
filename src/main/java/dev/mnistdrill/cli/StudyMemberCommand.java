package dev.mnistdrill.cli;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.BatchMetrics;
import dev.mnistdrill.train.MemberProtocol;
import dev.mnistdrill.train.RunRecorder;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyTag;
import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingListener;
import dev.mnistdrill.train.TrainingResult;
import dev.mnistdrill.train.TrainingStart;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Trains one study member in a run folder the study runner prepared (its config and study tag written), reporting
 * progress as {@link MemberProtocol} lines. Not for users: {@code study} starts it, one process per run.
 *
 * <p>It lives only as long as the runner that started it: its standard input is a pipe from the runner, and the end
 * of that input (the runner gone, however it ended, on any OS) stops it: before training, at once and without writing
 * anything; while training, after the current batch, leaving the run interrupted for the next attempt. It takes the
 * run's lock before anything else and checks, under it, that the folder is still the one of its attempt, so a member
 * of a killed runner can never write into a folder a later attempt made at the same place.
 */
@Command(name = "study-member", hidden = true, description = "Train one prepared study run (used by study).")
public final class StudyMemberCommand implements Callable<Integer> {
    /** Exit code of a member whose runner went away before it started training. */
    static final int RUNNER_GONE = 130;

    @Mixin
    DataOption dataOption;

    @Option(names = "--attempt", required = true, description = "The token of this attempt, as in study-member.json.")
    String attempt;

    @Parameters(index = "0", description = "The prepared run folder.")
    Path folder;

    @Override
    public Integer call() throws IOException {
        AtomicReference<Trainer> training = new AtomicReference<>();
        watchRunner(System.in, () -> {
            Trainer t = training.get();
            if (t == null) {
                Runtime.getRuntime().halt(RUNNER_GONE); // nothing written yet: nothing to keep
            } else {
                t.cancel();
            }
        });
        ExperimentConfig config;
        StudyTag tag;
        try {
            config = ExperimentConfig.fromJson(Files.readString(folder.resolve(RunStore.CONFIG_FILE))).validated();
            tag = RunStore.readStudyTag(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run in " + folder + ": " + e.getMessage(), e);
        }
        if (tag == null || !attempt.equals(tag.attempt())) {
            throw new IllegalStateException(folder.getFileName() + " belongs to another attempt of its study");
        }
        RunRecorder recorder = new RunRecorder(folder, config); // the lock first: throws if another process has it
        if (!attempt.equals(RunStore.readStudyTag(folder).attempt())) {
            throw new IllegalStateException(folder.getFileName() + " belongs to another attempt of its study");
        }
        MnistData data = dataOption.load();
        Trainer trainer = new Trainer(config, data, folder);
        training.set(trainer);
        PrintStream out = System.out;
        TrainingResult result = ShutdownCancel.run(trainer, TrainingListener.all(recorder, new TrainingListener() {
            private int trainSize;
            private long lastReport;

            @Override
            public void onStart(TrainingStart s) {
                trainSize = s.trainSize();
            }

            @Override
            public void onBatch(BatchMetrics m) {
                long now = System.nanoTime();
                if (now - lastReport > 1_000_000_000L || m.batch() == m.batchesPerEpoch()) {
                    lastReport = now;
                    long images = (long) (m.epoch() - 1) * trainSize
                            + Math.min(trainSize, (long) m.batch() * config.batchSize());
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

    /** Runs {@code onEnd} when {@code in} ends: the runner closed its end of the pipe, or went away. */
    private static void watchRunner(InputStream in, Runnable onEnd) {
        Thread t = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the runner sends nothing; any byte is ignored
                }
            } catch (IOException e) {
                // a broken pipe is the runner gone as well
            }
            onEnd.run();
        }, "runner-watch");
        t.setDaemon(true);
        t.start();
    }
}
