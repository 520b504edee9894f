package dev.mnistdrill.train;

/**
 * Marks a run as a member of a study ({@code study-member.json} in the run folder): which study, which setting of its
 * grid, which seed, and, for a run the study found already trained, the run it was copied from. Otherwise a member is
 * an ordinary run.
 *
 * @param nativeThreads the native threads it trained on (its floats depend on them); null when not known (a run
 *                      copied from a plain training, or tagged before this was recorded)
 */
public record StudyTag(String studyId, String setting, long seed, String copiedFrom, String attempt,
                       Integer nativeThreads) implements java.io.Serializable {
    public StudyTag(String studyId, String setting, long seed) {
        this(studyId, setting, seed, null, null, null);
    }

    /**
     * The tag of a member about to be trained, with a fresh token the member process checks under the run's lock, so
     * that a process of an earlier attempt (its runner killed) can never write into the folder of a later one.
     */
    public static StudyTag forAttempt(String studyId, String setting, long seed, int nativeThreads) {
        return new StudyTag(studyId, setting, seed, null, java.util.UUID.randomUUID().toString(), nativeThreads);
    }

    /** The tag of a member copied from {@code source}, which trained the same settings and seed. */
    public static StudyTag copiedFrom(String studyId, String setting, long seed, RunRecord source) {
        return new StudyTag(studyId, setting, seed, source.id(), null,
                source.study() == null ? null : source.study().nativeThreads());
    }
}
