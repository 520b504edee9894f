package dev.mnistdrill.ui.view;

import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.LrSchedule;
import dev.mnistdrill.model.Optimizer;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.util.FocusScroll;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.vm.ExperimentViewModel;
import dev.mnistdrill.ui.vm.StudiesViewModel;
import dev.mnistdrill.ui.vm.StudyGridDraft;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.beans.property.Property;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.MapChangeListener;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.ToggleSwitch;

/** Binds the experiment form and the live parameter summary to {@link ExperimentViewModel}. */
public final class ExperimentController {
    private final WorkbenchContext context;
    private final ExperimentViewModel vm;
    /** Each knob's control in the form; its bounds, help and errors come from the knob. */
    private final Map<Knob, Node> fields = new EnumMap<>(Knob.class);
    private boolean updatingPreset;

    /** Each field's help, shown as its tooltip unless the field holds an error. */
    private final Map<Node, String> help = new java.util.HashMap<>();

    @FXML ComboBox<String> presetBox;
    @FXML Label presetTarget;
    @FXML GridPane form;
    @FXML TextField nameField;
    @FXML Label architectureLabel;
    @FXML TextField architectureField;
    @FXML ToggleSwitch batchNormSwitch;
    @FXML Slider dropoutSlider;
    @FXML Label dropoutValue;
    @FXML Slider rotationSlider;
    @FXML Label rotationValue;
    @FXML Slider translateSlider;
    @FXML Label translateValue;
    @FXML ComboBox<Optimizer> optimizerBox;
    @FXML TextField learningRateField;
    @FXML ComboBox<LrSchedule> lrScheduleBox;
    @FXML TextField lrStepField;
    @FXML TextField lrGammaField;
    @FXML Label scheduleHint;
    @FXML Label averagingHint;
    @FXML TextField batchSizeField;
    @FXML TextField epochsField;
    @FXML TextField seedField;
    @FXML TextField subsetField;
    @FXML TextField emaField;
    @FXML TextField weightDecayField;
    @FXML VBox problemsBox;
    @FXML Label budgetBadge;
    @FXML Label budgetNote;
    @FXML ProgressBar budgetBar;
    @FXML TableView<Architecture.LayerRow> layerTable;
    @FXML TableColumn<Architecture.LayerRow, String> layerNameColumn;
    @FXML TableColumn<Architecture.LayerRow, String> layerShapeColumn;
    @FXML TableColumn<Architecture.LayerRow, String> layerRfColumn;
    @FXML TableColumn<Architecture.LayerRow, String> layerJumpColumn;
    @FXML TableColumn<Architecture.LayerRow, String> layerParamsColumn;
    @FXML Label receptiveFieldNote;
    @FXML Label dl4jNote;
    @FXML VBox studyBox;
    @FXML ScrollPane formScroll;
    @FXML Label studySeedsLabel;
    @FXML Spinner<Integer> studySeedsSpinner;
    @FXML Button gridButton;
    @FXML Label gridSummary;
    @FXML Button studyButton;
    @FXML Label studyHint;
    /** The seeds as an object property, held here: a bidirectional binding keeps only weak references. */
    private javafx.beans.property.ObjectProperty<Integer> studySeedsValue;
    /** Why the last study start was refused, until the form changes. */
    private final javafx.beans.property.StringProperty studyRefusal =
            new javafx.beans.property.SimpleStringProperty(this, "studyRefusal", "");

    public ExperimentController(WorkbenchContext context) {
        this.context = context;
        this.vm = context.experiment();
    }

    /**
     * Ties each label of the form to the control in its row, so that a screen reader names the control by it (and
     * a click on a label focuses it).
     */
    private void labelFields() {
        architectureLabel.setLabelFor(architectureField); // the row above its field's
        for (Node n : form.getChildren()) {
            if (n instanceof Label label && label.getLabelFor() == null && columnOf(n) == 0) {
                form.getChildren().stream()
                        .filter(c -> columnOf(c) == 1 && rowOf(c) == rowOf(n) && !(c instanceof Label))
                        .findFirst().ifPresent(control -> {
                            // the LR step's row holds two fields: the label names the first
                            Node target = control == lrStepField.getParent() ? lrStepField : control;
                            label.setLabelFor(target); // the name a screen reader gives it; its value stays read
                        });
            }
        }
        help.forEach(Node::setAccessibleHelp);
    }

    private static int columnOf(Node n) {
        Integer c = GridPane.getColumnIndex(n);
        return c == null ? 0 : c;
    }

    private static int rowOf(Node n) {
        Integer r = GridPane.getRowIndex(n);
        return r == null ? 0 : r;
    }

