package dev.mnistdrill.train;

/**
 * Marks a run as a member of a study ({@code study-member.json} in the run folder): which study, which setting of its
 * grid, which seed, and, for a run the study found already trained, the run it was copied from. Otherwise a member is
 * an ordinary run.
 */
public record StudyTag(String studyId, String setting, long seed, String copiedFrom, String attempt) {
    public StudyTag(String studyId, String setting, long seed) {
        this(studyId, setting, seed, null, null);
    }

    /**
     * The tag of a member about to be trained, with a fresh token the member process checks under the run's lock, so
     * that a process of an earlier attempt (its runner killed) can never write into the folder of a later one.
     */
    public static StudyTag forAttempt(String studyId, String setting, long seed) {
        return new StudyTag(studyId, setting, seed, null, java.util.UUID.randomUUID().toString());
    }
}
