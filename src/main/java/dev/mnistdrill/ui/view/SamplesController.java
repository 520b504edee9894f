package dev.mnistdrill.ui.view;

import dev.mnistdrill.ui.WorkbenchContext;
import dev.mnistdrill.ui.control.DigitImages;
import dev.mnistdrill.ui.control.DigitTile;
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
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

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
    @FXML VBox comparison;
    @FXML HBox comparisonTiles;
    @FXML Label comparisonCaption;
    /** The hovered sample (or the first), large: its original beside its augmented copy. */
    private final DigitTile originalTile = new DigitTile(140);
    private final DigitTile augmentedTile = new DigitTile(140);

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
                        + "Hover a tile to see it beside its original; the number is its label.", vm.rotationProperty().get(),
                vm.translateProperty().get() > 0 ? String.format(Locale.ROOT, " and shifted up to ±%.1f px",
                        vm.translateProperty().get()) : ""), vm.rotationProperty(), vm.translateProperty()));
        vm.samples().addListener((ListChangeListener<SamplesViewModel.Sample>) c -> {
            grid.show(vm.samples());
            compare(grid.hoveredProperty().get());
        });
        grid.show(vm.samples());
        comparisonTiles.getChildren().setAll(originalTile, augmentedTile);
        grid.hoveredProperty().addListener((o, was, now) -> compare(now));
        comparison.visibleProperty().bind(grid.visibleProperty());
        compare(null);
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

    /** Shows {@code sample} (or, with none hovered, the grid's first) as original beside augmented. */
    private void compare(SamplesViewModel.Sample sample) {
        var samples = context.samples().samples();
        SamplesViewModel.Sample s = sample != null ? sample : samples.isEmpty() ? null : samples.get(0);
        if (s == null) {
            originalTile.set(null, null, "");
            augmentedTile.set(null, null, "");
            comparisonCaption.setText("");
            return;
        }
        originalTile.set(DigitImages.of(s.original()), null, "original");
        augmentedTile.set(DigitImages.of(s.augmented()), null, "as trained");
        comparisonCaption.setText(String.format(Locale.ROOT, "Training digit #%,d, label %d%s.", s.index(),
                s.label(), sample == null ? " (the first tile; hover another)" : ""));
    }

    /** The large original and augmented tiles beside the grid. */
    public java.util.List<DigitTile> comparisonTiles() {
        return java.util.List.of(originalTile, augmentedTile);
    }

    @FXML
    void reroll() {
        context.samples().reroll();
    }

    public SampleGrid grid() {
        return grid;
    }
}
