package dev.mnistdrill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void presetParameterCounts() {
        // Counted by hand: convs 72+1152+128+864+1728+2304, head 160, BN gamma/beta 2x(8+16+8+12+16+16).
        assertEquals(6_560, Presets.get("code2").summary().trainable());
        assertEquals(6_560, Presets.get("code3").summary().trainable());
        assertEquals(7_552, Presets.get("code4").summary().trainable(), "one more layer after the transition");
        assertEquals(6_484, Presets.get("code1").summary().trainable(), "no BN: biases instead of gamma/beta");
        assertEquals(7_552, Presets.get("best").summary().trainable());
        for (String name : Presets.names()) {
            assertTrue(Presets.get(name).summary().trainable() < 10_000, name);
        }
        assertTrue(Presets.get("best").summary().trainable() <= 8_000);
        // convs 54+432+48+540+900+1080+1512, head 140, BN gamma/beta 2x(6+8+6+10+10+12+14)
        assertEquals(4_838, Presets.get("golf").summary().trainable(), "golf: under 5,000");

    }

    @Test
    void summaryTableShowsShapes() {
        Architecture.Summary s = Presets.get("code3").summary();
        assertEquals("[8, 26, 26]", s.rows().get(0).outputShape());
        assertEquals("[16, 12, 12]", s.rows().get(4).outputShape());
        assertEquals("[10]", s.rows().get(s.rows().size() - 1).outputShape());
    }

    @Test
    void invalidSpecsAreExplained() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Architecture.parse("c8 x3 gap")).getMessage()
                .contains("'x3' is not a block"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Architecture.parse("c8 c16")).getMessage()
                .contains("must end with gap"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Architecture.parse("gap c8 gap")).getMessage()
                .contains("gap must be the last"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Architecture.parse("")).getMessage()
                .contains("empty"));
    }

    /** Receptive fields worked out by hand: rf += (k - 1) * jump per layer, a 2x2/2 pool adds a jump and doubles it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
        // spec; RF after each conv/pool block (GAP excluded); last RF; GAP input side
        "c8 c16 p t8 c12 c16 c16 gap; 3 5 6 6 10 14 18; 18; 6",          // code1-code3
        "c8 c12 p t8 c12 c12 c16 c16 gap; 3 5 6 6 10 14 18 22; 22; 4",   // code4, best
        "c8 gap; 3; 3; 26",
        "c8 p c8 p c8 gap; 3 4 8 10 18; 18; 3",                          // two pools: the jump becomes 4
        "t4 c8 c8 gap; 1 3 5; 5; 24",
    })
    void receptiveFieldsMatchHandComputedValues(String spec, String perBlock, int last, int gapSide) {
        Architecture.Summary s = Architecture.parse(spec).summarize(false);
        java.util.List<Integer> got = s.rows().stream()
                .filter(r -> r.name().startsWith("Conv2d") || r.name().startsWith("MaxPool"))
                .map(Architecture.LayerRow::receptiveField).toList();
        java.util.List<Integer> expected = java.util.Arrays.stream(perBlock.trim().split(" "))
                .map(Integer::parseInt).toList();
        assertEquals(expected, got, spec);
        assertEquals(last, s.lastReceptiveField(), spec);
        assertEquals(gapSide, s.gapSide(), spec);
        // BatchNorm rows repeat their convolution's field
        Architecture.Summary bn = Architecture.parse(spec).summarize(true);
        assertEquals(last, bn.lastReceptiveField());
    }

    @Test
    void theNoteFlagsALastFieldFarBelowTheDigit() {
        assertTrue(Architecture.parse("c8 c12 p t8 c12 c12 c16 c16 gap").summarize(true).receptiveFieldNote()
                .contains("covers a whole digit"));
        assertTrue(Architecture.parse("c8 c16 p t8 c12 c16 c16 gap").summarize(true).receptiveFieldNote()
                .contains("a little less than a digit"));
        assertTrue(Architecture.parse("c8 c8 c8 gap").summarize(true).receptiveFieldNote().contains("far below"));
    }
}
