package dev.mnistdrill.ui.view;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.DigitCanvas;
import dev.mnistdrill.ui.control.DigitImages;
import dev.mnistdrill.ui.control.ProbabilityBars;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.vm.DrawViewModel;
import dev.mnistdrill.ui.vm.Fx;
import dev.mnistdrill.ui.vm.RunsViewModel;
import java.util.Comparator;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import dev.mnistdrill.train.OcclusionSaliency;
import dev.mnistdrill.ui.control.FeatureMapsView;
import dev.mnistdrill.ui.control.FiltersView;
import dev.mnistdrill.ui.control.SaliencyView;
import javafx.scene.control.Tab;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TabPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * The drawing pad, the 28x28 image the network gets, its ten probabilities, and inside the network: where it looks
 * (saliency), what each convolution makes of the digit (feature maps) and what the model's filters learned.
 */
public final class DrawController {
    /** Side of the saliency view: the network input's preview size. */
    private static final double SALIENCY_SIDE = 136;

    private final WorkbenchContext context;
    private final DigitCanvas canvas = new DigitCanvas(DrawViewModel.CANVAS, DrawViewModel.PEN);
    private final SaliencyView saliency = new SaliencyView(SALIENCY_SIDE);

    @FXML StackPane canvasHolder;
    @FXML Button undoButton;
    @FXML Button clearButton;
    @FXML ImageView previewView;
    @FXML Label bigDigit;
    @FXML Label confidenceLabel;
    @FXML Label timingLabel;
    @FXML Label hintLabel;
    @FXML ProbabilityBars bars;
    @FXML Label modelLabel;
    @FXML CheckBox followBox;
    @FXML ComboBox<RunRecord> savedRunBox;
    @FXML Label modelProblem;
    @FXML VBox inputColumn;
    @FXML Label saliencyTitle;
    @FXML StackPane saliencyHolder;
    @FXML Label saliencyHint;
    @FXML Button saveSaliencyButton;
    @FXML Label barsHint;
    @FXML TabPane insideTabs;
    @FXML Tab featureMapsTab;
    @FXML Tab filtersTab;
    @FXML Label insideMessage;
    @FXML FeatureMapsView featureMaps;
    @FXML Label filtersSource;
    @FXML Label filtersMessage;
    @FXML FiltersView filtersView;

    public DrawController(WorkbenchContext context) {
        this.context = context;
    }

    @FXML
    void initialize() {
        DrawViewModel vm = context.draw();
        canvasHolder.getChildren().add(canvas);
        canvas.setOnChange(vm::update);
        vm.previewProperty().addListener((o, was, now) -> previewView.setImage(now == null ? null
                : DigitImages.of(now)));
        previewView.setImage(DigitImages.of(new float[784]));
        vm.probabilitiesProperty().addListener((o, was, now) -> showPrediction());
        hintLabel.textProperty().bind(vm.hintProperty());
        hintLabel.visibleProperty().bind(vm.hintProperty().isNotNull());
        hintLabel.managedProperty().bind(hintLabel.visibleProperty());
        modelLabel.textProperty().bind(vm.modelDescriptionProperty());
        Tooltip modelTip = new Tooltip();
        modelTip.textProperty().bind(vm.modelDescriptionProperty());
        modelLabel.setTooltip(modelTip);
        followBox.selectedProperty().bindBidirectional(vm.followTrainingProperty());
        setUpSavedRuns();
        setUpInside(vm);
        showPrediction();
    }

    /** Saliency, feature maps and filters follow the view model; a click on a bar picks the saliency's class. */
    private void setUpInside(DrawViewModel vm) {
        saliencyHolder.getChildren().add(saliency);
        vm.traceProperty().addListener((o, was, now) -> featureMaps.show(now));
        featureMaps.show(vm.traceProperty().get());
        vm.saliencyProperty().addListener((o, was, now) -> showSaliency());
        vm.saliencyDigitProperty().addListener((o, was, now) -> showSaliency());
        vm.previewProperty().addListener((o, was, now) -> showSaliency());
        vm.saliencyNoteProperty().addListener((o, was, now) -> showSaliency());
        vm.probabilitiesProperty().addListener((o, was, now) -> showSaliency());
        bars.setOnDigitPicked(d -> vm.saliencyDigitProperty().set(d == vm.predictedProperty().get() ? -1 : d));
        barsHint.visibleProperty().bind(vm.probabilitiesProperty().isNotNull());
        vm.filtersProperty().addListener((o, was, now) -> showFilters());
        vm.filtersProblemProperty().addListener((o, was, now) -> showFilters());
        vm.modelDescriptionProperty().addListener((o, was, now) -> showFilters());
        saveSaliencyButton.disableProperty().bind(vm.saliencyProperty().isNull());
        showSaliency();
        showFilters();
    }

