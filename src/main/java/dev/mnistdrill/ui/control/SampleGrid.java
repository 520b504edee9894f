package dev.mnistdrill.ui.control;

import dev.mnistdrill.ui.vm.SamplesViewModel.Sample;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.layout.GridPane;

/**
 * The 8x8 grid of augmented training digits; each tile shows its label. The sample under the mouse is offered as
 * {@link #hoveredProperty()}, for a view of the original beside its augmented copy.
 */
public final class SampleGrid extends GridPane {
    public static final int SIDE = 8;
    private final List<DigitTile> tiles = new ArrayList<>();
    private boolean showOriginal;
    private List<Sample> shown = List.of();
    private final ObjectProperty<Sample> hovered = new SimpleObjectProperty<>(this, "hovered");

    public SampleGrid() {
        getStyleClass().add("sample-grid");
        setHgap(4);
        setVgap(4);
        for (int i = 0; i < SIDE * SIDE; i++) {
            DigitTile tile = new DigitTile(60);
            int index = i;
            tile.setOnMouseEntered(e -> hovered.set(index < shown.size() ? shown.get(index) : null));
            tiles.add(tile);
            add(tile, i % SIDE, i / SIDE);
        }
    }

    public void show(List<Sample> samples) {
        shown = List.copyOf(samples);
        Sample was = hovered.get();
        // re-rolled or re-rotated: the tile under the mouse now holds another (or a turned) digit
        hovered.set(was == null ? null : shown.stream().filter(s -> s.index() == was.index()).findFirst()
                .orElse(null));
        for (int i = 0; i < tiles.size(); i++) {
            DigitTile tile = tiles.get(i);
            if (i < samples.size()) {
                Sample s = samples.get(i);
                // main = augmented, alternate = original (hover or the toggle)
                tile.set(DigitImages.of(s.augmented()), DigitImages.of(s.original()), Integer.toString(s.label()));
                tile.setVisible(true);
            } else {
                tile.setVisible(false);
            }
            tile.setShowAlternate(showOriginal);
        }
    }

    public void setShowOriginal(boolean show) {
        showOriginal = show;
        tiles.forEach(t -> t.setShowAlternate(show));
    }

    /** The sample whose tile the mouse entered last (null before any, or when it left the grid's samples). */
    public ReadOnlyObjectProperty<Sample> hoveredProperty() {
        return hovered;
    }

    public List<DigitTile> tiles() {
        return tiles;
    }
}
