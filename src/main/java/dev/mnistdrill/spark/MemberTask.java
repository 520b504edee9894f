package dev.mnistdrill.spark;

import dev.mnistdrill.data.MnistFile;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.LocalMemberExecutor;
import dev.mnistdrill.train.MemberLauncher;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyTag;
import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;

/**
 * One study member as a Spark task: on an executor, it finds the MNIST files the driver shipped, prepares the member's
 * run folder in a temporary directory, trains it exactly as a local study does (a {@code study-member}
 * process, through {@link LocalMemberExecutor}, on the task's {@code spark.task.cpus} native threads) and returns the
 * run's files to the driver. Deterministic: Spark may run it twice (a retry, a lost executor), and either copy's
 * files are the same run.
 *
 * @param configJson the member's config, as in its run folder
 * @param tag        the member's tag (study, setting, seed, attempt, threads), as in its run folder
 */
record MemberTask(String runId, String configJson, StudyTag tag) implements Serializable {

    /** What comes back: the run's files by name, or why there are none. */
    record Result(String runId, Map<String, byte[]> files, String failure) implements Serializable {
    }

    Result run() throws IOException, InterruptedException {
        Path dataDir = shippedData();
        Path scratch = Files.createTempDirectory("mnist-drill-task-");
        try {
            ExperimentConfig config = ExperimentConfig.fromJson(configJson);
            Path folder = new RunStore(scratch).createMember(runId, config, tag);
            int threads = TaskContext.get() == null ? 1 : TaskContext.get().cpus();
            LocalMemberExecutor local = new LocalMemberExecutor(dataDir, 1,
                    MemberLauncher.thisProgram(classPathOfThisJvm()), threads);
            String detail = local.train(folder, tag, line -> { });
            Map<String, byte[]> files = RunStore.trainedFiles(folder);
            boolean finished = RunStore.read(folder).finishedAllEpochs();
            return new Result(runId, files, finished ? null : detail + " on " + hostName());
        } finally {
            deleteQuietly(scratch);
        }
    }

    /**
     * The folder Spark put the driver's MNIST files in. Their SHA-256 is checked where every data folder is checked:
     * the member process's {@code --data} load, before it trains (a damaged file ends the run with that reason).
     */
    static Path shippedData() throws IOException {
        Path dir = null;
        for (MnistFile f : MnistFile.values()) {
            Path file = Path.of(SparkFiles.get(f.fileName()));
            if (!Files.isRegularFile(file)) {
                throw new IOException(f.fileName() + " did not arrive on " + hostName() + " (" + file + ")");
            }
            dir = file.getParent();
        }
        return dir;
    }

    /**
     * This JVM's class path as a member process needs it: an executor loads the application's jars (shipped with
     * spark.jars) into a class loader of its own, so they come first, then {@code java.class.path}.
     */
    static String classPathOfThisJvm() {
        Set<String> entries = new LinkedHashSet<>();
        addCodeSource(entries, MemberTask.class);
        for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    addFileUrl(entries, url);
                }
            }
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void addCodeSource(Set<String> entries, Class<?> type) {
        if (type.getProtectionDomain().getCodeSource() != null) {
            addFileUrl(entries, type.getProtectionDomain().getCodeSource().getLocation());
        }
    }

    private static void addFileUrl(Set<String> entries, URL url) {
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                entries.add(Path.of(url.toURI()).toString());
            } catch (URISyntaxException | IllegalArgumentException ignored) {
                // not a local file: a member process could not use it anyway
            }
        }
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this executor";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary folder: the OS cleans it up in the end
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // as above
        }
    }
}
