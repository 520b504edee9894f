package dev.mnistdrill.cli;

import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingListener;
import dev.mnistdrill.train.TrainingResult;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a training so that Ctrl-C or a kill (SIGTERM) stops it after the current batch, and holds the JVM's exit until
 * the run folder says so: without the wait the JVM halted first, and summary.json still read RUNNING.
 */
final class ShutdownCancel {
    private ShutdownCancel() {
    }

    static TrainingResult run(Trainer trainer, TrainingListener listener) {
        return run(trainer::cancel, () -> trainer.run(listener));
    }

    /** The same for any cancellable work: {@code cancel} on shutdown, then wait up to 30 s for {@code work}. */
    static <T> T run(Runnable cancel, java.util.function.Supplier<T> work) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancel.run();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return work.get();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down (Ctrl-C): the work has saved what it completed
            }
        }
    }
}
