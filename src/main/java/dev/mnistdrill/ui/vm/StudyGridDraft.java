package dev.mnistdrill.ui.vm;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.StudySpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javafx.beans.Observable;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The grid dialog's rows as the user types them: each row a knob and its values, checked at every keystroke with
 * the engine's own parser ({@link StudySpec#parseAxis}) and against the experiment it varies, so that a row says
 * what is wrong with it before anything trains. The run count follows the rows and the seeds.
 */
public final class StudyGridDraft {
    /** One knob of the grid and the values typed for it. */
    public static final class AxisRow {
        private final ObjectProperty<Knob> knob = new SimpleObjectProperty<>(this, "knob");
        private final StringProperty values = new SimpleStringProperty(this, "values", "");
        private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
        private StudySpec.Axis axis;

        AxisRow(Knob knob, String values) {
            this.knob.set(knob);
            this.values.set(values);
        }

        public ObjectProperty<Knob> knobProperty() {
            return knob;
        }

        public StringProperty valuesProperty() {
            return values;
        }

        /** Why this row cannot be used, or "" when it can. */
        public ReadOnlyStringProperty errorProperty() {
            return error.getReadOnlyProperty();
        }

        /** The axis this row makes; null while it has an error. */
        public StudySpec.Axis axis() {
            return axis;
        }
    }

    private final ExperimentConfig base;
    private final int seeds;
    private final ObservableList<AxisRow> rows = FXCollections.observableArrayList(
            r -> new Observable[] {r.knob, r.values});
    private final ReadOnlyIntegerWrapper settings = new ReadOnlyIntegerWrapper(this, "settings", 1);
    private final ReadOnlyIntegerWrapper runs = new ReadOnlyIntegerWrapper(this, "runs");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid", true);
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyObjectWrapper<List<StudySpec.Axis>> axes =
            new ReadOnlyObjectWrapper<>(this, "axes", List.of());

    /**
     * @param base  the experiment the grid varies (the form's)
     * @param seeds how many seeds each setting is trained on
     * @param grid  the axes chosen before, to edit
     */
    public StudyGridDraft(ExperimentConfig base, int seeds, List<StudySpec.Axis> grid) {
        this.base = base;
        this.seeds = Math.max(1, seeds);
        for (StudySpec.Axis a : grid) {
            rows.add(new AxisRow(a.knob(), String.join(", ", a.values())));
        }
        rows.addListener((ListChangeListener<AxisRow>) c -> validate());
        validate();
    }

    /**
     * Adds a row for the first knob not varied yet, filled with the experiment's own value of it (the user adds the
     * others). Returns null when every knob is varied already.
     */
    public AxisRow addRow() {
        Set<Knob> used = EnumSet.noneOf(Knob.class);
        rows.forEach(r -> {
            if (r.knob.get() != null) {
                used.add(r.knob.get());
            }
        });
        for (Knob k : Knob.studyKnobs()) {
            if (!used.contains(k)) {
                AxisRow row = new AxisRow(k, k.valueOf(base));
                rows.add(row);
                return row;
            }
        }
        return null;
    }

    public void removeRow(AxisRow row) {
        rows.remove(row);
    }

    /** Values to show in an empty field, as an example of what a knob takes. */
    public static String example(Knob knob) {
        return switch (knob) {
            case DROPOUT -> "0, 0.05, 0.1";
            case ROTATION -> "5, 7";
            case TRANSLATE -> "0, 1";
            case LR -> "0.1, 0.2";
            case LR_SCHEDULE -> "step, onecycle";
            case LR_STEP -> "5, 7";
            case LR_GAMMA -> "0.1, 0.2";
            case BATCH -> "64, 128";
            case BN -> "on, off";
            case OPTIMIZER -> "sgd, adam";
            case ARCH -> "c8 c16 p t8 c12 c16 c16 gap, …";
            case EPOCHS -> "12, 15";
            case SUBSET -> "5000, 0";
            case EMA -> "0, 0.999";
            case WEIGHT_DECAY -> "0, 0.0005";
            case NAME, SEED -> "";
        };
    }

