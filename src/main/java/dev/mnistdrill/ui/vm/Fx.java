package dev.mnistdrill.ui.vm;

import javafx.application.Platform;

/** The one boundary between worker threads and the JavaFX thread. */
public final class Fx {
    private Fx() {
    }

    /** Runs {@code action} on the FX thread: now when already there, else later. */
    public static void run(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    /** The message of an exception as a person should read it. */
    public static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