    @FXML
    void initialize() {
        FocusScroll.follow(formScroll);
        presetBox.getItems().setAll(Presets.names());
        presetBox.setValue(vm.presetProperty().get());
        vm.presetProperty().addListener((o, was, now) -> {
            updatingPreset = true;
            try {
                presetBox.setValue(now);
            } finally {
                updatingPreset = false;
            }
        });
        presetBox.setOnAction(e -> {
            if (!updatingPreset && presetBox.getValue() != null) {
                vm.applyPreset(presetBox.getValue());
            }
        });
        // A preset's knobs moved: say so, since the run will still carry the preset's name (and its step in the
        // report); renaming it makes it a custom experiment.
        presetTarget.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            ExperimentConfig d = vm.draftProperty().get();
            String t = d == null ? "" : Presets.target(d.name());
            if (t.isEmpty()) {
                return "Custom experiment.";
            }
            // named as the target it is: beside a study's "3/5", code4's "hold >=99.4% ... on every seed" read as
            // a claim
            t = "Target of " + d.name() + ": " + t;
            List<String> changes = Presets.changes(d);
            return changes.isEmpty() ? t : t + "\nChanged from " + d.name() + ": " + String.join(", ", changes) + ".";
        }, vm.draftProperty()));

        optimizerBox.getItems().setAll(Optimizer.values());
        lrScheduleBox.getItems().setAll(LrSchedule.values());
        fields.put(Knob.NAME, nameField);
        fields.put(Knob.ARCH, architectureField);
        fields.put(Knob.BN, batchNormSwitch);
        fields.put(Knob.DROPOUT, dropoutSlider);
        fields.put(Knob.ROTATION, rotationSlider);
        fields.put(Knob.TRANSLATE, translateSlider);
        fields.put(Knob.OPTIMIZER, optimizerBox);
        fields.put(Knob.LR, learningRateField);
        fields.put(Knob.LR_SCHEDULE, lrScheduleBox);
        fields.put(Knob.LR_STEP, lrStepField);
        fields.put(Knob.LR_GAMMA, lrGammaField);
        fields.put(Knob.BATCH, batchSizeField);
        fields.put(Knob.EPOCHS, epochsField);
        fields.put(Knob.SEED, seedField);
        fields.put(Knob.SUBSET, subsetField);
        fields.put(Knob.EMA, emaField);
        fields.put(Knob.WEIGHT_DECAY, weightDecayField);
        fields.forEach((knob, node) -> {
            node.getProperties().put(Knob.class, knob); // which knob a control sets, for the tests
            help.put(node, helpOf(knob));
            if (node instanceof Slider slider) {
                Knob.Range r = knob.range();
                slider.setMin(r.min());
                slider.setMax(r.max());
                slider.setBlockIncrement(r.step());
            }
            bind(node, vm.property(knob));
        });
        dropoutValue.textProperty().bind(vm.dropoutProperty().asString(Locale.ROOT, "%.2f"));
        rotationValue.textProperty().bind(vm.rotationProperty().asString(Locale.ROOT, "%.0f°"));
        translateValue.textProperty().bind(vm.translateProperty().asString(Locale.ROOT, "%.1f px"));
        // one cycle sets the rate every step: the step schedule's two fields would only mislead
        javafx.beans.binding.BooleanBinding oneCycle = vm.lrScheduleProperty().isEqualTo(LrSchedule.ONE_CYCLE);
        lrStepField.getParent().disableProperty().bind(oneCycle);
        lrGammaField.disableProperty().bind(oneCycle);
        scheduleHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> schedule(vm.draftProperty().get()), vm.draftProperty()));
        averagingHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> averaging(vm.draftProperty().get()), vm.draftProperty()));
        averagingHint.visibleProperty().bind(averagingHint.textProperty().isNotEmpty());
        averagingHint.managedProperty().bind(averagingHint.visibleProperty());

        vm.fieldErrors().addListener((MapChangeListener<Knob, String>) c -> showFieldErrors());
        vm.problems().addListener((javafx.collections.ListChangeListener<String>) c -> showProblems());
        showFieldErrors();
        showProblems();

        layerTable.setItems(vm.layers());
        layerNameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        layerShapeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().outputShape()));
        layerParamsColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().trainable() == 0 ? "–"
                : Formats.count(c.getValue().trainable())));
        layerRfColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(
                c.getValue().receptiveField())));
        layerJumpColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(Integer.toString(c.getValue().jump())));
        TableHeaders.tip(layerShapeColumn, "The layer's output: [channels, height, width]");
        TableHeaders.tip(layerRfColumn, "Receptive field: how many input pixels across one output value sees. "
                + "A 3x3 layer adds 2 jumps to it, a 2x2 pool 1 jump.");
        TableHeaders.tip(layerJumpColumn, "Input pixels between two neighbouring outputs: every stride-2 pool "
                + "doubles it.");
        TableHeaders.tip(layerParamsColumn, "Trainable parameters, counted as PyTorch does");
        layerTable.setFixedCellSize(23);
        layerTable.prefHeightProperty().bind(javafx.beans.binding.Bindings.size(vm.layers()).multiply(23).add(30));
        layerTable.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        layerNameColumn.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : Formats.compactLayerName(item));
                setTooltip(empty || item == null ? null : new Tooltip(item));
            }
        });
        vm.summaryProperty().addListener(o -> showSummary());
        showSummary();

        // The form is read-only while a run trains: the run keeps the settings it started with. Locking it restyles
        // every control in it, so that happens a frame after the Start, whose own frame stays short (measured in the
        // demo: the Start frame took 56-108 ms before); the training thread starts behind it in the same queue.
        dev.mnistdrill.ui.vm.Fx.followAFrameLater(form.disableProperty(), context.training().busyProperty(),
                context.frames());
        presetBox.disableProperty().bind(form.disableProperty());
        labelFields();
        initStudy();
    }

    /** The study section under the form: seeds, the grid, and the button that starts the study. */
    private void initStudy() {
        StudiesViewModel studies = context.studies();
        SpinnerValueFactory.IntegerSpinnerValueFactory seeds = new SpinnerValueFactory.IntegerSpinnerValueFactory(1,
                ExperimentViewModel.MAX_STUDY_SEEDS, vm.studySeedsProperty().get());
        seeds.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Integer n) {
                return n == null ? "" : n.toString();
            }

            @Override
            public Integer fromString(String text) {
                try {
                    return Integer.parseInt(text.strip());
                } catch (NumberFormatException e) {
                    return seeds.getValue(); // empty or too long: keep the value
                }
            }
        });
        studySeedsSpinner.setValueFactory(seeds);
        studySeedsSpinner.getEditor().setTextFormatter(new TextFormatter<>(
                change -> change.getControlNewText().matches("\\d{0,3}") ? change : null));
        studySeedsValue = vm.studySeedsProperty().asObject();
        seeds.valueProperty().bindBidirectional(studySeedsValue);
        studySeedsLabel.setLabelFor(studySeedsSpinner);
        studySeedsSpinner.setTooltip(new Tooltip("Each setting trains once per seed, seeds 1 to this (the form's "
                + "Seed is set aside); the verdict is on how many seeds the target held"));
        gridButton.setTooltip(new Tooltip("Vary knobs over values: the study trains every combination on every "
                + "seed"));

        var grid = vm.studyGrid();
        gridSummary.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> grid.isEmpty()
                ? "No grid: the experiment above as it is."
                : "Grid: " + String.join(" · ", grid.stream().map(a -> a.knob().cliName() + " "
                        + String.join(", ", a.values())).toList()), grid));
        studyButton.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> grid.isEmpty()
                ? "Repeat with " + vm.studySeedsProperty().get() + " seed" + (vm.studySeedsProperty().get() == 1
                ? "" : "s") : "Train the grid: " + Formats.count(vm.studyRunsProperty().get()) + " runs",
                grid, vm.studySeedsProperty(), vm.studyRunsProperty()));
        studyButton.disableProperty().bind(vm.studySpecProperty().isNull()
                .or(context.training().busyProperty()).or(studies.busyProperty()));
        studyHint.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(this::studyHintText,
                vm.studySpecProperty(), vm.studyProblemProperty(), vm.studyRunsProperty(),
                context.training().busyProperty(), studies.busyProperty(), studies.activeIdProperty(),
                studies.studies(), studyRefusal));
        studyHint.textProperty().addListener((o, was, now) -> {
            studyHint.getStyleClass().remove("study-problem");
            if (now.startsWith("⚠")) {
                studyHint.getStyleClass().add("study-problem");
            }
        });
        // a refusal is about the form as it was: any change makes it old news
        vm.studySpecProperty().addListener(o -> studyRefusal.set(""));
        studies.busyProperty().addListener(o -> studyRefusal.set(""));
    }

    /** What the study button would do, or why it cannot. */
    private String studyHintText() {
        StudiesViewModel studies = context.studies();
        if (!studyRefusal.get().isEmpty()) {
            return "⚠  " + studyRefusal.get();
        }
        if (studies.busyProperty().get()) {
            return "A study is training (" + studies.activeIdProperty().get() + "): follow it on the Studies tab. "
                    + "Start another when it has ended.";
        }
        if (context.training().busyProperty().get()) {
            return "A training is running: start a study when it has ended.";
        }
        StudySpec spec = vm.studySpecProperty().get();
        if (spec == null) {
            return "⚠  " + vm.studyProblemProperty().get();
        }
        String shape = spec.grid().isEmpty()
                ? String.format(Locale.ROOT, "%d runs on seeds 1–%d", spec.runCount(), spec.seeds().size())
                : StudyGridDraft.describe(spec.settings().size(), spec.seeds().size());
        String stored = studies.studies().stream().filter(r -> r.id().equals(spec.id())).findFirst()
                .map(r -> r.runsDone() == r.runsPlanned()
                        ? " Stored already, complete: starting it again only re-reads it."
                        : " Stored already with " + r.runsDone() + " of " + r.runsPlanned() + " runs done: it trains "
                        + "the missing.")
                .orElse("");
        return shape + ", judged on " + spec.criterion().describe() + ". They train in the background; see the "
                + "Studies tab." + stored;
    }

    @FXML
    void editGrid() {
        ExperimentConfig base = vm.configProperty().get() != null ? vm.configProperty().get()
                : vm.draftProperty().get();
        StudyGridDraft draft = new StudyGridDraft(base, vm.studySeedsProperty().get(), vm.studyGrid());
        if (draft.rows().isEmpty()) {
            draft.addRow(); // nothing to edit yet: start with a row, ready to type into
        }
        String css = form.getScene() == null || form.getScene().getStylesheets().isEmpty() ? null
                : form.getScene().getStylesheets().get(0);
        new StudyGridDialog(form.getScene().getWindow(), draft, css).dialog().showAndWait()
                .ifPresent(axes -> vm.studyGrid().setAll(axes));
    }

    @FXML
    void startStudy() {
        StudySpec spec = vm.studySpecProperty().get();
        if (spec == null) {
            return;
        }
        if (spec.runCount() > StudySpec.CONFIRM_ABOVE_RUNS && !confirmLargeStudy(spec)) {
            return;
        }
        String refused = context.studies().start(spec);
        studyRefusal.set(refused == null ? "" : refused);
    }

    /** Asks before a study of more than {@link StudySpec#CONFIRM_ABOVE_RUNS} runs, as the command line does. */
    private boolean confirmLargeStudy(StudySpec spec) {
        ButtonType start = new ButtonType("Start " + Formats.count(spec.runCount()) + " runs",
                ButtonBar.ButtonData.OK_DONE);
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION, StudyGridDraft.describe(spec.settings().size(),
                spec.seeds().size()).replaceFirst(" \\(over.*", "") + ". Each run trains a whole model of "
                + spec.base().epochs() + " epochs; the study can be stopped and resumed at any time.", start,
                ButtonType.CANCEL);
        ask.setTitle("A large study");
        ask.setHeaderText("This study is " + Formats.count(spec.runCount()) + " runs, more than "
                + StudySpec.CONFIRM_ABOVE_RUNS);
        ask.initOwner(form.getScene().getWindow());
        return ask.showAndWait().orElse(ButtonType.CANCEL) == start;
    }

    static String schedule(ExperimentConfig c) {
        if (c != null && c.changesRateEveryStep()) {
            if (!c.problems().isEmpty()) {
                return "";
            }
            try {
                long steps = c.trainingSteps();
                long peak = LrSchedule.peakStep(steps);
                return String.format(Locale.ROOT, "LR from %s up to %s by step %s (epoch %d), then down to nearly 0 "
                        + "by the last, step %s; it changes every step.", Formats.trim(c.learningRateAtStep(0)),
                        Formats.trim(c.learningRate()), Formats.count(peak + 1), peak / c.batchesPerEpoch() + 1,
                        Formats.count(steps));
            } catch (RuntimeException e) {
                return "";
            }
        }
        if (c == null || c.lrStep() <= 0) {
            return "Constant learning rate (step 0 = off).";
        }
        try {
            StringBuilder b = new StringBuilder("LR ");
            double last = Double.NaN;
            for (int e = 1; e <= Math.max(1, Math.min(c.epochs(), 50)); e++) {
                double lr = c.learningRateAt(e);
                if (lr != last) {
                    b.append(e == 1 ? "" : ", ").append(Formats.trim(lr)).append(" from epoch ").append(e);
                    last = lr;
                }
            }
            return b.toString();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Where the averaging's warm-up ends against the run's length: at batch 128 a 15-epoch run ends before 0.999 is
     * reached, so the decay typed is not the one that averages (model/ExperimentConfig#averagingDecayAt). Empty when
     * averaging is off or the settings do not make a run.
     */
    public static String averaging(ExperimentConfig c) {
        if (c == null || !c.averagesWeights() || !c.problems().isEmpty()) {
            return "";
        }
        long steps = c.trainingSteps();
        long full = c.averagingFullDecayStep();
        String decay = Formats.trim(c.ema());
        if (full > steps) {
            double reached = ExperimentConfig.averagingDecayAt(c.ema(), steps);
            return String.format(Locale.ROOT, "Warms up for longer than the run: its %s steps end at a decay of %s, "
                    + "not %s.", Formats.count(steps), Knob.decayDown(reached), decay);
        }
        long perEpoch = c.batchesPerEpoch();
        return String.format(Locale.ROOT, "Warms up to %s by step %s (epoch %d) of %s.", decay, Formats.count(full),
                (full + perEpoch - 1) / perEpoch, Formats.count(steps));
    }

    /** Ties a knob's control to the view model's property of the knob, both ways. */
    @SuppressWarnings("unchecked")
    private static void bind(Node control, Property<?> property) {
        if (control instanceof TextField text) {
            text.textProperty().bindBidirectional((Property<String>) property);
        } else if (control instanceof Slider slider) {
            slider.valueProperty().bindBidirectional((Property<Number>) property);
        } else if (control instanceof ToggleSwitch toggle) {
            toggle.selectedProperty().bindBidirectional((Property<Boolean>) property);
        } else if (control instanceof ComboBox<?> box) {
            ((ComboBox<Object>) box).valueProperty().bindBidirectional((Property<Object>) property);
        } else {
            throw new IllegalArgumentException("no binding for " + control);
        }
    }

    /** A knob's help as a tooltip: the command line's words, with the sign the window can show. */
    private static String helpOf(Knob knob) {
        return knob.helpWithRange().replace("+- ", "± ");
    }

    private void showFieldErrors() {
        for (Map.Entry<Knob, Node> f : fields.entrySet()) {
            String error = vm.fieldErrors().get(f.getKey());
            Node node = f.getValue();
            node.getStyleClass().remove("invalid");
            if (node instanceof javafx.scene.control.Control control) {
                String text = error != null ? error : help.get(node);
                control.setTooltip(text == null ? null : new Tooltip(text));
            }
            if (error != null) {
                node.getStyleClass().add("invalid");
            }
        }
    }

    private void showProblems() {
        problemsBox.getChildren().clear();
        for (String p : vm.problems()) {
            Label l = new Label("⚠  " + p);
            l.setWrapText(true);
            l.getStyleClass().add("problem");
            problemsBox.getChildren().add(l);
        }
        problemsBox.setVisible(!vm.problems().isEmpty());
        problemsBox.setManaged(!vm.problems().isEmpty());
    }

    private void showSummary() {
        Architecture.Summary s = vm.summaryProperty().get();
        budgetBadge.getStyleClass().removeAll("ok", "over");
        if (s == null) {
            budgetBadge.setText("? / 10,000");
            budgetBadge.getStyleClass().add("over");
            budgetNote.setText("Fix the architecture to count parameters.");
            budgetBar.setProgress(0);
            receptiveFieldNote.setText("");
            dl4jNote.setText("");
            return;
        }
        boolean ok = s.trainable() < ExperimentViewModel.BUDGET;
        budgetBadge.setText(Formats.count(s.trainable()) + " / 10,000");
        budgetBadge.getStyleClass().add(ok ? "ok" : "over");
        budgetNote.setText(ok ? Formats.count(ExperimentViewModel.BUDGET - s.trainable()) + " to spare"
                : "over budget by " + Formats.count(s.trainable() - ExperimentViewModel.BUDGET + 1));
        budgetBar.setProgress(Math.min(1, s.trainable() / (double) ExperimentViewModel.BUDGET));
        budgetBar.getStyleClass().removeAll("ok", "over");
        budgetBar.getStyleClass().add(ok ? "ok" : "over");
        receptiveFieldNote.setText(s.receptiveFieldNote());
        dl4jNote.setText(s.nonTrainable() == 0 ? "Trainable parameters counted as PyTorch does."
                : "Trainable as PyTorch counts them; DL4J's numParams() says " + Formats.count(s.dl4jNumParams())
                + " because it also stores BatchNorm's running mean and variance.");
    }

    public Label budgetBadge() {
        return budgetBadge;
    }
}
