package dev.mnistdrill.model;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The settings a study can vary, by the names the command line uses for them ({@code --grid dropout=0,0.05}). Each
 * knob parses a value given as text, applies it to a config and reads it back, so that a grid value, the setting's
 * label and the config trained always agree.
 */
public enum Knob {
    DROPOUT("dropout", "dropout", c -> c.dropout(), (c, v) -> c.withDropout(number(v))),
    ROTATION("rotation", "rotation", c -> c.rotation(), (c, v) -> c.withRotation(number(v))),
    TRANSLATE("translate", "shift", c -> c.translate(), (c, v) -> c.withTranslate(number(v))),
    LR("lr", "learning rate", c -> c.learningRate(), (c, v) -> c.withLearningRate(number(v))),
    LR_STEP("lr-step", "LR step", c -> c.lrStep(), (c, v) -> c.withLrSchedule(integer(v), c.lrGamma())),
    LR_GAMMA("lr-gamma", "LR gamma", c -> c.lrGamma(), (c, v) -> c.withLrSchedule(c.lrStep(), number(v))),
    BATCH("batch", "batch size", c -> c.batchSize(), (c, v) -> c.withBatchSize(integer(v))),
    BN("bn", "BatchNorm", c -> c.batchNorm() ? "on" : "off", (c, v) -> c.withBatchNorm(onOff(v))),
    OPTIMIZER("optimizer", "optimizer", c -> c.optimizer().name().toLowerCase(Locale.ROOT),
            (c, v) -> c.withOptimizer(Optimizer.parse(v))),
    ARCH("arch", "architecture", c -> c.architecture(), (c, v) -> c.withArchitecture(v.trim())),
    EPOCHS("epochs", "epochs", c -> c.epochs(), (c, v) -> c.withEpochs(integer(v)));

    private final String cliName;
    private final String label;
    private final Function<ExperimentConfig, Object> reader;
    private final BiFunction<ExperimentConfig, String, ExperimentConfig> writer;

    Knob(String cliName, String label, Function<ExperimentConfig, Object> reader,
         BiFunction<ExperimentConfig, String, ExperimentConfig> writer) {
        this.cliName = cliName;
        this.label = label;
        this.reader = reader;
        this.writer = writer;
    }

    /** The name on the command line and in study manifests, e.g. "lr-step". */
    public String cliName() {
        return cliName;
    }

    /** The name in prose, e.g. "LR step". */
    public String label() {
        return label;
    }

    /** {@code config} with this knob set to {@code value}; an unparsable value is an IllegalArgumentException. */
    public ExperimentConfig apply(ExperimentConfig config, String value) {
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

    public static Knob byName(String name) {
        for (Knob k : values()) {
            if (k.cliName.equalsIgnoreCase(name.trim())) {
                return k;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Knob k : values()) {
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
