package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.SampleGrid;
import dev.mnistdrill.ui.vm.SamplesViewModel;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;

/** The augmentation preview: the same rotation and shift as the experiment form, applied to 64 training digits. */
public final class SamplesController {
    private final WorkbenchContext context;

    @FXML Slider rotationSlider;
    @FXML Label rotationValue;
    @FXML Slider translateSlider;
    @FXML Label translateValue;
    @FXML Button rerollButton;
    @FXML ToggleButton originalToggle;
    @FXML Label explain;
    @FXML SampleGrid grid;
    @FXML Label placeholder;

    public SamplesController(WorkbenchContext context) {
        this.context = context;
    }

    @FXML
    void initialize() {
        SamplesViewModel vm = context.samples();
        rotationSlider.valueProperty().bindBidirectional(context.experiment().rotationProperty());
        translateSlider.valueProperty().bindBidirectional(context.experiment().translateProperty());
        rotationValue.textProperty().bind(context.experiment().rotationProperty().asString(Locale.ROOT, "%.0f°"));
        translateValue.textProperty().bind(context.experiment().translateProperty().asString(Locale.ROOT, "%.1f px"));
        rotationSlider.disableProperty().bind(context.training().busyProperty());
        translateSlider.disableProperty().bind(context.training().busyProperty());
        originalToggle.selectedProperty().bindBidirectional(vm.showOriginalProperty());
        vm.showOriginalProperty().addListener((o, was, now) -> grid.setShowOriginal(now));
        explain.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT,
                "Training digits as the network sees them this epoch: rotated uniformly within ±%.0f°%s. "
                        + "Hover a tile for the original; the number is its label.", vm.rotationProperty().get(),
                vm.translateProperty().get() > 0 ? String.format(Locale.ROOT, " and shifted up to ±%.1f px",
                        vm.translateProperty().get()) : ""), vm.rotationProperty(), vm.translateProperty()));
        vm.samples().addListener((ListChangeListener<SamplesViewModel.Sample>) c -> grid.show(vm.samples()));
        grid.show(vm.samples());
        placeholder.textProperty().bind(Bindings.createStringBinding(() -> {
            if (context.data().errorProperty().get() != null) {
                return context.data().errorProperty().get();
            }
            return context.data().dataProperty().get() == null ? "Loading MNIST… the samples appear in a moment." : "";
        }, context.data().dataProperty(), context.data().errorProperty()));
        placeholder.visibleProperty().bind(placeholder.textProperty().isNotEmpty());
        grid.visibleProperty().bind(placeholder.textProperty().isEmpty());
        rerollButton.disableProperty().bind(context.data().dataProperty().isNull());
    }

    @FXML
    void reroll() {
        context.samples().reroll();
    }

    public SampleGrid grid() {
        return grid;
    }
}
