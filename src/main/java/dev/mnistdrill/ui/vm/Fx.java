package dev.mnistdrill.ui.vm;

import dev.mnistdrill.ui.util.FrameQueue;
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

    /**
     * Keeps {@code target} equal to {@code source}, but applies each change a frame later, through the window's
     * {@code frames}: for changes that make JavaFX restyle many nodes, so that they do not land in the same frame as
     * the change that caused them.
     */
    public static void followAFrameLater(javafx.beans.property.BooleanProperty target,
                                         javafx.beans.value.ObservableBooleanValue source, FrameQueue frames) {
        target.set(source.get());
        source.addListener((o, was, now) -> {
            // the frame that shows the cause first, then the one after it
            frames.skipFrames(1);
            frames.submit(() -> target.set(source.get()));
        });
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
