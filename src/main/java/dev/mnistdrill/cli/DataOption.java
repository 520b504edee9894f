package dev.mnistdrill.cli;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistRepository;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option shared by the commands that need MNIST; loading reports progress on stderr. */
final class DataOption {
    @Option(names = "--data", description = "Folder with the four MNIST IDX files (raw or .gz).")
    Path dataDir;

    MnistData load() {
        return MnistRepository.standard(dataDir, (message, fraction) -> System.err.println(message)).load();
    }
}
