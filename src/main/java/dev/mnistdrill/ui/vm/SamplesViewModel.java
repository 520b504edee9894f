package dev.mnistdrill.ui.vm;

import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * An 8x8 grid of training digits as the current augmentation makes them. Each tile has its own random stream, so
 * moving the rotation slider turns the same digits further rather than drawing new ones; "re-roll" draws new ones.
 * Augmenting 64 digits takes well under a millisecond, so this runs on the FX thread.
 */
public final class SamplesViewModel {
    public static final int GRID = 8;

    /** One tile: the digit's index in the training set, its label, and both versions as 0..1 pixels. */
    public record Sample(int index, int label, float[] original, float[] augmented) {
    }

    private final ObjectProperty<MnistData> data = new SimpleObjectProperty<>(this, "data");
    private final DoubleProperty rotation = new SimpleDoubleProperty(this, "rotation");
    private final DoubleProperty translate = new SimpleDoubleProperty(this, "translate");
    private final IntegerProperty subset = new SimpleIntegerProperty(this, "subset");
    private final LongProperty seed = new SimpleLongProperty(this, "seed", 1);
    private final BooleanProperty showOriginal = new SimpleBooleanProperty(this, "showOriginal");
    private final ObservableList<Sample> samples = FXCollections.observableArrayList();

    public SamplesViewModel() {
        data.addListener(o -> recompute());
        rotation.addListener(o -> recompute());
        translate.addListener(o -> recompute());
        subset.addListener(o -> recompute());
        seed.addListener(o -> recompute());
    }

    public void reroll() {
        seed.set(new SplittableRandom().nextLong());
    }

    private void recompute() {
        MnistData d = data.get();
        if (d == null) {
            samples.clear();
            return;
        }
        MnistSplit train = d.train();
        int limit = subset.get() > 0 ? Math.min(subset.get(), train.size()) : train.size();
        SplittableRandom pick = new SplittableRandom(seed.get());
        Augmenter augmenter = new Augmenter(Math.max(0, rotation.get()), Math.max(0, translate.get()));
        List<Sample> tiles = new ArrayList<>(GRID * GRID);
        for (int i = 0; i < GRID * GRID; i++) {
            int index = pick.nextInt(limit);
            float[] augmented = new float[MnistSplit.PIXELS];
            augmenter.augment(train, index, new SplittableRandom(seed.get() * 1_000_003L + i), augmented, 0);
            tiles.add(new Sample(index, train.label(index), train.image(index), augmented));
        }
        samples.setAll(tiles);
    }

    public ObjectProperty<MnistData> dataProperty() {
        return data;
    }

    public DoubleProperty rotationProperty() {
        return rotation;
    }

    public DoubleProperty translateProperty() {
        return translate;
    }

    public IntegerProperty subsetProperty() {
        return subset;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public BooleanProperty showOriginalProperty() {
        return showOriginal;
    }

    public ObservableList<Sample> samples() {
        return samples;
    }
}
