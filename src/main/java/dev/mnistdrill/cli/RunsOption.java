package dev.mnistdrill.cli;

import dev.mnistdrill.data.AppDirs;
import dev.mnistdrill.train.RunStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --runs} option shared by the commands that read or write the run store. */
final class RunsOption {
    @Option(names = "--runs", description = "Runs folder (default: ~/.mnist-drill/runs).")
    Path runsDir;

    RunStore store() {
        return new RunStore(runsDir != null ? runsDir : AppDirs.runs());
    }
}
