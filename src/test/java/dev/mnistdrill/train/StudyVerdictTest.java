package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict's arithmetic on hand-made runs: no training involved. */
class StudyVerdictTest {
    private static final ExperimentConfig BASE = Presets.get("code4").withEpochs(6);

    private static RunRecord run(StudySpec spec, StudySpec.Member m, TrainingStatus status, double... accuracies) {
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            epochs.add(new EpochMetrics(i + 1, 0.99, 0.03, accuracies[i], 0.02, 0.05, 60, 1000));
        }
        String id = spec.runId(m);
        RunSummary summary = RunSummary.of(id, m.config().name(), status, m.config().summary().trainable(),
                m.config().summary().dl4jNumParams(), epochs, m.config().epochs(), 60.0 * accuracies.length, "", null);
        return new RunRecord(Path.of("/runs", id), m.config(), epochs, summary, RunNotes.EMPTY,
                new StudyTag(spec.id(), m.setting().label(), m.seed()));
    }

    @Test
    void countsSeedsThatHoldOverTheLastKEpochs() {
        StudySpec spec = new StudySpec(BASE, List.of(), List.of(1L, 2L, 3L, 4L), DrillCriterion.STANDARD);
        List<StudySpec.Member> m = spec.members();
        List<RunRecord> runs = List.of(
                // held on the last 3 and the last 5
                run(spec, m.get(0), TrainingStatus.COMPLETED, 0.98, 0.994, 0.995, 0.996, 0.994, 0.995),
                // held on the last 3 only: epoch 3 is below
                run(spec, m.get(1), TrainingStatus.COMPLETED, 0.98, 0.99, 0.993, 0.994, 0.9941, 0.9952),
                // not held: a dip in the last three
                run(spec, m.get(2), TrainingStatus.COMPLETED, 0.98, 0.99, 0.995, 0.995, 0.9938, 0.995),
                // short: interrupted after 4 epochs, good as they were
                run(spec, m.get(3), TrainingStatus.INTERRUPTED, 0.995, 0.995, 0.995, 0.995));
        StudyVerdict v = StudyVerdict.of(spec, runs);
        StudyVerdict.SettingVerdict s = v.settings().get(0);
        assertEquals("base", s.label());
        assertEquals(4, s.seedsPlanned());
        assertEquals(3, s.complete(), "the interrupted run does not count as complete");
        assertEquals(2, s.held());
        assertEquals(1, s.heldStrict());
        assertEquals("2/4", s.heldRatio());
        assertEquals(0.9938, s.worstLastK(), 1e-12);
        double mean = ((0.996 + 0.994 + 0.995) / 3 + (0.994 + 0.9941 + 0.9952) / 3 + (0.995 + 0.9938 + 0.995) / 3) / 3;
        assertEquals(mean, s.meanLastK(), 1e-12);
        assertEquals(3.0, s.medianFirstEpoch(), "first epochs at 99.4%: 2, 4, 3 (and the short run not counted)");
        assertTrue(v.results(s).startsWith("Held on 2 of 4 seeds, worst last-3 epoch 99.38%"), v.results(s));
        // the bands are over the three complete runs: the interrupted one (0.995 at epoch 1) is left out
        assertEquals(3, s.bands().get(0).seeds());
        assertEquals(0.98, s.bands().get(0).min(), 1e-12);
        assertEquals(0.98, s.bands().get(0).max(), 1e-12);
        assertEquals(3, s.bands().get(5).seeds());
        assertTrue(v.analysis(s).startsWith("Not consistent: 1 of the 3 seeds trained did not hold"), v.analysis(s));
        assertTrue(v.analysis(s).contains("1 seed(s) not trained to the end yet"), v.analysis(s));
        double[] last = {0.995, 0.9952, 0.995};
        double lastMean = (last[0] + last[1] + last[2]) / 3;
        double var = 0;
        for (double x : last) {
            var += (x - lastMean) * (x - lastMean);
        }
        assertEquals(Math.sqrt(var / 2), s.bands().get(5).std(), 1e-12);
    }

    @Test
    void kOfFiveIsStricterThanKOfThree() {
        StudySpec k5 = new StudySpec(BASE, List.of(), List.of(1L), new DrillCriterion(0.994, 5));
        StudySpec k3 = new StudySpec(BASE, List.of(), List.of(1L), DrillCriterion.STANDARD);
        double[] curve = {0.98, 0.99, 0.993, 0.995, 0.995, 0.995};
        StudyVerdict.SettingVerdict five = StudyVerdict.of(k5,
                List.of(run(k5, k5.members().get(0), TrainingStatus.COMPLETED, curve))).settings().get(0);
        StudyVerdict.SettingVerdict three = StudyVerdict.of(k3,
                List.of(run(k3, k3.members().get(0), TrainingStatus.COMPLETED, curve))).settings().get(0);
        assertEquals(0, five.held());
        assertEquals(0.99, five.worstLastK(), 1e-12);
        assertEquals(1, three.held());
        assertEquals(0.995, three.worstLastK(), 1e-12);
        assertEquals(0, three.heldStrict(), "K=5 is reported beside K=3");
    }

    @Test
    void theCriterionCountsOnlyRunsWithinTheDrillsLimits() {
        DrillCriterion c = DrillCriterion.STANDARD;
        List<Double> good = List.of(0.99, 0.995, 0.995, 0.995);
        assertTrue(c.held(good, 4, 9_999));
        assertFalse(c.held(good, 4, 10_000), "the budget is fewer than 10,000");
        assertFalse(c.held(good, 5, 9_000), "a run short of its planned epochs");
        assertFalse(c.held(List.of(0.995, 0.995), 2, 9_000), "fewer epochs than the window");
        List<Double> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(0.996);
        }
        assertFalse(c.held(sixteen, 16, 9_000), "more than 15 epochs");
        assertEquals("99.4% on each of the last 3 epochs", c.describe());
        assertThrows(IllegalArgumentException.class, () -> new DrillCriterion(0.994, 0));
        // 99.40% is 99.4%, however the target was computed (99.4 / 100 is 0.9940000000000001 in binary)
        DrillCriterion divided = new DrillCriterion(99.4 / 100, 3);
        assertTrue(divided.held(List.of(0.99, 0.994, 0.9940, 9940 / 10000.0), 4, 9_000));
        assertTrue(divided.sameAs(DrillCriterion.STANDARD));
        assertFalse(divided.reached(0.9939));
    }

    @Test
    void aGridExpandsToSettingsWithDeterministicRunIds() {
        StudySpec spec = new StudySpec(BASE, List.of(StudySpec.parseAxis("dropout=0,0.1"),
                StudySpec.parseAxis("bn=on,off")), StudySpec.parseSeeds("1-2,7"), DrillCriterion.STANDARD);
        assertEquals(12, spec.runCount());
        assertEquals(12, spec.members().size());
        List<StudySpec.Setting> settings = spec.settings();
        assertEquals("dropout=0 bn=on", settings.get(0).label());
        assertEquals("dropout=0.1 bn=off", settings.get(3).label());
        assertFalse(settings.get(3).config().batchNorm());
        assertEquals(0.1, settings.get(3).config().dropout());
        StudySpec.Member m = spec.members().get(5);
        assertEquals(7, m.seed());
        assertEquals(7, m.config().seed());
        assertEquals(spec.id() + "_dropout0_bnoff_seed7", spec.runId(m));
        // the same study described again has the same id; another seed list is another study
        StudySpec again = new StudySpec(BASE.withSeed(42), List.of(StudySpec.parseAxis("dropout=0,0.1"),
                StudySpec.parseAxis("bn=on,off")), List.of(1L, 2L, 7L), DrillCriterion.STANDARD);
        assertEquals(spec.id(), again.id());
        assertFalse(spec.id().equals(new StudySpec(BASE, spec.grid(), List.of(1L, 2L), spec.criterion()).id()));
        assertTrue(spec.id().startsWith("code4-"));
    }

    @Test
    void badStudiesAreRefusedWithReasons() {
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseSeeds("5-1"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseSeeds("1,,2"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseSeeds("1-3,2"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseSeeds("one"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("colour=red"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("dropout="));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("dropout=0,,0.1"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("bn=maybe"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("lr=fast"));
        assertThrows(IllegalArgumentException.class, () -> StudySpec.parseAxis("seed=1,2"), "seeds go in --seeds");
        StudySpec tooMuchDropout = new StudySpec(BASE, List.of(StudySpec.parseAxis("dropout=0.1,0.9")),
                List.of(1L), DrillCriterion.STANDARD);
        List<String> problems = tooMuchDropout.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("dropout=0.9: Dropout rate must be between 0 and 0.5"), problems.get(0));
        StudySpec twice = new StudySpec(BASE, List.of(new StudySpec.Axis(Knob.LR, List.of("0.1")),
                new StudySpec.Axis(Knob.LR, List.of("0.2"))), List.of(1L), DrillCriterion.STANDARD);
        assertTrue(twice.problems().get(0).contains("given twice"), twice.problems().toString());
    }

    @Test
    void aStudyWithoutRunsHasAnEmptyVerdict() {
        StudySpec spec = new StudySpec(BASE, List.of(), List.of(1L, 2L), DrillCriterion.STANDARD);
        StudyVerdict.SettingVerdict s = StudyVerdict.of(spec, List.of()).settings().get(0);
        assertEquals(0, s.complete());
        assertTrue(Double.isNaN(s.worstLastK()));
        assertNull(s.medianFirstEpoch());
        assertTrue(StudyVerdict.of(spec, List.of()).toTable().contains("0/2"));
    }
}
