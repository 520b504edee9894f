package dev.mnistdrill.ui.control;

import dev.mnistdrill.ui.vm.SamplesViewModel.Sample;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.layout.GridPane;

/** The 8x8 grid of augmented training digits; each tile shows its label and, on hover, the original. */
public final class SampleGrid extends GridPane {
    public static final int SIDE = 8;
    private final List<DigitTile> tiles = new ArrayList<>();
    private boolean showOriginal;

    public SampleGrid() {
        getStyleClass().add("sample-grid");
        setHgap(4);
        setVgap(4);
        for (int i = 0; i < SIDE * SIDE; i++) {
            DigitTile tile = new DigitTile(60);
            tiles.add(tile);
            add(tile, i % SIDE, i / SIDE);
        }
    }

    public void show(List<Sample> samples) {
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

    public List<DigitTile> tiles() {
        return tiles;
    }
}
