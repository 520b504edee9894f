package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.ui.vm.ExperimentViewModel;
import dev.mnistdrill.ui.vm.StudyGridDraft;
import dev.mnistdrill.ui.vm.StudyGridDraft.AxisRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grid dialog's rows and the form's study, without a window. */
class StudyGridDraftTest {
    private static final ExperimentConfig CODE3 = Presets.get("code3");

    @Test
    void theRunCountIsSettingsTimesSeedsAndFollowsTheRows() {
        StudyGridDraft draft = new StudyGridDraft(CODE3, 5, List.of());
        assertEquals(1, draft.settingsProperty().get());
        assertEquals(5, draft.runsProperty().get());
        assertEquals("1 setting × 5 seeds = 5 runs", draft.summaryProperty().get());
        assertTrue(draft.validProperty().get(), "no grid is a plain repeat");

        AxisRow dropout = draft.addRow();
        assertEquals(Knob.DROPOUT, dropout.knobProperty().get(), "the first knob not varied yet");
        assertEquals("0.05", dropout.valuesProperty().get(), "filled with the experiment's own value");
        dropout.valuesProperty().set("0, 0.05, 0.1");
        AxisRow rotation = draft.addRow();
        assertEquals(Knob.ROTATION, rotation.knobProperty().get());
        rotation.valuesProperty().set("5,7");
        assertEquals(6, draft.settingsProperty().get());
        assertEquals(30, draft.runsProperty().get());
        assertEquals("6 settings × 5 seeds = 30 runs", draft.summaryProperty().get());
        assertTrue(draft.validProperty().get());
        assertEquals(List.of(new StudySpec.Axis(Knob.DROPOUT, List.of("0", "0.05", "0.1")),
                new StudySpec.Axis(Knob.ROTATION, List.of("5", "7"))), draft.axesProperty().get());

        draft.removeRow(dropout);
        assertEquals(10, draft.runsProperty().get());
        assertEquals(List.of(new StudySpec.Axis(Knob.ROTATION, List.of("5", "7"))), draft.axesProperty().get());
    }

    @Test
    void eachRowSaysWhatIsWrongWithIt() {
        StudyGridDraft draft = new StudyGridDraft(CODE3, 3, List.of());
        AxisRow row = draft.addRow();

        row.valuesProperty().set("0, abc");
        assertEquals("'abc' is not a valid dropout value", row.errorProperty().get());
        assertFalse(draft.validProperty().get());
        assertTrue(draft.axesProperty().get().isEmpty(), "no axes while a row is wrong");
        assertEquals(6, draft.runsProperty().get(), "the count follows what is typed, even while wrong");
        assertNull(row.axis());

        row.valuesProperty().set("0,,0.1");
        assertEquals("Dropout has an empty value in '0,,0.1'", row.errorProperty().get());

        row.valuesProperty().set("  ");
        assertTrue(row.errorProperty().get().startsWith("Give the values to try"), row.errorProperty().get());

        row.valuesProperty().set("0.1, 0.9");
        assertTrue(row.errorProperty().get().startsWith("dropout=0.9: Dropout rate must be between 0 and 0.5"),
                row.errorProperty().get());

        row.valuesProperty().set("0.1, 0.10");
        assertEquals("'0.10' is the same dropout as '0.1'", row.errorProperty().get());

        row.valuesProperty().set("0, 0.1");
        assertEquals("", row.errorProperty().get());
        assertNotNull(row.axis());
        assertTrue(draft.validProperty().get());

        AxisRow twice = draft.addRow();
        twice.knobProperty().set(Knob.DROPOUT);
        twice.valuesProperty().set("0.2");
        assertTrue(twice.errorProperty().get().contains("varied in another row already"),
                twice.errorProperty().get());
        assertEquals("", row.errorProperty().get(), "the first row stays good");
        assertFalse(draft.validProperty().get());

        twice.knobProperty().set(Knob.BN);
        twice.valuesProperty().set("on, maybe");
        assertEquals("'maybe' is not a valid bn value (use on or off)", twice.errorProperty().get());
        twice.valuesProperty().set("on, off");
        twice.knobProperty().set(null);
        assertEquals("Choose a knob to vary", twice.errorProperty().get());
        twice.knobProperty().set(Knob.ARCH);
        twice.valuesProperty().set("c8 p p p p p p gap");
        assertTrue(twice.errorProperty().get().startsWith("arch=c8 p p p p p p gap: Architecture"),
                twice.errorProperty().get());
    }

    @Test
    void aRowsEditsStartFromTheGridChosenBefore() {
        List<StudySpec.Axis> before = List.of(StudySpec.parseAxis("lr=0.05,0.1"));
        StudyGridDraft draft = new StudyGridDraft(CODE3, 2, before);
        assertEquals(1, draft.rows().size());
        assertEquals("0.05, 0.1", draft.rows().get(0).valuesProperty().get());
        assertEquals(before, draft.axesProperty().get());
        assertEquals(4, draft.runsProperty().get());
    }

    @Test
    void overTwoHundredRunsTheSummarySaysItWillAsk() {
        StudyGridDraft draft = new StudyGridDraft(CODE3, 100, List.of());
        draft.addRow().valuesProperty().set("0, 0.05, 0.1");
        assertEquals(300, draft.runsProperty().get());
        assertTrue(draft.summaryProperty().get().endsWith("(over " + StudySpec.CONFIRM_ABOVE_RUNS
                + ": you will be asked to confirm)"), draft.summaryProperty().get());
    }

    @Test
    void theFormsStudyIsItsExperimentOnSeedsOneToN() {
        ExperimentViewModel vm = new ExperimentViewModel();
        vm.applyPreset("code4");
        vm.seedProperty().set("42");
        StudySpec spec = vm.studySpecProperty().get();
        assertNotNull(spec);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), spec.seeds(), "five seeds unless told otherwise");
        assertEquals(DrillCriterion.STANDARD, spec.criterion());
        assertEquals(Presets.get("code4").withSeed(42), spec.base());
        assertEquals(5, vm.studyRunsProperty().get());
        assertEquals(spec.id(), new StudySpec(Presets.get("code4"), List.of(), List.of(1L, 2L, 3L, 4L, 5L),
                DrillCriterion.STANDARD).id(), "the form's seed does not make it another study");

        vm.studySeedsProperty().set(3);
        vm.studyGrid().setAll(StudySpec.parseAxis("dropout=0,0.1"));
        assertEquals(6, vm.studyRunsProperty().get());
        assertEquals(6, vm.studySpecProperty().get().runCount());

        vm.learningRateProperty().set("abc");
        assertNull(vm.studySpecProperty().get(), "an invalid form makes no study");
        assertEquals("Fix the experiment's problems above first", vm.studyProblemProperty().get());
        vm.learningRateProperty().set("0.05");
        assertNotNull(vm.studySpecProperty().get());
        assertEquals("", vm.studyProblemProperty().get());

        vm.studyGrid().setAll(new StudySpec.Axis(Knob.DROPOUT, List.of("0", "0.7")));
        assertNull(vm.studySpecProperty().get());
        assertTrue(vm.studyProblemProperty().get().startsWith("dropout=0.7: Dropout rate"),
                vm.studyProblemProperty().get());
    }
}
