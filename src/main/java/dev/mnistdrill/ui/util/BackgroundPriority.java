package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lowers the scheduling priority of background threads (the training's, the JIT compiler's), so that on a machine
 * with few cores the JavaFX and render threads get a core as soon as they wake up, while the background still uses
 * every cycle they leave.
 *
 * <p>Java thread priorities do nothing on Linux, but Linux gives each thread its own nice value, any thread may raise
 * its own, and threads it starts later inherit it: ND4J's native worker threads, which the training thread creates on
 * its first parallel operation, and the batch prefetch thread. Elsewhere this does nothing; without
 * {@code renice} it does nothing and warns once.
 */
public final class BackgroundPriority {
    /** Nice 10 against the UI's 0: the scheduler weighs them about 1 to 10. */
    static final int NICENESS = 10;
    private static final System.Logger LOG = System.getLogger(BackgroundPriority.class.getName());
    /** Whether the missing {@code renice} was reported already: once is enough. */
    private static final AtomicBoolean MISSING_REPORTED = new AtomicBoolean();

    private BackgroundPriority() {
    }

    /** Returns whether the calling thread's nice value was raised. */
    public static boolean lowerCurrentThread() {
        if (Boolean.getBoolean("mnistdrill.normalPriority")) {
            return false;
        }
        return LinuxThreads.currentTid().map(BackgroundPriority::renice).orElse(false);
    }

    /**
     * Lowers the JVM's JIT compiler threads (and its code cache sweeper) like the training. They compile in bursts,
     * at a run's start, an epoch's end and a run's end, when new code runs on both the window's threads and the
     * training's; at nice 0 they took the CPU from the FX thread for 20-40 ms of such a frame (measured with
     * tools/measure/cpu-steal.py). The JIT still gets every cycle the window leaves. Compiler threads the JVM adds later
     * are started by these and inherit their nice value. Returns the number of threads lowered (0 where there is no
     * /proc, or with {@code -Dmnistdrill.normalJitPriority=true}, for comparisons).
     */
    public static int lowerJitCompilerThreads() {
        if (Boolean.getBoolean("mnistdrill.normalPriority") || Boolean.getBoolean("mnistdrill.normalJitPriority")) {
            return 0;
        }
        // names are cut at 15 characters: "C2 CompilerThre(ad0)"
        List<String> tids = LinuxThreads.tidsNamed(name -> name.startsWith("C1 CompilerThre")
                || name.startsWith("C2 CompilerThre") || name.equals("Sweeper thread"));
        // one at a time: a thread that ended meanwhile fails alone
        return (int) tids.stream().filter(BackgroundPriority::renice).count();
    }

    private static boolean renice(String tid) {
        try {
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICENESS), "-p", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            // util-linux's renice is on every usual Linux; without it the window shares the CPUs evenly with the
            // training, which works but stutters on a small machine, so say why once
            if (MISSING_REPORTED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "cannot run renice (" + e.getMessage()
                        + "): training and JIT threads keep the window's priority");
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
