package dev.mnistdrill.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How the learning rate moves during a run. {@link #STEP} multiplies it by gamma every few epochs (drill step 4; with
 * a step of 0 it stays constant) and changes it only between epochs; {@link #ONE_CYCLE} changes it every step, as
 * PyTorch's {@code OneCycleLR} does with its defaults: from lr/25 up to lr over the first 30% of the steps, then down
 * to lr/250,000, both halves along a cosine. (PyTorch also cycles the momentum; here it stays at 0.9.)
 */
public enum LrSchedule {
    STEP("step"), ONE_CYCLE("onecycle");

    /** PyTorch's {@code pct_start}: the share of the steps spent warming up. */
    public static final double ONE_CYCLE_WARM_UP = 0.3;
    /** PyTorch's {@code div_factor}: the first rate is the peak divided by this. */
    public static final double ONE_CYCLE_START_DIVISOR = 25;
    /** PyTorch's {@code final_div_factor}: the last rate is the first divided by this. */
    public static final double ONE_CYCLE_END_DIVISOR = 1e4;

    private final String cliName;

    LrSchedule(String cliName) {
        this.cliName = cliName;
    }

    /** How it is typed, shown and written in a config's JSON: step, onecycle. */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }

    @JsonCreator
    public static LrSchedule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (LrSchedule s : values()) {
            if (s.cliName.equals(t)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown LR schedule '" + text.trim() + "' (use step or onecycle)");
    }

    /**
     * The one-cycle rate at step {@code step} (0-based) of {@code steps}, peaking at {@code peak}: PyTorch's
     * {@code OneCycleLR(max_lr=peak, total_steps=steps)} with cosine annealing, step for step.
     */
    public static double oneCycleRate(double peak, long step, long steps) {
        double start = peak / ONE_CYCLE_START_DIVISOR;
        double end = start / ONE_CYCLE_END_DIVISOR;
        double warmUpEnd = warmUpEnd(steps);
        double lastStep = steps - 1;
        if (step <= warmUpEnd) {
            return cosine(start, peak, warmUpEnd <= 0 ? 1 : step / warmUpEnd);
        }
        double span = lastStep - warmUpEnd;
        return cosine(peak, end, span <= 0 ? 1 : Math.min(1, (step - warmUpEnd) / span));
    }

    /** The step (0-based) at which a cycle of {@code steps} steps is at its peak, or the first past it. */
    public static long peakStep(long steps) {
        return (long) Math.ceil(warmUpEnd(steps));
    }

    /** Where PyTorch's warm-up phase ends, in its float arithmetic (not always a whole step). */
    private static double warmUpEnd(long steps) {
        return ONE_CYCLE_WARM_UP * steps - 1;
    }

    /** From {@code from} at 0 to {@code to} at 1 along half a cosine, as PyTorch's {@code _annealing_cos}. */
    private static double cosine(double from, double to, double progress) {
        return to + (from - to) / 2 * (1 + Math.cos(Math.PI * progress));
    }
}
