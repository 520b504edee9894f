package dev.mnistdrill.spark;

import dev.mnistdrill.data.MnistFile;
import dev.mnistdrill.train.MemberExecutor;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyTag;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Trains a study's members on Apache Spark: one job of one task per member ({@link MemberTask}), so that each run
 * comes back to the driver, and into its run folder, as soon as it is done; Spark spreads the tasks over its
 * executors, re-runs the task of a lost executor elsewhere and keeps one result per task. The driver ships the
 * verified MNIST files with {@code addFile}; executors never download. Runs get the same member ids, files and
 * verdict as a local study, and the same floats when {@code spark.task.cpus} is the local member's thread count (1).
 */
public final class SparkMemberExecutor implements MemberExecutor, AutoCloseable {
    /** How long to wait for a cluster's first executor before giving up. */
    static final int REGISTER_SECONDS = Integer.getInteger("mnistdrill.spark.registerSeconds", 90);

    private final JavaSparkContext spark;
    private final int taskCpus;
    private final String where;
    private final Map<JavaFutureAction<?>, Boolean> jobs = new ConcurrentHashMap<>();
    private volatile boolean cancelled;

    private SparkMemberExecutor(JavaSparkContext spark, int taskCpus, String where) {
        this.spark = spark;
        this.taskCpus = taskCpus;
        this.where = where;
    }

