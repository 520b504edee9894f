package dev.mnistdrill.train;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Starts the process that trains one study member: this same program, run as {@code study-member}, with its native
 * thread count set through the environment. A process per run keeps runs apart (a crash or an out-of-memory ends one
 * run, not the study) and gives each its own OpenMP pool: two single-threaded code4 trainings side by side did
 * 1.36-1.55x the images/s of one using both cores on a 2-core machine.
 */
public final class MemberLauncher {
    /** The main class both the launchers and the member processes run. */
    static final String MAIN_CLASS = "dev.mnistdrill.app.Main";
    /** Heap and GC of a member: the headless training set-up of ./drill (1 GB, G1 with a 10 ms pause goal). */
    static final List<String> MEMBER_JVM_OPTIONS = List.of("-Xmx1g", "-XX:MaxGCPauseMillis=10");

    private final List<String> command;

    private MemberLauncher(List<String> command) {
        this.command = List.copyOf(command);
    }

    /**
     * Re-runs the running program's Java with its class path and JVM options, swapping heap, GC choice, JFR and agents
     * for a member's. The same in development and in the app image (whose jlinked runtime keeps {@code bin/java}),
     * on every OS.
     */
    public static MemberLauncher thisProgram() {
        return thisProgram(System.getProperty("java.class.path"));
    }

    /**
     * As {@link #thisProgram()}, on the given class path: a cluster executor loads the application's jars into a
     * class loader of its own, so its {@code java.class.path} lacks them.
     */
    public static MemberLauncher thisProgram(String classPath) {
        boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-Xmx") && !option.startsWith("-Xms") && !option.startsWith("-XX:+UseShenandoahGC")
                    && !option.startsWith("-XX:MaxGCPauseMillis") && !option.startsWith("-agentlib")
                    && !option.startsWith("-javaagent") && !option.startsWith("-Xlog")
                    && !option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-XX:ActiveProcessorCount")
                    && !option.startsWith("-Djava.class.path") && !option.startsWith("-Djpackage.")) {
                cmd.add(option);
            }
        }
        cmd.addAll(MEMBER_JVM_OPTIONS);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(MAIN_CLASS);
        return new MemberLauncher(cmd);
    }

    /**
     * The process that trains the run in {@code runFolder} for the attempt {@code attempt}, on {@code threads} native
     * threads (and as many CPUs for the JVM's own GC and JIT threads).
     */
    ProcessBuilder processFor(Path runFolder, String attempt, Path dataDir, int threads) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add(cmd.size() - 3, "-XX:ActiveProcessorCount=" + threads);
        cmd.add("study-member");
        cmd.add("--attempt");
        cmd.add(attempt);
        if (dataDir != null) {
            cmd.add("--data");
            cmd.add(dataDir.toString());
        }
        cmd.add(runFolder.toAbsolutePath().toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String n = String.valueOf(threads);
        pb.environment().put("OMP_NUM_THREADS", n);
        pb.environment().put("OPENBLAS_NUM_THREADS", n);
        return pb;
    }
}
