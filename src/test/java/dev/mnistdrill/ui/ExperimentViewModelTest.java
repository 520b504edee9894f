package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.cli.Cli;
import dev.mnistdrill.cli.CliRun;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.ui.vm.ExperimentViewModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.Property;
import javafx.beans.property.StringProperty;
import org.junit.jupiter.api.Test;

class ExperimentViewModelTest {
    private static final ExperimentConfig CODE4 = Presets.get("code4");

    @Test
    void presetsFillTheFormAndGiveTheEnginesParameterCount() {
        ExperimentViewModel vm = new ExperimentViewModel();
        for (String preset : Presets.names()) {
            vm.applyPreset(preset);
            assertEquals(Presets.get(preset), vm.config(), preset);
            assertEquals(Presets.get(preset).summary().trainable(), vm.trainableProperty().get(), preset);
            assertTrue(vm.withinBudgetProperty().get(), preset + " is within the 10k budget");
            assertFalse(vm.layers().isEmpty());
        }
    }

    @Test
    void batchNormAndArchitectureChangeTheCountAtOnce() {
        ExperimentViewModel vm = new ExperimentViewModel();
        vm.applyPreset("code1");
        long without = vm.trainableProperty().get();
        vm.batchNormProperty().set(true);
        long with = vm.trainableProperty().get();
        assertEquals(Presets.get("code2").summary().trainable(), with);
        assertTrue(with != without);
        vm.architectureProperty().set("c32 c32 p t16 c32 c32 c32 gap");
        assertTrue(vm.trainableProperty().get() > ExperimentViewModel.BUDGET);
        assertFalse(vm.withinBudgetProperty().get());
        assertTrue(vm.validProperty().get(), "over budget is allowed to train, only flagged");
    }

    /** One cycle ignores the LR step and gamma, so whatever they hold (the form greys them) does not block a run. */
    @Test
    void oneCycleIgnoresTheStepFields() {
        ExperimentViewModel vm = new ExperimentViewModel();
        vm.applyPreset("code4");
        vm.lrStepProperty().set("abc");
        vm.lrGammaProperty().set("7");
        assertEquals(java.util.Set.of(Knob.LR_STEP, Knob.LR_GAMMA), vm.fieldErrors().keySet());
        vm.lrScheduleProperty().set(dev.mnistdrill.model.LrSchedule.ONE_CYCLE);
        assertTrue(vm.validProperty().get(), vm.problems().toString());
        assertTrue(vm.fieldErrors().isEmpty(), vm.fieldErrors().toString());
        vm.lrScheduleProperty().set(dev.mnistdrill.model.LrSchedule.STEP);
        assertEquals(java.util.Set.of(Knob.LR_STEP, Knob.LR_GAMMA), vm.fieldErrors().keySet());
    }

    @Test
    void badInputIsReportedPerFieldWithAReason() {
        ExperimentViewModel vm = new ExperimentViewModel();
        vm.learningRateProperty().set("abc");
        vm.epochsProperty().set("0");
        vm.architectureProperty().set("c8 p p p p p gap");
        vm.subsetProperty().set("50");
        assertFalse(vm.validProperty().get());
        assertNull(vm.config());
        assertEquals("Learning rate: 'abc' is not a number", vm.fieldErrors().get(Knob.LR));
        assertTrue(vm.fieldErrors().get(Knob.EPOCHS).startsWith("Epochs must be"));
        assertTrue(vm.fieldErrors().get(Knob.ARCH).startsWith("Architecture:"));
        assertTrue(vm.fieldErrors().get(Knob.SUBSET).startsWith("Subset must be"));
        assertNull(vm.summaryProperty().get(), "no parameter count for an impossible architecture");
        assertEquals(4, vm.problems().size());

        vm.learningRateProperty().set("0,05");
        vm.epochsProperty().set("15");
        vm.architectureProperty().set(Presets.DRILL_ARCHITECTURE);
        vm.subsetProperty().set("1_000");
        assertTrue(vm.validProperty().get(), vm.problems().toString());
        assertNotNull(vm.config());
        assertEquals(0.05, vm.config().learningRate());
        assertEquals(1000, vm.config().subset());
        assertTrue(vm.fieldErrors().isEmpty());

        vm.batchSizeProperty().set("99999999999");
        assertEquals(Map.of(Knob.BATCH, "Batch size: '99999999999' is far too large"), vm.fieldErrors());
        vm.batchSizeProperty().set("");
        assertEquals(Map.of(Knob.BATCH, "Batch size: enter a whole number"), vm.fieldErrors());
        vm.batchSizeProperty().set("128");
        vm.lrGammaProperty().set(" ");
        assertEquals(Map.of(Knob.LR_GAMMA, "LR gamma: enter a number"), vm.fieldErrors());
    }

