package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Lowers the scheduling priority of the calling thread, so that on a machine with few cores the JavaFX and render
 * threads get a core as soon as they wake up, while training still uses every cycle they leave.
 *
 * <p>Java thread priorities do nothing on Linux, but Linux gives each thread its own nice value, any thread may raise
 * its own, and threads it starts later inherit it: ND4J's native worker threads, which the training thread creates on
 * its first parallel operation, and the batch prefetch thread. Elsewhere (or without {@code renice}) this does
 * nothing.
 */
public final class BackgroundPriority {
    /** Nice 10 against the UI's 0: the scheduler weighs them about 1 to 10. */
    static final int NICENESS = 10;

    private BackgroundPriority() {
    }

    /** Returns whether the calling thread's nice value was raised. */
    public static boolean lowerCurrentThread() {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self) || Boolean.getBoolean("mnistdrill.normalPriority")) {
            return false;
        }
        try {
            // "/proc/thread-self" links to "<pid>/task/<tid>"; renice takes a thread id where it takes a pid.
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICENESS), "-p", tid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return renice.waitFor(5, TimeUnit.SECONDS) && renice.exitValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
