package dev.mnistdrill.cli;

import dev.mnistdrill.data.DataException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The headless commands. Exit codes: 0 ok, 1 failure, 2 bad arguments or settings, 3 data problem, 130 cancelled. */
@Command(name = "mnist-drill", mixinStandardHelpOptions = true, versionProvider = Version.class,
        scope = CommandLine.ScopeType.INHERIT,
        description = "MNIST Drill: train a <10k-parameter CNN to 99.4%% on MNIST, step by step.",
        subcommands = {TrainCommand.class, DoctorCommand.class, BenchCommand.class, SummaryCommand.class, PredictCommand.class,
                RunsCommand.class, StudyCommand.class, StudiesCommand.class, StudyMemberCommand.class})
public final class Cli implements Runnable {
    public static final int BAD_INPUT = 2;
    public static final int DATA_PROBLEM = 3;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Cli());
        ConfigOptions.addKnobOptions(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof DataException) {
                commandLine.getErr().println("Data problem: " + e.getMessage());
                return DATA_PROBLEM;
            }
            if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException) {
                commandLine.getErr().println("Error: " + e.getMessage());
                return BAD_INPUT;
            }
            if (e instanceof IllegalStateException) {
                commandLine.getErr().println("Error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
