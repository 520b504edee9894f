package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.DigitCanvas;
import dev.mnistdrill.ui.control.DigitImages;
import dev.mnistdrill.ui.control.ProbabilityBars;
import dev.mnistdrill.ui.vm.DrawViewModel;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

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
        showPrediction();
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
    void undo() {
        canvas.undo();
    }

    @FXML
    void clear() {
        canvas.clear();
    }

    public DigitCanvas canvas() {
        return canvas;
    }

    public ProbabilityBars bars() {
        return bars;
    }
}
