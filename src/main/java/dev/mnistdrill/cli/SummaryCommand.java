package dev.mnistdrill.cli;

import dev.mnistdrill.model.Knob;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "summary", description = "Print the layer table and parameter counts of a config.")
public final class SummaryCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() {
        ExperimentConfig config = options.resolve().validated();
        Architecture.Summary s = config.summary();
        System.out.printf(Locale.ROOT, "%s: %s%n%n", config.name(), Knob.describe(config, Knob.Style.FULL));
        System.out.println(format(s));
        // Cross-check against DL4J's own count of the real network.
        long dl4j = NetworkFactory.build(config).numParams();
        System.out.printf(Locale.ROOT, "DL4J numParams(): %,d (%s)%n", dl4j,
                dl4j == s.dl4jNumParams() ? "matches trainable + BatchNorm running stats" : "MISMATCH");
        return 0;
    }

    static String format(Architecture.Summary s) {
        StringBuilder b = new StringBuilder();
        String line = "-".repeat(88) + "\n";
        b.append(line).append(String.format(Locale.ROOT, "%-38s %-14s %4s %4s %10s %9s%n", "Layer", "Output shape",
                "RF", "jump", "Trainable", "BN stats"));
        b.append(line);
        for (Architecture.LayerRow r : s.rows()) {
            b.append(String.format(Locale.ROOT, "%-38s %-14s %4d %4d %,10d %9s%n", r.name(), r.outputShape(),
                    r.receptiveField(), r.jump(), r.trainable(),
                    r.nonTrainable() == 0 ? "" : String.format(Locale.ROOT, "%,d", r.nonTrainable())));
        }
        b.append(line);
        b.append(String.format(Locale.ROOT, "Trainable params (PyTorch count): %,d  %s%n", s.trainable(),
                s.trainable() < DrillCriterion.PARAM_BUDGET ? "(under the 10,000 budget)" : "(OVER the 10,000 budget)"));
        b.append(String.format(Locale.ROOT, "BatchNorm running mean/var:       %,d (not trained; DL4J counts them)%n",
                s.nonTrainable()));
        b.append("Receptive field: ").append(s.receptiveFieldNote()).append('\n');
        return b.toString();
    }
}
