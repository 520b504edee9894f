package dev.mnistdrill.train;

/**
 * Marks a run as a member of a study ({@code study-member.json} in the run folder): which study, which setting of its
 * grid, which seed, and, for a run the study found already trained, the run it was copied from. Otherwise a member is
 * an ordinary run.
 */
public record StudyTag(String studyId, String setting, long seed, String copiedFrom) {
    public StudyTag(String studyId, String setting, long seed) {
        this(studyId, setting, seed, null);
    }
}
