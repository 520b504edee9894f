package dev.mnistdrill.cli;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.BatchMetrics;
import dev.mnistdrill.train.DrillReport;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.train.RunRecorder;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingListener;
import dev.mnistdrill.train.TrainingResult;
import dev.mnistdrill.train.TrainingStart;
import dev.mnistdrill.train.TrainingStatus;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", description = "Train one experiment headless and store it as a run.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    DataOption dataOption;

    @Mixin
    RunsOption runsOption;

    @Option(names = "--progress", negatable = true, defaultValue = "true",
            description = "Show a progress line within epochs (only on a terminal).")
    boolean progress;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        ExperimentConfig config = options.resolve().validated();
        MnistData data = dataOption.load();
        RunStore store = runsOption.store();
        Path folder = store.create(config);
        RunRecorder recorder = new RunRecorder(folder, config);
        Trainer trainer = new Trainer(config, data, folder);
        List<EpochMetrics> epochs = new ArrayList<>();
        boolean liveProgress = progress && System.console() != null;
        TrainingResult result = ShutdownCancel.run(trainer, TrainingListener.all(recorder, new TrainingListener() {
            @Override
            public void onStart(TrainingStart s) {
                out.printf(Locale.ROOT, "MNIST Drill - %s: %s%n", config.name(),
                        Knob.describe(config, Knob.Style.FULL));
                out.printf(Locale.ROOT, "%,d trainable parameters (DL4J numParams %,d); %,d training / %,d test digits;"
                        + " native %s%nrun folder: %s%n%n", s.trainableParams(), s.dl4jParams(), s.trainSize(),
                        s.testSize(), s.nativeBuild(), folder);
                out.println("epoch  train_acc  train_loss  test_acc  test_loss        lr   seconds  img/s");
            }

            @Override
            public void onBatch(BatchMetrics m) {
                if (liveProgress && m.batch() % 20 == 0) {
                    System.err.printf(Locale.ROOT, "\repoch %d  %3.0f%%  loss %.4f  acc %.2f%%  %.0f img/s ",
                            m.epoch(), 100 * m.epochProgress(), m.loss(), 100 * m.runningAccuracy(),
                            m.imagesPerSecond());
                }
            }

            @Override
            public void onEpoch(EpochMetrics m, Predictor snapshot) {
                if (liveProgress) {
                    System.err.print("\r" + " ".repeat(70) + "\r");
                }
                epochs.add(m);
                out.printf(Locale.ROOT, "%5d  %8.2f%%  %10.4f  %7.2f%%  %9.4f  %8.5f  %8.1f  %5.0f%n", m.epoch(),
                        100 * m.trainAccuracy(), m.trainLoss(), 100 * m.testAccuracy(), m.testLoss(),
                        m.learningRate(), m.seconds(), m.imagesPerSecond());
            }
        }));
        var record = RunStore.read(folder);
        out.printf(Locale.ROOT, "%n%s after %.1f s (%d of %d epochs)%n", result.status(), result.seconds(),
                epochs.size(), config.epochs());
        if (!epochs.isEmpty()) {
            // what computing them costs, next to the run: the probe batch at each epoch's end, the update ratios
            // after each step (written to layer-stats.csv)
            out.printf(Locale.ROOT, "layer statistics: %.2f s of it (%.2f%%)%n", trainer.layerStatsSeconds(),
                    100 * trainer.layerStatsSeconds() / Math.max(1e-9, result.seconds()));
        }
        if (result.status() == TrainingStatus.FAILED) {
            System.err.println("Training failed: " + result.error());
            return 1;
        }
        out.println();
        out.println("### Target");
        out.println(Presets.target(config.name()).isEmpty() ? "(custom experiment)" : Presets.target(config.name()));
        out.println();
        out.println("### Results");
        out.println(DrillReport.results(record.summary()));
        out.println();
        out.println("### Analysis");
        out.println(DrillReport.analysis(config, record.summary(), epochs));
        return result.status() == TrainingStatus.COMPLETED ? 0 : 130;
    }
}
