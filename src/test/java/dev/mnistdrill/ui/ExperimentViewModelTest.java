package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.Presets;
import dev.mnistdrill.ui.vm.ExperimentViewModel;
import dev.mnistdrill.ui.vm.ExperimentViewModel.Field;
import org.junit.jupiter.api.Test;

class ExperimentViewModelTest {
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

    @Test
    void badInputIsReportedPerFieldWithAReason() {
        ExperimentViewModel vm = new ExperimentViewModel();
        vm.learningRateProperty().set("abc");
        vm.epochsProperty().set("0");
        vm.architectureProperty().set("c8 p p p p p gap");
        vm.subsetProperty().set("50");
        assertFalse(vm.validProperty().get());
        assertNull(vm.config());
        assertEquals("Learning rate: 'abc' is not a number", vm.fieldErrors().get(Field.LEARNING_RATE));
        assertTrue(vm.fieldErrors().get(Field.EPOCHS).startsWith("Epochs must be"));
        assertTrue(vm.fieldErrors().get(Field.ARCHITECTURE).startsWith("Architecture:"));
        assertTrue(vm.fieldErrors().get(Field.SUBSET).startsWith("Subset must be"));
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