    /**
     * Connects to Spark and ships the MNIST files in {@code dataDir}; nothing is trained yet.
     *
     * @param master     a master URL (spark://host:port, local[N], yarn, ...), or null for the one spark-submit set
     * @param conf       further Spark settings, KEY=VALUE
     * @param appJars    the application's jars, shipped to the executors (spark.jars) unless Spark runs embedded or
     *                   spark-submit shipped them already
     * @throws IllegalStateException with a reason when the master cannot be reached, its version differs from this
     *                               one's, or no executor comes up
     */
    public static SparkMemberExecutor connect(String master, List<String> conf, Path dataDir, List<String> appJars,
                                              String appName, Consumer<String> say) {
        SparkSupport.requireSpark();
        SparkConf sc = new SparkConf().setAppName(appName);
        if (master != null) {
            sc.setMaster(master);
        }
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--spark-conf takes KEY=VALUE, not '" + kv + "'");
            }
            sc.set(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        if (!sc.contains("spark.master")) {
            throw new IllegalArgumentException("--spark needs a master URL (spark://host:7077, local[2], ...) unless "
                    + "the study runs under spark-submit");
        }
        int taskCpus = taskCpus(sc.get("spark.task.cpus", "1"));
        String url = sc.get("spark.master");
        checkReachable(url);
        boolean embedded = url.startsWith("local");
        if (!embedded && !sc.contains("spark.jars") && !appJars.isEmpty()) {
            sc.set("spark.jars", String.join(",", appJars));
        }
        say.accept("Starting Spark " + SparkSupport.version() + " against " + url + " ...");
        JavaSparkContext spark = new JavaSparkContext(sc);
        try {
            for (MnistFile f : MnistFile.values()) {
                spark.addFile(dataDir.resolve(f.fileName()).toString());
            }
            int cores = embedded ? spark.defaultParallelism() : waitForExecutors(spark, url);
            String versions = String.join(", ", spark.parallelize(range(Math.max(1, cores)), Math.max(1, cores))
                    .map(i -> SparkSupport.version()).distinct().collect());
            if (!versions.equals(SparkSupport.version())) {
                throw new IllegalStateException("the executors run Spark " + versions + ", this driver "
                        + SparkSupport.version() + ": use one version on both sides");
            }
            return new SparkMemberExecutor(spark, taskCpus, "on Spark at " + url + " (" + cores + " executor core(s), "
                    + "spark.task.cpus " + taskCpus + ")");
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
    }

    /** The native threads of each member: spark.task.cpus, a whole number of at least 1. */
    static int taskCpus(String value) {
        try {
            int cpus = Integer.parseInt(value.trim());
            if (cpus >= 1) {
                return cpus;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("spark.task.cpus must be a whole number of at least 1 (the native threads "
                + "each run trains on), not '" + value + "'");
    }

    private static List<Integer> range(int n) {
        List<Integer> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(i);
        }
        return list;
    }

    /** For spark://host:port[,host:port]: a master that does not even accept a connection fails here, at once. */
    static void checkReachable(String master) {
        if (!master.startsWith("spark://")) {
            return;
        }
        List<String> tried = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1).replaceAll("/.*", ""));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                return;
            } catch (IOException e) {
                tried.add(host + ":" + port + " (" + e.getMessage() + ")");
            }
        }
        throw new IllegalStateException("cannot reach the Spark master at " + String.join(", ", tried)
                + "; nothing was trained");
    }

    /** The executors' cores once at least one executor has registered. */
    private static int waitForExecutors(JavaSparkContext spark, String url) {
        long deadline = System.nanoTime() + REGISTER_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (spark.sc().isStopped()) {
                throw new IllegalStateException("the Spark master at " + url + " refused or dropped this study (a "
                        + "different Spark version? this driver is " + SparkSupport.version() + "); nothing was "
                        + "trained");
            }
            if (spark.sc().statusTracker().getExecutorInfos().length > 1) { // the driver is listed too
                return spark.defaultParallelism();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("no Spark executor came up at " + url + " within " + REGISTER_SECONDS + " s "
                + "(are workers running, with the cores and memory this study asks for? do they run Spark "
                + SparkSupport.version() + "?); nothing was trained");
    }

    @Override
    public int parallelRuns(int pending) {
        int slots = Math.max(1, spark.defaultParallelism() / Math.max(1, taskCpus));
        // a few queued beyond the free slots keep every executor busy as runs end
        return Math.max(1, Math.min(pending, slots * 2));
    }

    @Override
    public int threadsPerRun() {
        return taskCpus;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String train(Path folder, StudyTag tag, Consumer<String> reports) throws InterruptedException {
        if (cancelled) {
            return "cancelled";
        }
        String runId = folder.getFileName().toString();
        RunStore.LiveLock lock = RunStore.LiveLock.acquire(folder);
        if (!lock.acquired()) {
            return "another process holds it";
        }
        try {
            MemberTask task = new MemberTask(runId, Files.readString(folder.resolve(RunStore.CONFIG_FILE),
                    StandardCharsets.UTF_8), tag);
            spark.setJobGroup(runId, "MNIST Drill: train " + runId, true);
            JavaFutureAction<List<MemberTask.Result>> job = spark.parallelize(List.of(task), 1).map(MemberTask::run)
                    .collectAsync();
            jobs.put(job, Boolean.TRUE);
            if (cancelled) {
                job.cancel(true);
            }
            MemberTask.Result result;
            try {
                result = job.get().get(0);
            } catch (ExecutionException | CancellationException e) {
                return cancelled ? "cancelled" : "failed on Spark: " + rootMessage(e);
            } finally {
                jobs.remove(job);
            }
            RunStore.writeTrainedFiles(folder, result.files());
            return result.failure();
        } catch (IOException e) {
            return "cannot write what Spark sent back: " + e.getMessage();
        } finally {
            lock.release();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        int newline = m.indexOf('\n');
        return newline < 0 ? m : m.substring(0, newline);
    }

    @Override
    public void cancel() {
        cancelled = true;
        jobs.keySet().forEach(j -> j.cancel(true));
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** The application's jars for the executors: this JVM's class path, Spark's own jars left out. */
    public static List<String> applicationJars() {
        String sparkHome = System.getenv("SPARK_HOME");
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && (sparkHome == null || !Path.of(entry).toAbsolutePath()
                    .startsWith(Path.of(sparkHome).toAbsolutePath()))) {
                jars.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        return jars;
    }
}
