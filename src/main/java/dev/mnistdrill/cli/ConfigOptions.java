package dev.mnistdrill.cli;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.Presets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The experiment options shared by train, study, bench and summary: a preset or config file, then one option per
 * knob, made from the knobs' descriptors ({@link Knob}: name, help, bounds, how a value is read), so that the command
 * line, the form and validation describe each knob once.
 */
public final class ConfigOptions {
    @Option(names = "--preset", defaultValue = "code4", completionCandidates = PresetNames.class,
            description = "Drill step or preset: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String preset;

    /** The presets' names, for the help: listed where they are defined. */
    static final class PresetNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Presets.names().iterator();
        }
    }

    @Option(names = "--config", description = "Start from a config JSON file instead of a preset.")
    Path configFile;

    /** The knobs given on the command line, with their values as typed (BatchNorm's as on/off). */
    private final Map<Knob, String> given = new EnumMap<>(Knob.class);

    /** Adds the knob options to every command of {@code root} that mixes these options in. */
    static void addKnobOptions(CommandLine root) {
        for (CommandLine command : root.getSubcommands().values()) {
            for (CommandSpec mixin : command.getCommandSpec().mixins().values()) {
                if (mixin.userObject() instanceof ConfigOptions options) {
                    options.addKnobOptionsTo(command.getCommandSpec());
                }
            }
        }
    }

    private void addKnobOptionsTo(CommandSpec command) {
        for (Knob k : Knob.values()) {
            String help = k.helpWithRange().replace("%", "%%"); // picocli formats descriptions: "30%" is not literal
            OptionSpec.Builder option = OptionSpec.builder("--" + k.cliName()).description(help)
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (value != null) { // picocli first resets every option to its default: none
                                given.put(k, value instanceof Boolean on ? (on ? "on" : "off") : value.toString());
                            }
                            return null;
                        }
                    });
            if (k.kind() == Knob.Kind.SWITCH) {
                option.negatable(true).arity("0").type(Boolean.class);
            } else {
                option.paramLabel("<" + k.cliName() + ">").arity("1").type(String.class);
            }
            command.addOption(option.build());
        }
    }

    /** Whether the command line set this knob. */
    public boolean has(Knob knob) {
        return given.containsKey(knob);
    }

    /** The config these options describe; not yet validated (a value that is not even a number is refused here). */
    public ExperimentConfig resolve() {
        ExperimentConfig c;
        if (configFile != null) {
            try {
                c = ExperimentConfig.fromJson(Files.readString(configFile));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + configFile + ": " + e.getMessage(), e);
            }
        } else {
            c = Presets.get(preset);
        }
        for (Map.Entry<Knob, String> e : given.entrySet()) {
            c = e.getKey().apply(c, e.getValue());
        }
        return c;
    }
}
