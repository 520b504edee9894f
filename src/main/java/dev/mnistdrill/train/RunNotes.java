package dev.mnistdrill.train;

/** The user's own words on a run, as in the drill's write-up: what it set out to do, and what it showed. */
public record RunNotes(String target, String analysis) {
    public static final RunNotes EMPTY = new RunNotes("", "");
}
