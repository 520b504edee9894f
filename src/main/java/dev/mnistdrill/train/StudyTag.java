package dev.mnistdrill.train;

/**
 * Marks a run as a member of a study ({@code study-member.json} in the run folder): which study, which setting of its
 * grid, which seed. Otherwise a member is an ordinary run.
 */
public record StudyTag(String studyId, String setting, long seed) {
}
