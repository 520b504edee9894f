package dev.mnistdrill.ui.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * This process's threads as Linux sees them, for the util-linux commands that take a thread id where they take a
 * pid ({@code renice}, {@code taskset}). Off Linux (no /proc) there are none.
 */
final class LinuxThreads {
    private LinuxThreads() {
    }

    /** The calling thread's id: "/proc/thread-self" links to "&lt;pid&gt;/task/&lt;tid&gt;". */
    static Optional<String> currentTid() {
        Path self = Path.of("/proc/thread-self");
        if (!Files.exists(self)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readSymbolicLink(self).getFileName().toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Ids of this process's threads whose Linux name matches {@code name}. Linux keeps a thread's name cut at 15
     * characters ("C2 CompilerThre", "JavaFX Applicat"); HotSpot gives it the Java name.
     */
    static List<String> tidsNamed(Predicate<String> name) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return List.of();
        }
        List<String> tids = new ArrayList<>();
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) all::iterator) {
                try {
                    if (name.test(Files.readString(task.resolve("comm")).strip())) {
                        tids.add(task.getFileName().toString());
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
        return tids;
    }
}
