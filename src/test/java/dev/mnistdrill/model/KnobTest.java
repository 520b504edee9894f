package dev.mnistdrill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One descriptor per knob: its bounds are what validation enforces, and its text reads back what it sets. */
class KnobTest {
    private static final ExperimentConfig CODE4 = Presets.get("code4");

    @Test
    void everyNumericKnobRefusesJustOutsideItsBoundsAndTakesItsBounds() {
        for (Knob k : Knob.values()) {
            Knob.Range r = k.range();
            if (r == null) {
                continue;
            }
            double eps = r.step() >= 1 || k == Knob.BATCH ? 1 : 1e-6;
            String below = num(k, r.min() - (r.minIncluded() ? eps : 0));
            String above = num(k, r.max() + (r.maxIncluded() ? eps : 0));
            assertEquals(Map.of(k, r.problem()), Knob.problems(k.apply(CODE4, below)), k + " at " + below);
            assertEquals(Map.of(k, r.problem()), Knob.problems(k.apply(CODE4, above)), k + " at " + above);
            if (r.minIncluded()) {
                assertNull(k.problem(k.apply(CODE4, num(k, r.min()))), k + " at its minimum");
            }
            if (r.maxIncluded()) {
                assertNull(k.problem(k.apply(CODE4, num(k, r.max()))), k + " at its maximum");
            }
            assertEquals(List.of(r.problem()), k.apply(CODE4, above).problems(), "validation is the descriptor's");
        }
    }

    private static String num(Knob k, double v) {
        return k.kind() == Knob.Kind.WHOLE ? String.valueOf((long) v) : String.valueOf(v);
    }

    @Test
    void eachKnobSaysWhatKindOfValueItTakes() {
        for (Knob k : Knob.values()) {
            switch (k.kind()) {
                case WHOLE -> assertThrows(IllegalArgumentException.class, () -> k.apply(CODE4, "0.5"), k.name());
                case DECIMAL -> assertEquals("0.5", k.valueOf(k.apply(CODE4, "0.5")), k.name());
                case SWITCH -> assertEquals("off", k.valueOf(k.apply(CODE4, "off")), k.name());
                case CHOICE -> {
                    String other = k == Knob.OPTIMIZER ? "adam" : "onecycle";
                    assertEquals(other, k.valueOf(k.apply(CODE4, other)), k.name());
                }
                case TEXT -> assertEquals("any text", k.valueOf(k.apply(CODE4, "any text")), k.name());
            }
            assertEquals(k.range() != null, k.kind() == Knob.Kind.DECIMAL || k != Knob.SEED
                    && k.kind() == Knob.Kind.WHOLE, k + ": numbers have bounds, but for the seed");
        }
    }

    @Test
    void aRangeSaysWhenZeroMeansOffOrAll() {
        Knob.Range ema = Knob.EMA.range();
        assertEquals("0 (off) or 0.9 to 0.9999", ema.describe());
        assertTrue(ema.contains(0) && ema.contains(-0.0) && ema.contains(0.9) && ema.contains(0.9999));
        assertFalse(ema.contains(0.5) || ema.contains(1e-9) || ema.contains(1) || ema.contains(Double.NaN));
        assertEquals("0 (all) or 100 to 60000", Knob.SUBSET.range().describe());
        assertEquals("Subset must be 0 (all) or 100 to 60000 digits", Knob.SUBSET.problem(CODE4.withSubset(50)));
        assertNull(Knob.SUBSET.problem(CODE4.withSubset(0)));
        assertEquals("0 to 0.5", Knob.DROPOUT.range().describe());
        assertFalse(Knob.DROPOUT.range().contains(-0.1));
        assertEquals("above 0, at most 1", Knob.LR.range().describe());
        assertFalse(Knob.LR.range().contains(0));
    }

    @Test
    void aRunNeedsAName() {
        String problem = "Name: give the experiment a name (it labels the run)";
        assertEquals(Map.of(Knob.NAME, problem), Knob.problems(CODE4.withName("")));
        assertEquals(Map.of(Knob.NAME, problem), Knob.problems(CODE4.withName(" \t")));
        assertEquals(Map.of(Knob.NAME, problem), Knob.problems(CODE4.withName(null)));
        assertNull(Knob.NAME.problem(CODE4.withName("my try")));
    }

