package dev.mnistdrill.model;

import java.util.List;
import java.util.Locale;

/**
 * The drill's pass mark, defined once: test accuracy of at least {@code target} on each of the last {@code lastEpochs}
 * epochs of a run of at most {@link #MAX_EPOCHS} epochs with fewer than {@link #PARAM_BUDGET} trainable parameters
 * (PyTorch's count). The CLI, the window, the report, summary.json and the study verdicts all judge with this.
 *
 * @param target     accuracy as a fraction (0.994 = 99.4%)
 * @param lastEpochs K: how many final epochs must each reach the target
 */
public record DrillCriterion(double target, int lastEpochs) {
    /** The drill's accuracy target. */
    public static final double TARGET = 0.994;
    /** The drill's epoch limit. */
    public static final int MAX_EPOCHS = 15;
    /** The drill's parameter budget: a model must have fewer trainable parameters than this. */
    public static final long PARAM_BUDGET = 10_000;
    /** K by default: "consistently shown in your last few epochs". */
    public static final int DEFAULT_LAST = 3;
    /** The stricter K reported beside the default one. */
    public static final int STRICT_LAST = 5;

    public static final DrillCriterion STANDARD = new DrillCriterion(TARGET, DEFAULT_LAST);

    public DrillCriterion {
        if (!(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("target must be a fraction above 0 and at most 1, not " + target);
        }
        if (lastEpochs < 1 || lastEpochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("the last-epochs window must be 1 to " + MAX_EPOCHS + ", not "
                    + lastEpochs);
        }
    }

    /** The same target judged over another number of final epochs. */
    public DrillCriterion withLastEpochs(int k) {
        return new DrillCriterion(target, k);
    }

    /**
     * Whether a run held the target. {@code testAccuracies} are the completed epochs' test accuracies in order; a run
     * that did not complete its {@code plannedEpochs}, planned more than {@link #MAX_EPOCHS}, or has too many
     * parameters does not hold it.
     */
    public boolean held(List<Double> testAccuracies, int plannedEpochs, long trainableParams) {
        return withinRules(plannedEpochs, trainableParams) && testAccuracies.size() == plannedEpochs
                && plannedEpochs >= lastEpochs && lastWindow(testAccuracies).stream().allMatch(this::reached);
    }

    /**
     * Whether one accuracy reaches the target. Accuracies are counts over the 10,000 test digits, so a tolerance far
     * below one digit (1e-4) keeps floating point from turning 99.40% into a miss against a target of 99.4 / 100.
     */
    public boolean reached(double accuracy) {
        return accuracy >= target - 1e-9;
    }

    /** The same criterion, up to floating point in the target (a manifest may hold 99.4 / 100 as 0.9940000000000001). */
    public boolean sameAs(DrillCriterion other) {
        return lastEpochs == other.lastEpochs && Math.abs(target - other.target) < 1e-9;
    }

    /** Whether a run of this length and size may count at all: at most 15 epochs, under 10,000 parameters. */
    public static boolean withinRules(int plannedEpochs, long trainableParams) {
        return plannedEpochs <= MAX_EPOCHS && trainableParams < PARAM_BUDGET;
    }

    /** The last K accuracies (fewer when fewer epochs completed). */
    public List<Double> lastWindow(List<Double> testAccuracies) {
        return testAccuracies.subList(Math.max(0, testAccuracies.size() - lastEpochs), testAccuracies.size());
    }

    /** "99.4% on each of the last 3 epochs", for tables and reports. */
    public String describe() {
        return String.format(Locale.ROOT, "%s%% on each of the last %d epochs", percent(target), lastEpochs);
    }

    /** A fraction as a percentage without trailing zeros: 0.994 -> "99.4", 0.9945 -> "99.45". */
    public static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(Math.round(fraction * 1e6) / 1e4).stripTrailingZeros().toPlainString();
    }
}