    private void showSaliency() {
        DrawViewModel vm = context.draw();
        float[] image = vm.previewProperty().get();
        OcclusionSaliency.Maps maps = vm.saliencyProperty().get();
        int digit = vm.shownSaliencyDigit();
        bars.setPicked(vm.probabilitiesProperty().get() == null ? -1 : digit);
        if (image == null || vm.probabilitiesProperty().get() == null) {
            saliency.show(image, null, 0);
            saliencyTitle.setText("Where it looks");
            saliencyHint.setText("Draw a digit: the ink the network relies on turns red.");
            return;
        }
        saliencyTitle.setText("Where it looks for " + digit);
        if (maps == null) {
            saliency.show(image, null, 0);
            String note = vm.saliencyNoteProperty().get();
            saliencyHint.setText(note == null || note.isEmpty() ? "Erasing each bit of ink in turn…" : note);
            return;
        }
        // one scale for all ten maps: a class with little evidence looks faint, as it should
        saliency.show(image, maps.of(digit), maps.maxAbs());
        saliencyHint.setText("Red: ink that speaks for " + digit + " (erasing it lowers " + digit
                + "'s score). Blue: ink that speaks against it.");
    }

    private void showFilters() {
        DrawViewModel vm = context.draw();
        filtersView.show(vm.filtersProperty().get(), vm.filtersProblemProperty().get());
        filtersSource.setText(vm.modelProperty().get() == null ? "The filters of the model on the pad."
                : "The filters of: " + vm.modelDescriptionProperty().get()
                + ". Red weights are positive, blue negative; hover one for its numbers.");
    }

    @FXML
    void saveFeatureMapsPng() {
        save(featureMaps.mapsNode(), "Feature maps", "mnist-drill-feature-maps.png", insideMessage);
    }

    @FXML
    void saveFiltersPng() {
        save(filtersView, "Filters", "mnist-drill-filters.png", filtersMessage);
    }

    @FXML
    void saveSaliencyPng() {
        save(inputColumn, "Saliency map", "mnist-drill-saliency.png", insideMessage);
    }

    private void save(javafx.scene.Node node, String what, String name, Label message) {
        java.nio.file.Path file = SaveDialog.png(node.getScene().getWindow(), "Save " + what.toLowerCase(
                Locale.ROOT) + " as PNG", name);
        if (file != null) {
            saveTo(node, what, file, message);
        }
    }

    /** Writes {@code node} as a PNG and says so in {@code message}. */
    java.util.concurrent.CompletableFuture<Void> saveTo(javafx.scene.Node node, String what, java.nio.file.Path file,
                                                       Label message) {
        message.getStyleClass().remove("error");
        message.setText("Saving…");
        return ChartImages.write(node, file, context, what, message::setText, text -> {
            message.getStyleClass().add("error");
            message.setText(text);
        });
    }

    /**
     * The saved runs with a model file, newest first, listed afresh each time the box opens; picking one puts its model
     * on the pad (and stops following the training), as "Use model for drawing" on the Runs tab does.
     */
    private boolean refilling;
    /** The run whose model the box last asked for (and the pad has, unless the box was cleared since). */
    private String loadedId;

