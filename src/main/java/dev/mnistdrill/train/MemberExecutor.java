package dev.mnistdrill.train;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Where a study's members train. The {@link StudyRunner} decides what to train, prepares each member's run folder
 * (its config and its tag with a fresh attempt token) and hands it over; an executor trains it into that folder and
 * returns when the run is complete, stopped or failed. {@link LocalMemberExecutor} runs members as processes on this
 * machine; a cluster executor trains them elsewhere and writes what comes back into the folder.
 */
public interface MemberExecutor {
    /** How many members to train at once when {@code pending} are left. */
    int parallelRuns(int pending);

    /** The native threads each member trains on (its floats depend on them: see {@link StudyTag#nativeThreads}). */
    int threadsPerRun();

    /** Where the members train, for the study's plan line, e.g. "on this machine". */
    String where();

    /**
     * Trains the prepared run in {@code folder} and returns when it has ended, however it ended; progress lines
     * ({@link MemberProtocol}) go to {@code reports} as they come, from any thread.
     *
     * @return null, or what went wrong beyond what the run's own files say (e.g. "exit code 1")
     */
    String train(Path folder, StudyTag tag, Consumer<String> reports) throws InterruptedException;

    /** Asks every member in training, and every one handed over from now on, to stop after its current batch. */
    void cancel();
}
