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
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.util.StringConverter;

/** The drawing pad, the 28x28 image the network gets, and its ten probabilities. */
public final class DrawController {
    private final WorkbenchContext context;
    private final DigitCanvas canvas = new DigitCanvas(DrawViewModel.CANVAS, DrawViewModel.PEN);

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
        followBox.selectedProperty().bindBidirectional(vm.followTrainingProperty());
        setUpSavedRuns();
        showPrediction();
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
                return r == null ? "" : Formats.runLabel(r.id(), r.config().name()) + " · "
                        + Formats.percent(r.summary().bestTestAccuracy()) + " best · epoch "
                        + r.summary().epochsCompleted();
            }

            @Override
            public RunRecord fromString(String s) {
                return null;
            }
        });
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
}