    private void setUpSavedRuns() {
        savedRunBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(RunRecord r) {
                return r == null ? "" : savedRunText(r);
            }

            @Override
            public RunRecord fromString(String s) {
                return null;
            }
        });
        // The box's button, narrower than its list, leaves the epoch and a member's study to the list and the pad's
        // label; cut, it loses its middle (the CSS), not the seed.
        savedRunBox.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(RunRecord r, boolean empty) {
                super.updateItem(r, empty);
                setText(empty || r == null ? savedRunBox.getPromptText()
                        : Formats.percent(r.summary().lastTestAccuracy()) + " · " + Formats.runLabel(r, false));
            }
        });
        Tooltip savedRunTip = new Tooltip();
        savedRunTip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> savedRunBox.getValue() == null ? "Put a saved run's model on the pad"
                        : savedRunText(savedRunBox.getValue()), savedRunBox.valueProperty()));
        savedRunBox.setTooltip(savedRunTip);
        savedRunBox.setOnShowing(e -> {
            // re-listing re-selects the value, which fires the action: that must not load the model again
            refilling = true;
            try {
                RunRecord shown = savedRunBox.getValue();
                savedRunBox.getItems().setAll(context.runs().rows().stream()
                        .map(RunsViewModel.RunRow::record).filter(RunRecord::hasModel)
                        .sorted(Comparator.comparing(RunRecord::id).reversed()).toList());
                // the box keeps naming the run whose model is in use
                savedRunBox.setValue(shown == null ? null : savedRunBox.getItems().stream()
                        .filter(r -> r.id().equals(shown.id())).findFirst().orElse(null));
            } finally {
                refilling = false;
            }
        });
        savedRunBox.setOnAction(e -> {
            RunRecord r = savedRunBox.getValue();
            // re-listing the runs re-selects the value (after the refill, too): not a pick
            if (r == null || refilling || r.id().equals(loadedId)) {
                return;
            }
            loadedId = r.id();
            modelProblem.setText("");
            context.runs().useModel(r).thenAccept(problem -> Fx.run(() -> {
                if (savedRunBox.getValue() != r) {
                    return; // another run was picked meanwhile: its answer counts
                }
                modelProblem.setText(problem.orElse(""));
                if (problem.isPresent()) {
                    loadedId = null;
                    savedRunBox.setValue(null); // the pad keeps the model it had
                }
            }));
        });
        // following the training again, or another run's model from the Runs tab: the box no longer names the
        // model in use
        context.draw().modelDescriptionProperty().addListener((o, was, now) -> {
            RunRecord picked = savedRunBox.getValue();
            if (picked != null && (now == null || !now.contains(picked.id()))) {
                loadedId = null;
                savedRunBox.setValue(null);
                modelProblem.setText("");
            }
        });
        modelProblem.visibleProperty().bind(modelProblem.textProperty().isNotEmpty());
        modelProblem.managedProperty().bind(modelProblem.visibleProperty());
    }

    /**
     * A saved run in the box, its model's accuracy first, a study member by its seed, then its study: "99.46% at
     * epoch 15 · code4 · seed 5 · study code4-48bc1fa8".
     */
    static String savedRunText(RunRecord r) {
        return Formats.percent(r.summary().lastTestAccuracy()) + " at epoch " + r.summary().epochsCompleted() + " · "
                + Formats.runLabel(r, false) + (r.study() == null ? "" : " · study " + r.study().studyId());
    }

    private void showPrediction() {
        DrawViewModel vm = context.draw();
        double[] p = vm.probabilitiesProperty().get();
        bars.show(p);
        if (p == null) {
            bigDigit.setText("?");
            confidenceLabel.setText("");
            timingLabel.setText("");
            return;
        }
        int best = vm.predictedProperty().get();
        bigDigit.setText(Integer.toString(best));
        confidenceLabel.setText(String.format(Locale.ROOT, "%.1f%% sure", 100 * p[best]));
        timingLabel.setText(String.format(Locale.ROOT, "answered in %.1f ms", vm.lastMillisProperty().get()));
    }

    @FXML
    public void undo() {
        canvas.undo();
    }

    @FXML
    public void clear() {
        canvas.clear();
    }

    public DigitCanvas canvas() {
        return canvas;
    }

    public ProbabilityBars bars() {
        return bars;
    }

    public FeatureMapsView featureMaps() {
        return featureMaps;
    }

    public SaliencyView saliency() {
        return saliency;
    }

    public FiltersView filters() {
        return filtersView;
    }

    public TabPane insideTabs() {
        return insideTabs;
    }

    /** Saves the feature maps as a PNG without asking where (for tests and the demo). */
    public java.util.concurrent.CompletableFuture<Void> saveFeatureMaps(java.nio.file.Path file) {
        return saveTo(featureMaps.mapsNode(), "Feature maps", file, insideMessage);
    }
}
