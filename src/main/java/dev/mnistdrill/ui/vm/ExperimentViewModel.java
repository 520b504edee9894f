package dev.mnistdrill.ui.vm;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.LrSchedule;
import dev.mnistdrill.model.Optimizer;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.Property;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

/**
 * The experiment form: one property per {@link Knob}, as the user typed it. Every change re-derives the config, its
 * problems (per knob, for inline messages: the knobs' own validation, plus what could not be read as a number) and
 * the parameter summary, instantly and without ND4J. Below the form, the study it would make: the experiment repeated
 * on seeds 1 to N, optionally over a grid of knob values.
 */
public final class ExperimentViewModel {
    public static final long BUDGET = DrillCriterion.PARAM_BUDGET;
    /** Seeds a study repeats the experiment on unless the user says otherwise. */
    public static final int DEFAULT_STUDY_SEEDS = 5;
    /** The most seeds the form offers; {@link StudySpec#parseSeeds} would take more, but nobody waits for them. */
    public static final int MAX_STUDY_SEEDS = 100;

    private final StringProperty preset = new SimpleStringProperty(this, "preset");
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final StringProperty architecture = new SimpleStringProperty(this, "architecture", "");
    private final BooleanProperty batchNorm = new SimpleBooleanProperty(this, "batchNorm");
    private final DoubleProperty dropout = new SimpleDoubleProperty(this, "dropout");
    private final DoubleProperty rotation = new SimpleDoubleProperty(this, "rotation");
    private final DoubleProperty translate = new SimpleDoubleProperty(this, "translate");
    private final ObjectProperty<Optimizer> optimizer = new SimpleObjectProperty<>(this, "optimizer");
    private final ObjectProperty<LrSchedule> lrSchedule = new SimpleObjectProperty<>(this, "lrSchedule",
            LrSchedule.STEP);
    private final StringProperty learningRate = new SimpleStringProperty(this, "learningRate", "");
    private final StringProperty lrStep = new SimpleStringProperty(this, "lrStep", "");
    private final StringProperty lrGamma = new SimpleStringProperty(this, "lrGamma", "");
    private final StringProperty batchSize = new SimpleStringProperty(this, "batchSize", "");
    private final StringProperty epochs = new SimpleStringProperty(this, "epochs", "");
    private final StringProperty seed = new SimpleStringProperty(this, "seed", "");
    private final StringProperty subset = new SimpleStringProperty(this, "subset", "");
    private final StringProperty ema = new SimpleStringProperty(this, "ema", "");
    private final StringProperty weightDecay = new SimpleStringProperty(this, "weightDecay", "");

    private final ReadOnlyObjectWrapper<ExperimentConfig> config = new ReadOnlyObjectWrapper<>(this, "config");
    private final ReadOnlyObjectWrapper<ExperimentConfig> draft = new ReadOnlyObjectWrapper<>(this, "draft");
    private final ReadOnlyObjectWrapper<Architecture.Summary> summary = new ReadOnlyObjectWrapper<>(this, "summary");
    private final ReadOnlyLongWrapper trainable = new ReadOnlyLongWrapper(this, "trainable");
    private final ReadOnlyBooleanWrapper withinBudget = new ReadOnlyBooleanWrapper(this, "withinBudget");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid");
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    /** Every knob's property, the form's one list of them. */
    private final Map<Knob, Property<?>> properties = new EnumMap<>(Knob.class);
    private final ObservableMap<Knob, String> fieldErrors = FXCollections.observableHashMap();
    private final ObservableList<Architecture.LayerRow> layers = FXCollections.observableArrayList();
    private boolean loading;

    private final IntegerProperty studySeeds = new SimpleIntegerProperty(this, "studySeeds", DEFAULT_STUDY_SEEDS);
    private final ObservableList<StudySpec.Axis> studyGrid = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<StudySpec> studySpec = new ReadOnlyObjectWrapper<>(this, "studySpec");
    private final ReadOnlyIntegerWrapper studyRuns = new ReadOnlyIntegerWrapper(this, "studyRuns");
    private final ReadOnlyStringWrapper studyProblem = new ReadOnlyStringWrapper(this, "studyProblem", "");

    public ExperimentViewModel() {
        properties.put(Knob.NAME, name);
        properties.put(Knob.ARCH, architecture);
        properties.put(Knob.BN, batchNorm);
        properties.put(Knob.DROPOUT, dropout);
        properties.put(Knob.ROTATION, rotation);
        properties.put(Knob.TRANSLATE, translate);
        properties.put(Knob.OPTIMIZER, optimizer);
        properties.put(Knob.LR, learningRate);
        properties.put(Knob.LR_SCHEDULE, lrSchedule);
        properties.put(Knob.LR_STEP, lrStep);
        properties.put(Knob.LR_GAMMA, lrGamma);
        properties.put(Knob.BATCH, batchSize);
        properties.put(Knob.EPOCHS, epochs);
        properties.put(Knob.SEED, seed);
        properties.put(Knob.SUBSET, subset);
        properties.put(Knob.EMA, ema);
        properties.put(Knob.WEIGHT_DECAY, weightDecay);
        for (Property<?> o : properties.values()) {
            o.addListener(x -> {
                if (!loading) {
                    recompute();
                }
            });
        }
        studySeeds.addListener(o -> recomputeStudy());
        studyGrid.addListener((javafx.collections.ListChangeListener<StudySpec.Axis>) c -> recomputeStudy());
        config.addListener(o -> recomputeStudy());
        applyPreset("code1");
    }

