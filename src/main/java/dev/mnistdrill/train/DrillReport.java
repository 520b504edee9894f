package dev.mnistdrill.train;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The drill's Target / Results / Analysis write-up, with Results and a first Analysis derived from the numbers. */
public final class DrillReport {
    private DrillReport() {
    }

    public static String results(RunSummary s) {
        return String.format(Locale.ROOT, """
                - Parameters: %,d trainable (PyTorch's count)%s
                - Best train accuracy: %.2f%%
                - Best test accuracy: %.2f%% (epoch %d)
                - First epoch >= %.1f%%: %s
                - Last %d epochs (test): %s -> target %s""",
                s.trainableParams(), s.dl4jParams() == s.trainableParams() ? ""
                        : String.format(Locale.ROOT, "; DL4J's numParams() is %,d, adding BatchNorm running mean/var",
                        s.dl4jParams()), 100 * s.bestTrainAccuracy(), 100 * s.bestTestAccuracy(),
                s.bestTestEpoch(), 100 * s.target(), s.firstEpochAtTarget() == null ? "never" : s.firstEpochAtTarget(),
                s.window(), s.lastWindowTestAccuracies().stream()
                        .map(a -> String.format(Locale.ROOT, "%.2f", 100 * a)).collect(Collectors.joining(", ")),
                s.targetHeld() ? "HELD" : "not held");
    }

    /** A first reading of the numbers; the user is expected to refine it. */
    public static String analysis(ExperimentConfig config, RunSummary s, List<EpochMetrics> epochs) {
        StringBuilder a = new StringBuilder();
        if (epochs.isEmpty()) {
            return "No epoch completed.";
        }
        EpochMetrics last = epochs.get(epochs.size() - 1);
        double gap = last.trainAccuracy() - last.testAccuracy();
        a.append(String.format(Locale.ROOT, "Final train %.2f%% vs test %.2f%%: ", 100 * last.trainAccuracy(),
                100 * last.testAccuracy()));
        if (gap > 0.003) {
            a.append("the model over-fits a little (train ahead of test); more regularisation or augmentation helps. ");
        } else if (gap < -0.001) {
            a.append("test is ahead of train, as expected with dropout/augmentation making training harder; "
                    + "there is capacity left to use. ");
        } else {
            a.append("train and test agree; no over-fitting. ");
        }
        if (s.trainableParams() >= DrillCriterion.PARAM_BUDGET) {
            a.append("Over the 10,000-parameter budget. ");
        }
        if (s.targetHeld()) {
            a.append(String.format(Locale.ROOT, "The %.1f%% target held on each of the last %d epochs.",
                    100 * s.target(), s.window()));
        } else if (s.firstEpochAtTarget() != null) {
            a.append(String.format(Locale.ROOT, "It reached %.1f%% (epoch %d) but did not hold it over the last %d "
                    + "epochs%s.", 100 * s.target(), s.firstEpochAtTarget(), s.window(),
                    config.lrStep() == 0 && !config.changesRateEveryStep() && !config.averagesWeights()
                            ? "; a step LR schedule, or weight averaging, would steady the end" : ""));
        } else {
            a.append(String.format(Locale.ROOT, "It never reached %.1f%%.", 100 * s.target()));
        }
        return a.toString();
    }
}