    @Test
    void eachKnobReadsBackWhatItSets() {
        for (Knob k : Knob.values()) {
            String v = k.valueOf(CODE4);
            assertEquals(CODE4, k.apply(CODE4, v), k + " = " + v);
        }
        assertEquals("0.1", Knob.DROPOUT.valueOf(CODE4.withDropout(0.1)));
        assertEquals("off", Knob.BN.valueOf(Knob.BN.apply(CODE4, "off")));
        assertEquals("adam", Knob.OPTIMIZER.valueOf(Knob.OPTIMIZER.apply(CODE4, "Adam")));
        assertEquals("onecycle", Knob.LR_SCHEDULE.valueOf(Knob.LR_SCHEDULE.apply(CODE4, "One-Cycle")));
        assertEquals("unknown LR schedule 'cosine' (use step or onecycle)", assertThrows(
                IllegalArgumentException.class, () -> Knob.LR_SCHEDULE.apply(CODE4, "cosine")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Knob.BN.apply(CODE4, "maybe"));
        assertThrows(IllegalArgumentException.class, () -> Knob.EPOCHS.apply(CODE4, "ten"));
        assertTrue(Knob.problems(CODE4).isEmpty());
        assertEquals("Architecture: 'x9' is not a block (cN, tN, p, gap)",
                Knob.ARCH.problem(CODE4.withArchitecture("x9 gap")));
    }

    @Test
    void rangesDescribeThemselvesForHelp() {
        assertEquals("0 to 0.5", Knob.DROPOUT.range().describe());
        assertEquals("above 0, at most 1", Knob.LR.range().describe());
        assertEquals("8 to 2048", Knob.BATCH.range().describe());
    }

    @Test
    void aConfigReadsAsOneLineInFullOrBrief() {
        ExperimentConfig code4 = Presets.get("code4");
        assertEquals("arch [c8 c12 p t8 c12 c12 c16 c16 gap], BN on, dropout 0.00, rotation +-7 deg, shift +-1.0 px, sgd "
                + "lr 0.2 x0.1 every 5 epochs, weight decay 0.0005, batch 128, 15 epochs, seed 1",
                Knob.describe(code4, Knob.Style.FULL));
        assertEquals("BN, drop 0.00, rot ±7°, shift ±1.0, sgd 0.2 ×0.1/5 ep, wd 0.0005, bs 128",
                Knob.describe(code4, Knob.Style.BRIEF));
        ExperimentConfig other = Presets.get("code1").withTranslate(1).withSubset(500).withOptimizer(Optimizer.ADAM)
                .withLearningRate(0.001);
        assertEquals("arch [c8 c16 p t8 c12 c16 c16 gap], BN off, dropout 0.00, rotation +-0 deg, shift +-1.0 px, "
                + "adam lr 0.001, batch 128, 15 epochs, subset 500", Knob.describe(other, Knob.Style.FULL, Knob.SEED));
        assertEquals("no BN, drop 0.00, shift ±1.0, adam 0.001, bs 128, subset 500",
                Knob.describe(other, Knob.Style.BRIEF));
        ExperimentConfig cycled = code4.withLrSchedule(LrSchedule.ONE_CYCLE).withLearningRate(0.1);
        assertTrue(Knob.describe(cycled, Knob.Style.FULL).contains(", sgd lr 0.1 in one cycle, "),
                "the step and gamma it ignores are not shown: " + Knob.describe(cycled, Knob.Style.FULL));
        assertTrue(Knob.describe(cycled, Knob.Style.BRIEF).contains(", sgd 0.1 1cycle, "));
        String line = Knob.describe(code4, Knob.Style.FULL);
        for (Knob k : Knob.values()) {
            String phrase = k.phrase(code4, Knob.Style.FULL);
            assertTrue(phrase == null || line.contains(phrase), k + "'s phrase is in the line");
        }
    }
}