    /** Seeds 1 to {@code n}, the seeds of a study started from the form. */
    public static List<Long> seedsUpTo(int n) {
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    /**
     * The study of the form's experiment (its seed field set aside: the study's seeds replace it) over the grid, on
     * seeds 1 to N; null, with the reason in {@link #studyProblemProperty()}, while it cannot be trained.
     */
    private void recomputeStudy() {
        int seeds = Math.max(1, Math.min(MAX_STUDY_SEEDS, studySeeds.get()));
        int settings = 1;
        for (StudySpec.Axis a : studyGrid) {
            settings *= a.values().size();
        }
        studyRuns.set(settings * seeds);
        ExperimentConfig base = config.get();
        if (base == null) {
            studySpec.set(null);
            studyProblem.set("Fix the experiment's problems above first");
            return;
        }
        StudySpec spec = new StudySpec(base, studyGrid, seedsUpTo(seeds), DrillCriterion.STANDARD);
        List<String> problems = spec.problems();
        studySpec.set(problems.isEmpty() ? spec : null);
        studyProblem.set(problems.isEmpty() ? "" : StudyGridDraft.withoutCliPrefix(problems.get(0)));
    }

    /** Fills the form with a preset. */
    public void applyPreset(String presetName) {
        load(Presets.get(presetName));
        preset.set(presetName);
    }

    /** Fills the form with any config (e.g. a stored run's). */
    public void load(ExperimentConfig c) {
        loading = true;
        try {
            preset.set(Presets.names().contains(c.name()) ? c.name() : null);
            name.set(c.name());
            architecture.set(c.architecture());
            batchNorm.set(c.batchNorm());
            dropout.set(c.dropout());
            rotation.set(c.rotation());
            translate.set(c.translate());
            optimizer.set(c.optimizer());
            learningRate.set(number(c.learningRate()));
            lrSchedule.set(c.lrSchedule());
            lrStep.set(Integer.toString(c.lrStep()));
            lrGamma.set(number(c.lrGamma()));
            batchSize.set(Integer.toString(c.batchSize()));
            epochs.set(Integer.toString(c.epochs()));
            seed.set(Long.toString(c.seed()));
            subset.set(Integer.toString(c.subset()));
            ema.set(number(c.ema()));
            weightDecay.set(number(c.weightDecay()));
        } finally {
            loading = false;
        }
        recompute();
    }

    private static String number(double v) {
        return dev.mnistdrill.ui.util.Formats.trim(v);
    }

    private void recompute() {
        Map<Knob, String> errors = new EnumMap<>(Knob.class);
        String nm = name.get() == null ? "" : name.get().strip();
        // a field that cannot be read keeps code1's value, so that the rest can still be checked and counted
        ExperimentConfig c = Presets.get("code1").withName(nm).withArchitecture(architecture.get())
                .withBatchNorm(batchNorm.get()).withDropout(round(dropout.get(), 100))
                .withRotation(round(rotation.get(), 10)).withTranslate(round(translate.get(), 10))
                .withOptimizer(optimizer.get()).withLrSchedule(lrSchedule.get());
        for (Knob k : Knob.values()) {
            // the numbers typed into text fields are read here, so that what is not a number is said per field
            boolean number = k.kind() == Knob.Kind.WHOLE || k.kind() == Knob.Kind.DECIMAL;
            if (!number || !(properties.get(k) instanceof StringProperty text)) {
                continue;
            }
            String typed = text.get();
            String value = k.kind() == Knob.Kind.WHOLE ? wholeNumber(k, typed, errors) : decimal(k, typed, errors);
            if (value != null) {
                try {
                    c = k.apply(c, value);
                } catch (IllegalArgumentException e) { // a whole number, but too large for its knob
                    errors.put(k, k.label() + ": '" + typed.strip() + "' is far too large");
                }
            }
        }
        ExperimentConfig read = c;
        errors.keySet().removeIf(k -> !k.isUsedBy(read)); // a greyed-out field cannot hold the run back
        Knob.problems(c).forEach(errors::putIfAbsent);
        List<String> all = new ArrayList<>(errors.values());
        fieldErrors.keySet().retainAll(errors.keySet());
        fieldErrors.putAll(errors);
        problems.setAll(all);
        draft.set(c);
        valid.set(all.isEmpty());
        config.set(all.isEmpty() ? c : null);
        Architecture.Summary s;
        try {
            s = c.summary();
        } catch (IllegalArgumentException e) {
            s = null;
        }
        summary.set(s);
        if (s != null) {
            layers.setAll(s.rows());
            trainable.set(s.trainable());
            withinBudget.set(s.trainable() < BUDGET);
        } else {
            layers.clear();
            trainable.set(0);
            withinBudget.set(false);
        }
    }

    private static double round(double v, double scale) {
        return Math.round(v * scale) / scale;
    }

    private static String clean(String text) {
        return text == null ? "" : text.strip().replace("_", "").replace(" ", "");
    }

    /** {@code text} as a decimal number for {@link Knob#apply}, or null with the reason in {@code errors}. */
    private static String decimal(Knob k, String text, Map<Knob, String> errors) {
        String t = clean(text).replace(',', '.');
        if (t.isEmpty()) {
            errors.put(k, k.label() + ": enter a number");
            return null;
        }
        try {
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return t;
        } catch (NumberFormatException e) {
            errors.put(k, k.label() + ": '" + text.strip() + "' is not a number");
            return null;
        }
    }

    /** {@code text} as a whole number for {@link Knob#apply}, or null with the reason in {@code errors}. */
    private static String wholeNumber(Knob k, String text, Map<Knob, String> errors) {
        String t = clean(text).replace(",", "");
        if (t.isEmpty()) {
            errors.put(k, k.label() + ": enter a whole number");
            return null;
        }
        try {
            return Long.toString(Long.parseLong(t));
        } catch (NumberFormatException e) {
            errors.put(k, k.label() + ": '" + text.strip() + "' is not a whole number");
            return null;
        }
    }

    // --- properties -------------------------------------------------------------------------------------------

    /**
     * The property behind {@code knob}'s field: a StringProperty for what is typed, a DoubleProperty for a slider, a
     * BooleanProperty for the switch, an ObjectProperty for the optimizer and the LR schedule.
     */
    public Property<?> property(Knob knob) {
        return properties.get(knob);
    }

    public StringProperty presetProperty() {
        return preset;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty architectureProperty() {
        return architecture;
    }

    public BooleanProperty batchNormProperty() {
        return batchNorm;
    }

    public DoubleProperty dropoutProperty() {
        return dropout;
    }

    public DoubleProperty rotationProperty() {
        return rotation;
    }

    public DoubleProperty translateProperty() {
        return translate;
    }

    public ObjectProperty<Optimizer> optimizerProperty() {
        return optimizer;
    }

    public ObjectProperty<LrSchedule> lrScheduleProperty() {
        return lrSchedule;
    }

    public StringProperty learningRateProperty() {
        return learningRate;
    }

    public StringProperty lrStepProperty() {
        return lrStep;
    }

    public StringProperty lrGammaProperty() {
        return lrGamma;
    }

    public StringProperty batchSizeProperty() {
        return batchSize;
    }

    public StringProperty epochsProperty() {
        return epochs;
    }

    public StringProperty seedProperty() {
        return seed;
    }

    public StringProperty subsetProperty() {
        return subset;
    }

    /** The config when the form is valid, else null. */
    public ReadOnlyObjectProperty<ExperimentConfig> configProperty() {
        return config.getReadOnlyProperty();
    }

    public ExperimentConfig config() {
        return config.get();
    }

    /** The config as far as it can be read, valid or not. */
    public ReadOnlyObjectProperty<ExperimentConfig> draftProperty() {
        return draft.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Architecture.Summary> summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty trainableProperty() {
        return trainable.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty withinBudgetProperty() {
        return withinBudget.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public ObservableList<String> problems() {
        return problems;
    }

    /** The form's problems by the knob whose field shows them; empty when it can be trained. */
    public ObservableMap<Knob, String> fieldErrors() {
        return fieldErrors;
    }

    public ObservableList<Architecture.LayerRow> layers() {
        return layers;
    }

    /** How many seeds (1 to N) a study started from the form trains each setting on. */
    public IntegerProperty studySeedsProperty() {
        return studySeeds;
    }

    /** The knobs a study started from the form varies, in order; empty for a plain repeat on seeds. */
    public ObservableList<StudySpec.Axis> studyGrid() {
        return studyGrid;
    }

    /** The study the form would start, or null while it cannot (see {@link #studyProblemProperty()}). */
    public ReadOnlyObjectProperty<StudySpec> studySpecProperty() {
        return studySpec.getReadOnlyProperty();
    }

    /** Settings times seeds, also while the study cannot start. */
    public ReadOnlyIntegerProperty studyRunsProperty() {
        return studyRuns.getReadOnlyProperty();
    }

    /** Why the study cannot start, or "". */
    public ReadOnlyStringProperty studyProblemProperty() {
        return studyProblem.getReadOnlyProperty();
    }
}
