package dev.mnistdrill.ui;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyTag;
import dev.mnistdrill.train.TrainingStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Studies written to a runs folder from made-up member runs, without training: the manifest through the study
 * store, each member through the run store as a study runner would leave it (config, tag, metrics, summary).
 */
final class StudyFixtures {
    private StudyFixtures() {
    }

    /** Decides a member's curve: whether it holds the target over the last K epochs. */
    interface Holds {
        boolean holds(int setting, long seed);
    }

    /**
     * Writes {@code spec} as a finished study of {@code status} whose members' test accuracies climb towards the
     * target and, over the last K epochs, hold it exactly when {@code holds} says so. {@code members} limits how many
     * members are written (the rest are missing, as in a study stopped early).
     */
    static void write(StudyStore store, StudySpec spec, TrainingStatus status, Holds holds, int members) {
        store.save(spec, TrainingStatus.RUNNING);
        List<StudySpec.Setting> settings = spec.settings();
        int written = 0;
        for (StudySpec.Member m : spec.members()) {
            if (written++ >= members) {
                break;
            }
            int setting = settings.indexOf(m.setting());
            writeMember(store.runs(), spec, m, curve(spec.criterion(), m.config(), setting, m.seed(),
                    holds.holds(setting, m.seed())));
        }
        store.save(spec, status);
    }

    static void write(StudyStore store, StudySpec spec, Holds holds) {
        write(store, spec, TrainingStatus.COMPLETED, holds, spec.runCount());
    }

    /** One member's run folder, as a finished member process leaves it. */
    static Path writeMember(RunStore runs, StudySpec spec, StudySpec.Member m, double[] accuracies) {
        String id = spec.runId(m);
        Path folder = runs.createMember(id, m.config(), new StudyTag(spec.id(), m.setting().label(), m.seed()));
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int e = 0; e < accuracies.length; e++) {
            EpochMetrics metrics = new EpochMetrics(e + 1, Math.min(0.999, accuracies[e] - 0.004), 0.3 / (e + 1),
                    accuracies[e], 0.25 / (e + 1), m.config().learningRateAt(e + 1), 40, 1500);
            RunStore.appendMetrics(folder, metrics);
            epochs.add(metrics);
        }
        ExperimentConfig c = m.config();
        boolean complete = accuracies.length == c.epochs();
        RunStore.writeSummary(folder, RunSummary.of(id, c.name(), complete ? TrainingStatus.COMPLETED
                        : TrainingStatus.CANCELLED, c.summary().trainable(), c.summary().dl4jNumParams(), epochs,
                c.epochs(), 40.0 * accuracies.length, "2026-01-01T12:00:00", null));
        return folder;
    }

    /**
     * A made-up test accuracy curve: a climb from ~97.5% towards a plateau near the target, a little noise per seed;
     * the last K epochs then all reach the target, or one of them (the middle) dips below it.
     */
    static double[] curve(DrillCriterion criterion, ExperimentConfig c, int setting, long seed, boolean holds) {
        Random noise = new Random(31L * seed + setting);
        int epochs = c.epochs();
        double[] acc = new double[epochs];
        double plateau = criterion.target() + 0.0006 - 0.0004 * setting;
        for (int e = 0; e < epochs; e++) {
            double climb = (plateau - 0.975) * Math.exp(-1.2 * e);
            acc[e] = round(plateau - climb + 0.0006 * (noise.nextDouble() - 0.5));
        }
        int k = Math.min(criterion.lastEpochs(), epochs);
        for (int i = epochs - k; i < epochs; i++) {
            acc[i] = round(criterion.target() + 0.0002 + 0.0008 * noise.nextDouble());
        }
        if (!holds) {
            acc[epochs - 1 - k / 2] = round(criterion.target() - 0.0003 - 0.0004 * noise.nextDouble());
        }
        return acc;
    }

    private static double round(double fraction) {
        return Math.round(fraction * 10_000) / 10_000.0; // whole test digits: 10,000 of them
    }

    /** Writes the fixture of the screenshot: {@code java ... StudyFixtures RUNS_FOLDER}. */
    public static void main(String[] args) {
        StudyStore store = new StudyStore(new RunStore(Path.of(args[0])));
        StudySpec grid = new StudySpec(dev.mnistdrill.model.Presets.get("code4"),
                List.of(StudySpec.parseAxis("dropout=0.05,0.1")), StudySpec.parseSeeds("1-5"),
                DrillCriterion.STANDARD);
        write(store, grid, (setting, seed) -> setting == 0 ? seed != 3 : seed == 2 || seed == 5);
        StudySpec repeat = new StudySpec(dev.mnistdrill.model.Presets.get("code3"), List.of(),
                StudySpec.parseSeeds("1-5"), DrillCriterion.STANDARD);
        write(store, repeat, (setting, seed) -> seed == 4);
        System.out.println("studies " + grid.id() + " and " + repeat.id() + " in " + store.root());
    }
}
