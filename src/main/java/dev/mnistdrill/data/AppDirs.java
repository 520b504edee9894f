package dev.mnistdrill.data;

import java.nio.file.Path;

/**
 * Per-user folders. {@code MNIST_DRILL_HOME} moves everything (runs and cache) elsewhere, e.g. for tests;
 * otherwise runs live in ~/.mnist-drill/runs and the data cache follows XDG ($XDG_CACHE_HOME or ~/.cache).
 */
public final class AppDirs {
    public static final String HOME_ENV = "MNIST_DRILL_HOME";
    public static final String HOME_PROPERTY = "mnistdrill.home";

    private AppDirs() {
    }

    private static Path override() {
        String value = System.getProperty(HOME_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(HOME_ENV);
        }
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    public static Path home() {
        Path override = override();
        return override != null ? override : Path.of(System.getProperty("user.home"), ".mnist-drill");
    }

    public static Path runs() {
        return home().resolve("runs");
    }

    public static Path dataCache() {
        Path override = override();
        if (override != null) {
            return override.resolve("cache").resolve("mnist");
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mnist-drill").resolve("mnist");
    }
}
