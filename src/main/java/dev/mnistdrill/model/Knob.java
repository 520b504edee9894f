package dev.mnistdrill.model;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One descriptor per knob of an experiment: its command-line name, label, help, bounds, how to read it from a config,
 * set it from text and check it. Validation ({@link ExperimentConfig#problems()}), the command-line options' help,
 * study grids, the "changed from preset" text and the form's bounds and tooltips all come from here, so a knob is
 * described once.
 */
public enum Knob {
    NAME("name", "Name", Kind.TEXT,
            "Labels the run. A preset's name files the run under that drill step in the report.",
            null, c -> c.name(), (c, v) -> c.withName(v), false),
    ARCH("arch", "Architecture", Kind.TEXT,
            "Blocks: cN = 3x3 conv to N channels, tN = 1x1 transition, p = 2x2 max-pool, "
            + "gap = global average pool (last). E.g. \"c8 c16 p t8 c12 c16 c16 gap\".",
            null, c -> c.architecture(), (c, v) -> c.withArchitecture(v), true),
    BN("bn", "BatchNorm", Kind.SWITCH,
            "BatchNorm after every convolution (drill step 2): steadier, faster training. Its running "
            + "mean and variance are not counted as parameters here.",
            null, c -> c.batchNorm() ? "on" : "off", (c, v) -> c.withBatchNorm(onOff(v)), true),
    DROPOUT("dropout", "Dropout", Kind.DECIMAL,
            "The fraction of activations dropped at random while training, after every block but "
            + "the last (drill step 2). It narrows the gap between train and test accuracy. (DL4J's dropOut() takes "
            + "the fraction kept: the engine passes 1 minus this.)",
            new Range(0, true, ExperimentConfig.MAX_DROPOUT, true, 0.05, "Dropout rate must be between 0 and "
                    + ExperimentConfig.MAX_DROPOUT + " (it is the share of units dropped)"),
            c -> c.dropout(), (c, v) -> c.withDropout(number(v)), true),
    ROTATION("rotation", "Rotation", Kind.DECIMAL,
            "Each training digit is turned by a random angle within +- this many degrees, "
            + "anew every epoch (drill step 3: 5-7). Some test digits are slanted; see the Augmentation tab.",
            new Range(0, true, ExperimentConfig.MAX_ROTATION, true, 1, "Rotation must be between 0 and "
                    + (int) ExperimentConfig.MAX_ROTATION + " degrees"),
            c -> c.rotation(), (c, v) -> c.withRotation(number(v)), true),
    TRANSLATE("translate", "Shift", Kind.DECIMAL,
            "Each training digit is shifted by up to +- this many pixels, anew every epoch.",
            new Range(0, true, ExperimentConfig.MAX_TRANSLATE, true, 0.5, "Translation must be between 0 and "
                    + (int) ExperimentConfig.MAX_TRANSLATE + " pixels"),
            c -> c.translate(), (c, v) -> c.withTranslate(number(v)), true),
    OPTIMIZER("optimizer", "Optimizer", Kind.CHOICE,
            "SGD with Nesterov momentum 0.9, as the presets use, or Adam.",
            null, c -> c.optimizer() == null ? "" : c.optimizer().name().toLowerCase(Locale.ROOT),
            (c, v) -> c.withOptimizer(Optimizer.parse(v)), true),
    LR("lr", "Learning rate", Kind.DECIMAL,
            "The step size at the start of training; under one cycle, the peak it climbs to.",
            new Range(0, false, 1, true, 0, "Learning rate must be above 0 and at most 1"),
            c -> c.learningRate(), (c, v) -> c.withLearningRate(number(v)), true),
    LR_SCHEDULE("lr-schedule", "LR schedule", Kind.CHOICE,
            "How the learning rate moves. step: it is multiplied by gamma every LR step epochs (drill step 4; a step "
            + "of 0 keeps it constant). onecycle: as PyTorch's OneCycleLR, it climbs from lr/"
            + (int) LrSchedule.ONE_CYCLE_START_DIVISOR + " to lr over the first "
            + Math.round(100 * LrSchedule.ONE_CYCLE_WARM_UP) + "% of the steps, then falls along a cosine to almost 0 "
            + "at the last step, changing every step (the momentum stays at 0.9, where PyTorch cycles it); LR step "
            + "and gamma are then unused.",
            null, c -> c.lrSchedule().cliName(),
            (c, v) -> c.withLrSchedule(LrSchedule.parse(v)), true),
    LR_STEP("lr-step", "LR step", Kind.WHOLE,
            "Multiply the learning rate by gamma every this many epochs (drill step 4); 0 keeps "
            + "it constant. Unused under one cycle.",
            new Range(0, true, ExperimentConfig.MAX_EPOCHS, true, 1, "LR step must be 0 (off) to "
                    + ExperimentConfig.MAX_EPOCHS + " epochs"),
            c -> c.lrStep(), (c, v) -> c.withLrSchedule(integer(v), c.lrGamma()), true),
    LR_GAMMA("lr-gamma", "LR gamma", Kind.DECIMAL,
            "The factor of each LR step, e.g. 0.1. Unused under one cycle.",
            new Range(0, false, 1, true, 0, "LR gamma must be above 0 and at most 1"),
            c -> c.lrGamma(), (c, v) -> c.withLrSchedule(c.lrStep(), number(v)), true),
    WEIGHT_DECAY("weight-decay", "Weight decay", Kind.DECIMAL,
            "L2 regularisation: each step adds this times every weight to its gradient, as PyTorch's SGD "
            + "weight_decay does (e.g. 0.0005), pulling the weights towards 0. It acts on the convolutions' and the "
            + "output layer's weights, not on BatchNorm's scale and shift. With BatchNorm after every convolution, "
            + "smaller convolution weights compute the same, so there the decay works as a rising learning rate.",
            new Range(0, true, ExperimentConfig.MAX_WEIGHT_DECAY, true, 0, "Weight decay must be 0 (off) to "
                    + ExperimentConfig.MAX_WEIGHT_DECAY),
            c -> c.weightDecay(), (c, v) -> c.withWeightDecay(number(v)), true),
    BATCH("batch", "Batch size", Kind.WHOLE,
            "Digits per training step.",
            new Range(8, true, 2048, true, 1, "Batch size must be 8 to 2048"),
            c -> c.batchSize(), (c, v) -> c.withBatchSize(integer(v)), true),
    EPOCHS("epochs", "Epochs", Kind.WHOLE,
            "Passes over the training digits; the drill allows " + DrillCriterion.MAX_EPOCHS + ".",
            new Range(1, true, ExperimentConfig.MAX_EPOCHS, true, 1, "Epochs must be 1 to "
                    + ExperimentConfig.MAX_EPOCHS),
            c -> c.epochs(), (c, v) -> c.withEpochs(integer(v)), true),
    SEED("seed", "Seed", Kind.WHOLE,
            "Seeds the weights, the shuffling, the augmentation and dropout: the same seed repeats a run.",
            null, c -> c.seed(), (c, v) -> c.withSeed(Long.parseLong(v)), false),
    EMA("ema", "Averaging", Kind.DECIMAL,
            averagingHelp(),
            new Range(ExperimentConfig.MIN_EMA, true, ExperimentConfig.MAX_EMA, true, 0, "off",
                    "Averaging must be 0 (off) or a decay from "
                    + ExperimentConfig.MIN_EMA + " to " + ExperimentConfig.MAX_EMA),
            c -> c.ema(), (c, v) -> c.withEma(number(v)), true),
    SUBSET("subset", "Subset", Kind.WHOLE,
            "Train on the first N training digits only, for quick trials (0 = all 60,000). The test "
            + "set is always all 10,000.",
            new Range(ExperimentConfig.MIN_SUBSET, true, ExperimentConfig.MNIST_TRAINING_DIGITS, true, 1, "all",
                    "Subset must be 0 (all) or " + ExperimentConfig.MIN_SUBSET + " to "
                    + ExperimentConfig.MNIST_TRAINING_DIGITS + " digits"),
            c -> c.subset(), (c, v) -> c.withSubset(integer(v)), true);

    /** What kind of value a knob takes, so that a form knows how to read it from what the user typed. */
    public enum Kind {
        /** Free text (the name, the architecture). */
        TEXT,
        /** On or off. */
        SWITCH,
        /** One of a few named values. */
        CHOICE,
        /** A decimal number. */
        DECIMAL,
        /** A whole number. */
        WHOLE
    }

    /**
     * A numeric knob's bounds, each inclusive or not, the step a slider or spinner moves by (0: typed only), what 0
     * means when it is allowed outside the bounds (null: it is not; "off" for averaging, "all" for the subset), and
     * the sentence that says what is allowed.
     */
    public record Range(double min, boolean minIncluded, double max, boolean maxIncluded, double step,
                        String zeroMeans, String problem) {
        public Range(double min, boolean minIncluded, double max, boolean maxIncluded, double step, String problem) {
            this(min, minIncluded, max, maxIncluded, step, null, problem);
        }

        /** "0 to 0.5", "above 0, at most 1", "0 (off) or 0.9 to 0.9999": for help texts. */
        public String describe() {
            String bounds = (minIncluded ? fmt(min) + " to " + fmt(max) : "above " + fmt(min) + ", at most " + fmt(max))
                    .replace(" to ", maxIncluded ? " to " : " to below ");
            return zeroMeans == null ? bounds : "0 (" + zeroMeans + ") or " + bounds;
        }

        private static String fmt(double v) {
            return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }

        public boolean contains(double v) {
            return (zeroMeans != null && v == 0)
                    || (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
        }
    }

    private final String cliName;
    private final String label;
    private final Kind kind;
    private final String help;
    private final Range range;
    private final Function<ExperimentConfig, Object> reader;
    private final BiFunction<ExperimentConfig, String, ExperimentConfig> writer;
    private final boolean studyKnob;

    Knob(String cliName, String label, Kind kind, String help, Range range, Function<ExperimentConfig, Object> reader,
         BiFunction<ExperimentConfig, String, ExperimentConfig> writer, boolean studyKnob) {
        this.cliName = cliName;
        this.label = label;
        this.kind = kind;
        this.help = help;
        this.range = range;
        this.reader = reader;
        this.writer = writer;
        this.studyKnob = studyKnob;
    }

    /** The name on the command line ({@code --lr-step}) and in study grids and manifests, e.g. "lr-step". */
    public String cliName() {
        return cliName;
    }

    /** The name in the form and in prose, e.g. "LR step". */
    public String label() {
        return label;
    }

    /** What kind of value it takes. */
    public Kind kind() {
        return kind;
    }

    /** What the knob does, for tooltips and {@code --help}. */
    public String help() {
        return help;
    }

    /** Averaging's help, with the warm-up's figures for the drill's run (15 epochs at batch 128) worked out. */
    private static String averagingHelp() {
        long steps = (ExperimentConfig.MNIST_TRAINING_DIGITS + 127) / 128 * (long) DrillCriterion.MAX_EPOCHS;
        return String.format(Locale.ROOT, "Weight averaging: 0 = off; else the decay of an exponential moving average "
                + "of the weights (e.g. 0.999), which is tested and saved in their place. It warms up: step n uses at "
                + "most (1+n)/(10+n), so the average spans about the last tenth of the steps so far and reaches 0.999 "
                + "only at step %,d (%d epochs at batch 128 are %,d steps, where the warm-up is at %s: any decay "
                + "above that trains alike). It smooths the epochs' ups and downs; it adds no trainable parameters. "
                + "On a short run (a subset, a few epochs) the average lags behind the weights.",
                ExperimentConfig.averagingFullDecayStep(0.999), DrillCriterion.MAX_EPOCHS, steps,
                decayDown(ExperimentConfig.averagingDecayAt(0.999, steps)));
    }

    /** An averaging decay to 4 decimals, rounded down so that 0.99872 does not read as the 0.999 it falls short of. */
    public static String decayDown(double decay) {
        return new BigDecimal(decay).setScale(4, java.math.RoundingMode.DOWN).toPlainString();
    }

    /** The help and, for a number, what values it takes: the option's help and the field's tooltip. */
    public String helpWithRange() {
        return range == null ? help : help + " Allowed: " + range.describe() + ".";
    }

    /** The bounds of a numeric knob; null for the others. */
    public Range range() {
        return range;
    }

    /** Whether a study's grid may vary it (not the name, which labels, nor the seed, which studies repeat over). */
    public boolean isStudyKnob() {
        return studyKnob;
    }

    /** {@code config} with this knob set to {@code value}; an unparsable value is an IllegalArgumentException. */
    public ExperimentConfig apply(ExperimentConfig config, String value) {
        if (this == NAME) {
            return writer.apply(config, value == null ? "" : value.trim()); // a blank name is validation's to refuse
        }
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty value for " + cliName);
        }
        try {
            return writer.apply(config, value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value.trim() + "' is not a valid " + cliName + " value");
        }
    }

    /** The knob's value in {@code config}, as text that {@link #apply} takes back (0.05, 7, on, sgd). */
    public String valueOf(ExperimentConfig config) {
        Object v = reader.apply(config);
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        return String.valueOf(v);
    }

    /** What is wrong with this knob's value in {@code config}, or null. */
    public String problem(ExperimentConfig c) {
        if (!isUsedBy(c)) {
            return null;
        }
        return switch (this) {
            case ARCH -> {
                try {
                    Architecture.parse(c.architecture());
                    yield null;
                } catch (IllegalArgumentException e) {
                    yield "Architecture: " + e.getMessage();
                }
            }
            case OPTIMIZER -> c.optimizer() == null ? "Choose an optimizer (SGD or Adam)" : null;
            case NAME -> c.name() == null || c.name().isBlank()
                    ? "Name: give the experiment a name (it labels the run)" : null;
            case BN, SEED, LR_SCHEDULE -> null;
            default -> range.contains(((Number) reader.apply(c)).doubleValue()) ? null : range.problem();
        };
    }

    /** Whether training {@code c} reads this knob: one cycle ignores the LR step and gamma (the form greys them). */
    public boolean isUsedBy(ExperimentConfig c) {
        return !((this == LR_STEP || this == LR_GAMMA) && c.changesRateEveryStep());
    }

    /** Every problem of {@code c}, by knob, in knob order; empty when it can be trained. */
    public static Map<Knob, String> problems(ExperimentConfig c) {
        Map<Knob, String> problems = new EnumMap<>(Knob.class);
        for (Knob k : values()) {
            String p = k.problem(c);
            if (p != null) {
                problems.put(k, p);
            }
        }
        return problems;
    }

    /**
     * How {@code c} differs from {@code preset}, one "label value (preset value)" per knob that differs; the name and
     * seed are left out (another seed is the same experiment, repeated).
     */
    public static List<String> changes(ExperimentConfig c, ExperimentConfig preset) {
        List<String> changes = new ArrayList<>();
        for (Knob k : values()) {
            if (k == NAME || k == SEED) {
                continue;
            }
            String now = k.shown(c);
            String was = k.shown(preset);
            if (!now.equals(was)) {
                changes.add(k.label().toLowerCase(Locale.ROOT).replace("batchnorm", "BatchNorm")
                        .replace("lr ", "LR ") + " " + now + " (preset " + was + ")");
            }
        }
        return changes;
    }

    private String shown(ExperimentConfig c) {
        return this == SUBSET && c.subset() == 0 ? "all" : valueOf(c);
    }

    /** How a line of settings reads: in full for the console, or brief for a table cell. */
    public enum Style {
        FULL, BRIEF
    }

    /**
     * How this knob reads in a line of settings, or null when it adds nothing there: a shift of 0, the name, and the
     * optimizer and LR schedule, which read with the learning rate ("sgd lr 0.05 x0.1 every 7 epochs"). The brief
     * style leaves out what a table shows in columns of its own (architecture, epochs, seed).
     */
    public String phrase(ExperimentConfig c, Style style) {
        boolean full = style == Style.FULL;
        return switch (this) {
            case NAME, OPTIMIZER, LR_SCHEDULE, LR_STEP, LR_GAMMA -> null;
            case ARCH -> full ? "arch [" + c.architecture() + "]" : null;
            case BN -> full ? "BN " + valueOf(c) : c.batchNorm() ? "BN" : "no BN";
            case DROPOUT -> String.format(Locale.ROOT, full ? "dropout %.2f" : "drop %.2f", c.dropout());
            case ROTATION -> full ? String.format(Locale.ROOT, "rotation +-%.0f deg", c.rotation())
                    : c.rotation() > 0 ? String.format(Locale.ROOT, "rot ±%.0f°", c.rotation()) : null;
            case TRANSLATE -> c.translate() <= 0 ? null
                    : String.format(Locale.ROOT, full ? "shift +-%.1f px" : "shift ±%.1f", c.translate());
            case LR -> (c.optimizer() == null ? "?" : OPTIMIZER.valueOf(c)) + (full ? " lr " : " ") + LR.valueOf(c)
                    + (c.changesRateEveryStep() ? (full ? " in one cycle" : " 1cycle")
                    : c.lrStep() <= 0 ? "" : full ? " x" + LR_GAMMA.valueOf(c) + " every " + c.lrStep() + " epochs"
                    : " ×" + LR_GAMMA.valueOf(c) + "/" + c.lrStep() + " ep");
            case BATCH -> (full ? "batch " : "bs ") + c.batchSize();
            case EPOCHS -> full ? c.epochs() + " epochs" : null;
            case SEED -> full ? "seed " + c.seed() : null;
            case SUBSET -> c.subset() > 0 ? "subset " + c.subset() : null;
            case EMA -> c.averagesWeights() ? "EMA " + valueOf(c) : null;
            case WEIGHT_DECAY -> c.weightDecay() > 0 ? (full ? "weight decay " : "wd ") + valueOf(c) : null;
        };
    }

    /** The settings of {@code c} on one line, knob by knob ({@link #phrase}), without those in {@code leftOut}. */
    public static String describe(ExperimentConfig c, Style style, Knob... leftOut) {
        List<Knob> skip = List.of(leftOut);
        List<String> phrases = new ArrayList<>();
        for (Knob k : values()) {
            String p = skip.contains(k) ? null : k.phrase(c, style);
            if (p != null) {
                phrases.add(p);
            }
        }
        return String.join(", ", phrases);
    }

    /** The knobs a study's grid may vary, those most often varied first (the drill's own steps). */
    public static List<Knob> studyKnobs() {
        return List.of(DROPOUT, ROTATION, TRANSLATE, LR, LR_SCHEDULE, LR_STEP, LR_GAMMA, BATCH, BN, OPTIMIZER, EMA,
                WEIGHT_DECAY, ARCH, EPOCHS, SUBSET);
    }

    public static Knob byName(String name) {
        for (Knob k : values()) {
            if (k.cliName.equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Knob k : studyKnobs()) {
            names.append(names.isEmpty() ? "" : ", ").append(k.cliName);
        }
        throw new IllegalArgumentException("unknown knob '" + name.trim() + "' (choose from " + names + ")");
    }

    private static double number(String v) {
        return Double.parseDouble(v);
    }

    private static int integer(String v) {
        return Integer.parseInt(v);
    }

    private static boolean onOff(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("'" + v + "' is not a valid bn value (use on or off)");
        };
    }
}