    /**
     * Every knob the form shows is one property of the view model, and a value out of a knob's bounds marks exactly
     * that knob's field, with the very sentence the command line prints for the same value.
     */
    @Test
    void theFormRefusesWhatTheCommandLineRefusesWithTheSameWords() {
        ExperimentViewModel vm = new ExperimentViewModel();
        for (Knob k : Knob.values()) {
            assertNotNull(vm.property(k), k + " has a field");
        }
        Map<Knob, List<String>> bad = new LinkedHashMap<>();
        for (Knob k : Knob.values()) {
            Knob.Range r = k.range();
            if (r != null) {
                double step = r.step() > 0 ? r.step() : 1;
                bad.put(k, List.of(text(k, r.minIncluded() ? r.min() - step : r.min()),
                        text(k, r.maxIncluded() ? r.max() + step : r.max() + 1)));
            }
        }
        bad.put(Knob.NAME, List.of("", "  "));
        bad.put(Knob.ARCH, List.of("c8 x3 gap", "c8 c8"));
        bad.put(Knob.SUBSET, List.of("50", "60001"));
        List<String> seen = new ArrayList<>();
        bad.forEach((k, values) -> {
            for (String value : values) {
                vm.applyPreset("code4");
                set(vm.property(k), value);
                ExperimentConfig config = k == Knob.NAME ? CODE4.withName(value) : k.apply(CODE4, value);
                String problem = k.problem(config);
                assertEquals(Map.of(k, problem), Knob.problems(config), k + " = '" + value + "' is its problem");
                assertEquals(Map.of(k, problem), vm.fieldErrors(), k + " = '" + value + "' marks its field alone");
                assertEquals(List.of(problem), vm.problems());
                assertNull(vm.config());

                CliRun cli = CliRun.of("summary", "--preset", "code4", "--" + k.cliName() + "=" + value);
                assertEquals(Cli.BAD_INPUT, cli.exit(), k + " = '" + value + "': " + cli.out() + cli.err());
                assertEquals("Error: Invalid settings:\n  " + problem, cli.err().strip().replace("\r", ""),
                        "the command line says the same of " + k + " = '" + value + "'");
                seen.add(k.cliName());
            }
        });
        assertEquals(2 * bad.size(), seen.size());
        assertTrue(seen.containsAll(List.of("dropout", "rotation", "translate", "lr", "lr-step", "lr-gamma", "batch",
                "epochs")), "every bounded knob: " + seen);
    }

    /** A number as the command line and the form take it: whole for whole-number knobs, else plain decimal. */
    private static String text(Knob k, double v) {
        return k.kind() == Knob.Kind.WHOLE ? Long.toString((long) v)
                : BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** What a user would do to the knob's field: type the text, or move the slider to the value. */
    private static void set(Property<?> field, String value) {
        if (field instanceof StringProperty text) {
            text.set(value);
        } else if (field instanceof DoubleProperty slider) {
            slider.set(Double.parseDouble(value));
        } else if (field instanceof BooleanProperty toggle) {
            toggle.set(Boolean.parseBoolean(value));
        } else {
            throw new IllegalArgumentException("cannot type into " + field);
        }
    }

    @Test
    void loadingAStoredConfigKeepsItsName() {
        ExperimentViewModel vm = new ExperimentViewModel();
        var custom = Presets.get("code3").withName("my-try").withSubset(2000);
        vm.load(custom);
        assertEquals(custom, vm.config());
        assertNull(vm.presetProperty().get());
    }
}
