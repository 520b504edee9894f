package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The study's one progress, added up from its members' reports: what the CLI and the Studies tab show. */
class StudyProgressTest {
    /** A grid over epochs 2 and 4 on 1,000 digits, one seed: runs of 2,000 and 4,000 training images. */
    private final StudySpec spec = new StudySpec(Presets.get("code4").withSubset(1000),
            List.of(StudySpec.parseAxis("epochs=2,4")), StudySpec.parseSeeds("1"),
            DrillCriterion.STANDARD.withLastEpochs(1));
    private final List<StudyRunner.Progress> reports = new ArrayList<>();
    private final StudyRunner.ProgressBoard board = new StudyRunner.ProgressBoard(spec, spec.members(),
            new StudyRunner.Listener() {
                @Override
                public void onProgress(StudyRunner.Progress p) {
                    reports.add(p);
                }
            }, System.nanoTime() - 10_000_000_000L); // started 10 s ago

    private final String shortRun = spec.runId(spec.members().get(0));
    private final String longRun = spec.runId(spec.members().get(1));

    private StudyRunner.Progress last() {
        return reports.get(reports.size() - 1);
    }

    @Test
    void eachRunCountsItsOwnImagesSoALongerRunKeepsAnEstimate() {
        board.started(shortRun);
        board.started(longRun);
        board.line(shortRun, MemberProtocol.format(2_000, 100));
        board.finished(shortRun);
        board.completed(member(shortRun));
        StudyRunner.Progress p = last();
        assertEquals(1, p.done());
        assertEquals(2_000 / 6_000.0, p.trainedFraction(), 1e-9, "the short run's own 2,000 of 6,000 images");
        assertTrue(Double.isFinite(p.etaSeconds()) && p.etaSeconds() > 0,
                "the long run's 4,000 images are still to train: " + p.etaSeconds());
    }

    @Test
    void whileTheLastRunsOnlyEvaluateTheEstimateIsUnknownAndTheBarStaysFull() {
        board.started(shortRun);
        board.started(longRun);
        board.line(shortRun, MemberProtocol.format(2_000, 100));
        board.line(longRun, MemberProtocol.format(4_000, 100)); // trained: evaluating its last epoch
        board.finished(shortRun);
        board.completed(member(shortRun));
        StudyRunner.Progress p = last();
        assertEquals(1, p.running());
        assertTrue(Double.isNaN(p.etaSeconds()), "unknown, not 0: " + p.etaSeconds());
        assertEquals(1.0, p.trainedFraction(), 1e-9, "every image trained");
    }

    private static RunRecord member(String runId) {
        return new RunRecord(Path.of("/tmp", runId), Presets.get("code4"), List.of(), null, RunNotes.EMPTY);
    }
}