    private void validate() {
        Set<Knob> seen = EnumSet.noneOf(Knob.class);
        List<StudySpec.Axis> good = new ArrayList<>();
        int settingCount = 1;
        for (AxisRow row : rows) {
            String error = check(row, seen);
            row.error.set(error);
            row.axis = null;
            if (error.isEmpty()) {
                row.axis = StudySpec.parseAxis(row.knob.get().cliName() + "=" + row.values.get());
                good.add(row.axis);
            }
            if (row.knob.get() != null) {
                seen.add(row.knob.get());
                // a row in error still counts what it has, so that the count moves as the user types
                settingCount *= Math.max(1, countValues(row.values.get()));
            }
        }
        boolean rowsValid = good.size() == rows.size();
        String whole = "";
        if (rowsValid) {
            List<String> problems = spec(good).problems();
            whole = problems.isEmpty() ? "" : withoutCliPrefix(problems.get(0));
        }
        settings.set(settingCount);
        runs.set(settingCount * seeds);
        problem.set(whole);
        valid.set(rowsValid && whole.isEmpty());
        axes.set(rowsValid ? List.copyOf(good) : List.of());
        summary.set(describe(settingCount, seeds));
    }

    /** What is wrong with one row, or "". */
    private String check(AxisRow row, Set<Knob> earlier) {
        Knob knob = row.knob.get();
        if (knob == null) {
            return "Choose a knob to vary";
        }
        if (earlier.contains(knob)) {
            return knob.label() + " is varied in another row already: put all its values in one row";
        }
        String text = row.values.get() == null ? "" : row.values.get();
        if (text.isBlank()) {
            return "Give the values to try, separated by commas, e.g. " + example(knob);
        }
        StudySpec.Axis axis;
        try {
            axis = StudySpec.parseAxis(knob.cliName() + "=" + text);
        } catch (IllegalArgumentException e) {
            return capitalized(withoutCliPrefix(e.getMessage()));
        }
        Map<ExperimentConfig, String> configs = new HashMap<>();
        for (String value : axis.values()) {
            ExperimentConfig c = knob.apply(base, value);
            String same = configs.putIfAbsent(c, value);
            if (same != null) {
                return "'" + value + "' is the same " + knob.cliName() + " as '" + same + "'";
            }
            List<String> problems = c.problems();
            if (!problems.isEmpty()) {
                return knob.cliName() + "=" + value + ": " + problems.get(0);
            }
        }
        return "";
    }

    private static int countValues(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        int n = 0;
        for (String v : text.split(",", -1)) {
            n += v.isBlank() ? 0 : 1;
        }
        return n;
    }

    /** The study these rows make: the base experiment on seeds 1 to N, judged on the drill's criterion. */
    private StudySpec spec(List<StudySpec.Axis> grid) {
        return new StudySpec(base, grid, ExperimentViewModel.seedsUpTo(seeds), DrillCriterion.STANDARD);
    }

    /** "3 settings × 5 seeds = 15 runs", or "1 setting × 5 seeds = 5 runs". */
    public static String describe(int settings, int seeds) {
        int runs = settings * seeds;
        String text = String.format(Locale.ROOT, "%d setting%s × %d seed%s = %,d run%s", settings,
                settings == 1 ? "" : "s", seeds, seeds == 1 ? "" : "s", runs, runs == 1 ? "" : "s");
        return runs > StudySpec.CONFIRM_ABOVE_RUNS ? text + " (over " + StudySpec.CONFIRM_ABOVE_RUNS
                + ": you will be asked to confirm)" : text;
    }

    /** The engine's messages name the command line's option ("--grid dropout has ..."); the window has none. */
    static String withoutCliPrefix(String message) {
        return message == null ? "" : message.replace("--grid ", "").replace("--seeds", "seeds");
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public ObservableList<AxisRow> rows() {
        return rows;
    }

    /** Settings the grid makes (1 without rows). */
    public ReadOnlyIntegerProperty settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty runsProperty() {
        return runs.getReadOnlyProperty();
    }

    /** Every row is usable and the study they make has no problem. */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** A problem of the grid as a whole (a combination of values the experiment refuses), or "". */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The axes of the rows, in order, when every row is usable; empty otherwise. */
    public ReadOnlyObjectProperty<List<StudySpec.Axis>> axesProperty() {
        return axes.getReadOnlyProperty();
    }
}
