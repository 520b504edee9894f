package dev.mnistdrill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
    }

    @Test
    void countsAgreeWithDl4j() {
        TestData.mnist(); // configures the engine
        for (String name : Presets.names()) {
            ExperimentConfig c = Presets.get(name);
            MultiLayerNetwork net = NetworkFactory.build(c);
            Architecture.Summary s = c.summary();
            assertEquals(net.numParams(), s.dl4jNumParams(), name);
            long bnTrainable = s.rows().stream().filter(r -> r.name().startsWith("BatchNorm"))
                    .mapToLong(Architecture.LayerRow::trainable).sum();
            assertEquals(bnTrainable, s.nonTrainable(), name + ": one running mean and variance per gamma and beta");
        }
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
}
