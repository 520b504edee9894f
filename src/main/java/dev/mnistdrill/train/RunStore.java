package dev.mnistdrill.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mnistdrill.model.ExperimentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Runs on disk, one folder each: {@code config.json}, {@code metrics.csv} (a row per epoch, appended and flushed),
 * {@code layer-stats.csv} (a row per convolution and epoch; runs made before it have none), {@code summary.json},
 * {@code model.zip} (with updater state) and {@code notes.json}. Every file but the append-only CSVs is replaced
 * atomically, so a run killed at any point leaves what it completed readable.
 */
public final class RunStore {
    public static final String CONFIG_FILE = "config.json";
    public static final String METRICS_FILE = "metrics.csv";
    public static final String SUMMARY_FILE = "summary.json";
    public static final String MODEL_FILE = "model.zip";
    public static final String NOTES_FILE = "notes.json";
    /** Per convolution and epoch: see {@link LayerStat}. */
    public static final String LAYER_STATS_FILE = "layer-stats.csv";
    /** Present in the runs of a study: see {@link StudyTag}. */
    public static final String STUDY_TAG_FILE = "study-member.json";
    /** Held (OS file lock) by the process training the run; a RUNNING run without a holder was interrupted. */
    public static final String LOCK_FILE = ".training.lock";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    public RunStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Creates the folder of a new run and writes its config. */
    public Path create(ExperimentConfig config) {
        try {
            Files.createDirectories(root);
            String base = LocalDateTime.now().format(ID_TIME) + "-" + config.name().replaceAll("[^A-Za-z0-9_.-]", "_");
            Path folder = root.resolve(base);
            for (int i = 2; Files.exists(folder); i++) {
                folder = root.resolve(base + "-" + i);
            }
            Files.createDirectories(folder);
            writeAtomically(folder.resolve(CONFIG_FILE), config.toJson());
            Files.writeString(folder.resolve(METRICS_FILE), EpochMetrics.CSV_HEADER + "\n", StandardCharsets.UTF_8);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run folder under " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the folder of a study's member under its deterministic id, with its config and study tag. Refuses an id
     * that exists: the study runner decides first whether an existing run is kept or set aside.
     */
    public Path createMember(String runId, ExperimentConfig config, StudyTag tag) {
        try {
            Files.createDirectories(root);
            Path folder = root.resolve(runId);
            Files.createDirectory(folder);
            writeAtomically(folder.resolve(CONFIG_FILE), config.toJson());
            write(folder.resolve(STUDY_TAG_FILE), tag);
            Files.writeString(folder.resolve(METRICS_FILE), EpochMetrics.CSV_HEADER + "\n", StandardCharsets.UTF_8);
            return folder;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalStateException("run " + runId + " exists already in " + root, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run " + runId + " under " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives a study the completed run {@code source} under the member id {@code runId}: its files are copied (a few
     * hundred KB) with the study's tag added, and the source stays as it was. So a study that needs a run some other
     * study (or a plain training) already did keeps it instead of training it again.
     */
    public Path adoptAsMember(RunRecord source, String runId, String name, StudyTag tag) {
        Path folder = root.resolve(runId);
        try {
            Path tmp = Files.createTempDirectory(root, ".adopting-");
            try (Stream<Path> files = Files.list(source.folder())) {
                for (Path from : files.filter(RunStore::isTrainedFile).toList()) {
                    Files.copy(from, tmp.resolve(from.getFileName().toString()));
                }
            }
            // The copy is the member: its own id and its study's name (where it came from is in the tag)
            writeAtomically(tmp.resolve(CONFIG_FILE), source.config().withName(name).toJson());
            write(tmp.resolve(SUMMARY_FILE), source.summary().as(runId, name));
            write(tmp.resolve(STUDY_TAG_FILE), tag);
            Files.move(tmp, folder);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy run " + source.id() + " into the study as " + runId + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code file} is one of the files a training leaves in its run folder (config, metrics, layer statistics,
     * summary, model, notes, log): what a copy of the run takes and a cluster task sends back. A study tag, the lock
     * and unfinished writes are not.
     */
    private static boolean isTrainedFile(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && !name.equals(STUDY_TAG_FILE) && !name.equals(LOCK_FILE)
                && !name.startsWith(".") && !name.endsWith(".part");
    }

    /** The {@link #isTrainedFile trained files} of a run folder, by name: what a cluster task sends back. */
    public static Map<String, byte[]> trainedFiles(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path f : list.filter(RunStore::isTrainedFile).toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return files;
    }

    /**
     * Fills a prepared member folder with the {@link #trainedFiles} of the same member trained elsewhere, each file
     * written whole or not at all, the summary last (a run reads as finished only once everything is there).
     */
    public static void writeTrainedFiles(Path folder, Map<String, byte[]> files) throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String name = e.getKey();
            if (name.contains("/") || name.contains("\\") || name.startsWith(".") || name.equals(STUDY_TAG_FILE)) {
                throw new IOException("refusing a run file named '" + name + "'");
            }
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            if (!e.getKey().equals(SUMMARY_FILE)) {
                writeAtomically(folder.resolve(e.getKey()), e.getValue());
            }
        }
        if (files.containsKey(SUMMARY_FILE)) {
            writeAtomically(folder.resolve(SUMMARY_FILE), files.get(SUMMARY_FILE));
        }
    }

    public static void appendMetrics(Path folder, EpochMetrics metrics) {
        try {
            Files.writeString(folder.resolve(METRICS_FILE), metrics.toCsv() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends one epoch's layer statistics (the file and its header are created by the first). */
    public static void appendLayerStats(Path folder, List<LayerStat> stats) {
        Path file = folder.resolve(LAYER_STATS_FILE);
        StringBuilder rows = new StringBuilder();
        if (!Files.exists(file)) {
            rows.append(LayerStat.CSV_HEADER).append('\n');
        }
        for (LayerStat stat : stats) {
            rows.append(stat.toCsv()).append('\n');
        }
        try {
            Files.writeString(file, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run's layer statistics in the order written; empty for a run trained before they were recorded. A row cut
     * short by a crash ends the list.
     */
    public static List<LayerStat> readLayerStats(Path folder) {
        Path file = folder.resolve(LAYER_STATS_FILE);
        try {
            return readRows(file, LayerStat::fromCsv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static void writeSummary(Path folder, RunSummary summary) {
        write(folder.resolve(SUMMARY_FILE), summary);
    }

    public static void writeNotes(Path folder, RunNotes notes) {
        write(folder.resolve(NOTES_FILE), notes);
    }

    /** Saves the network with its updater state, replacing the previous model only once the new one is complete. */
    public static void saveModel(Path folder, MultiLayerNetwork network) {
        try {
            Path tmp = Files.createTempFile(folder, "model", ".part");
            ModelSerializer.writeModel(network, tmp.toFile(), true);
            move(tmp, folder.resolve(MODEL_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model in " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Loads a run's model; a missing or broken file gives a message that names it. */
    public static MultiLayerNetwork loadModel(Path modelFile) {
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("no model at " + modelFile);
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(modelFile.toFile(), false);
        } catch (Exception | ExceptionInInitializerError e) {
            throw new IllegalArgumentException(modelFile + " is not a readable MNIST Drill model ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
    }

    /** The model file of a run given as a run id, a run folder or a model file. */
    public Path resolveModel(String runOrFile) {
        Path given = Path.of(runOrFile);
        if (Files.isRegularFile(given)) {
            return given;
        }
        if (Files.isDirectory(given)) {
            return given.resolve(MODEL_FILE);
        }
        Path byId = root.resolve(runOrFile);
        if (Files.isDirectory(byId)) {
            return byId.resolve(MODEL_FILE);
        }
        throw new IllegalArgumentException("no run or model file '" + runOrFile + "' (runs live in " + root + ")");
    }

    /** Where {@link #remove} puts runs: beside the runs folder, out of the table but not gone. */
    public Path removedRoot() {
        return root.toAbsolutePath().normalize().resolveSibling("removed-runs");
    }

    /**
     * Takes a run out of the store by moving its folder to {@link #removedRoot()}, whence the user can move it back
     * (nothing is deleted). Refuses a folder that is not one of this store's runs, and a run a live process is
     * training. Returns where the run went.
     */
    public Path remove(Path folder) {
        Path run = folder.toAbsolutePath().normalize();
        if (!root.toAbsolutePath().normalize().equals(run.getParent()) || !Files.isDirectory(run)) {
            throw new IllegalArgumentException(folder.getFileName() + " is not a run in " + root);
        }
        if (LiveLock.isHeld(run)) {
            throw new IllegalStateException(run.getFileName() + " is training now; stop it first");
        }
        try {
            Files.createDirectories(removedRoot());
            Path target = removedRoot().resolve(run.getFileName());
            for (int i = 2; Files.exists(target); i++) {
                target = removedRoot().resolve(run.getFileName() + "-" + i);
            }
            return Files.move(run, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + run.getFileName() + " out of the runs: " + e.getMessage(),
                    e);
        }
    }

    /** Every readable run, newest first. Unreadable folders are reported to {@code problems} and skipped. */
    public List<RunRecord> list(Consumer<String> problems) {
        List<RunRecord> runs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return runs;
        }
        try (var folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory)
                    .filter(f -> !f.getFileName().toString().startsWith(".")) // a copy still being made
                    .sorted(Comparator.reverseOrder()).toList()) {
                try {
                    runs.add(read(folder));
                } catch (RuntimeException e) {
                    problems.accept(folder.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.accept("cannot list " + root + ": " + e.getMessage());
        }
        return runs;
    }

    /** Reads one run. A missing summary (a run killed before its first epoch) is rebuilt from the metrics. */
    public static RunRecord read(Path folder) {
        try {
            Path configFile = folder.resolve(CONFIG_FILE);
            if (!Files.isRegularFile(configFile)) {
                throw new IllegalArgumentException("not a run (no " + CONFIG_FILE + ")");
            }
            ExperimentConfig config = ExperimentConfig.fromJson(Files.readString(configFile));
            List<EpochMetrics> epochs = readMetrics(folder.resolve(METRICS_FILE));
            Path summaryFile = folder.resolve(SUMMARY_FILE);
            RunSummary summary = Files.isRegularFile(summaryFile)
                    ? JSON.readValue(summaryFile.toFile(), RunSummary.class)
                    : RunSummary.of(folder.getFileName().toString(), config.name(), TrainingStatus.INTERRUPTED,
                    config.summary().trainable(), config.summary().dl4jNumParams(), epochs, config.epochs(), 0,
                    "", "run ended before its first summary");
            summary = summary.rejudged(epochs);
            if (summary.status() == TrainingStatus.RUNNING && !LiveLock.isHeld(folder)) {
                summary = RunSummary.of(summary.runId(), summary.name(), TrainingStatus.INTERRUPTED,
                        summary.trainableParams(), summary.dl4jParams(), epochs, summary.epochsPlanned(),
                        summary.seconds(), summary.startedAt(), "the training process ended without finishing");
            }
            Path notesFile = folder.resolve(NOTES_FILE);
            RunNotes notes = Files.isRegularFile(notesFile) ? JSON.readValue(notesFile.toFile(), RunNotes.class)
                    : RunNotes.EMPTY;
            StudyTag study = readStudyTag(folder);
            return new RunRecord(folder, config, epochs, summary, notes, study);
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable run: " + e.getMessage(), e);
        }
    }

    private static List<EpochMetrics> readMetrics(Path file) throws IOException {
        return readRows(file, EpochMetrics::fromCsv);
    }

    /**
     * The rows of one of a run's CSV files (header and blank lines skipped); empty when there is no file. A row cut
     * short by a crash ends the list: the complete rows before it are kept.
     */
    private static <T> List<T> readRows(Path file, Function<String, T> parse) throws IOException {
        List<T> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return rows;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("epoch")) {
                continue;
            }
            try {
                rows.add(parse.apply(line));
            } catch (RuntimeException e) {
                break;
            }
        }
        return rows;
    }

    /** The study tag of a run folder, or null for a run trained on its own. */
    public static StudyTag readStudyTag(Path folder) throws IOException {
        Path tagFile = folder.resolve(STUDY_TAG_FILE);
        return Files.isRegularFile(tagFile) ? JSON.readValue(tagFile.toFile(), StudyTag.class) : null;
    }

    /** The OS-level lock that marks a run as being trained right now by a live process. */
    public static final class LiveLock {
        /**
         * The runs this process holds. {@link #isHeld} answers for them without opening the lock file: on Linux
         * (POSIX record locks) closing any descriptor of a file drops every lock the process has on it, so probing
         * our own lock would release it, and another process (the CLI, a second window) would then take a live run
         * for an interrupted one.
         */
        private static final java.util.Set<Path> HELD_HERE = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private final FileChannel channel;
        private final FileLock lock;
        private final Path folder;
        private final boolean acquired;

        private LiveLock(FileChannel channel, FileLock lock, Path folder, boolean acquired) {
            this.channel = channel;
            this.lock = lock;
            this.folder = folder;
            this.acquired = acquired;
        }

        public static LiveLock acquire(Path folder) {
            Path key = folder.toAbsolutePath().normalize();
            if (HELD_HERE.contains(key)) {
                return new LiveLock(null, null, key, false); // opening the file again would drop our own lock
            }
            try {
                FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close(); // another process holds it; we hold nothing on this file to lose
                    return new LiveLock(null, null, key, false);
                }
                HELD_HERE.add(key);
                return new LiveLock(channel, lock, key, true);
            } catch (IOException e) {
                // no locking on this file system: runs read back as they were
                return new LiveLock(null, null, key, true);
            }
        }

        /** False when another process (or another part of this one) holds the lock already. */
        public boolean acquired() {
            return acquired;
        }

        public void release() {
            if (!acquired) {
                return;
            }
            HELD_HERE.remove(folder);
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }

        static boolean isHeld(Path folder) {
            if (HELD_HERE.contains(folder.toAbsolutePath().normalize())) {
                return true; // this process is training it
            }
            Path file = folder.resolve(LOCK_FILE);
            if (!Files.exists(file)) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                FileLock probe = channel.tryLock();
                if (probe == null) {
                    return true; // another process holds it
                }
                probe.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true; // this process is training it (acquired under another path)
            } catch (IOException e) {
                return true; // cannot tell: do not call a live run interrupted
            }
        }
    }

    private static void write(Path file, Object value) {
        try {
            writeAtomically(file, JSON.writeValueAsString(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAtomically(Path file, String content) throws IOException {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        Files.write(tmp, content);
        move(tmp, file);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
