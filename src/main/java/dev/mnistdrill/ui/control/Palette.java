package dev.mnistdrill.ui.control;

import java.util.List;

/**
 * Chart colours: the live run's two curves, the target, distinct colours for overlaid runs, and the bands of a study's
 * settings and of the study it is compared with (two families, so that the comparison tells itself apart).
 */
public final class Palette {
    public static final String TRAIN = "#4c78a8";
    public static final String TEST = "#f58518";
    public static final String TARGET = "#d62728";
    public static final String LOSS = "#4c78a8";
    public static final String LR = "#1f3b73";
    /** Twelve colours apart from the live run's and the target's; a 13th overlay repeats the first. */
    public static final List<String> OVERLAYS = List.of("#9467bd", "#8c564b", "#2ca02c", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f", "#6b4c9a", "#393b79", "#8c6d31", "#3d8a6a", "#a05195");

    /** A study's settings, the first in the live run's blue. None is the target's red. */
    public static final List<String> BANDS = List.of("#4c78a8", "#2ca02c", "#9467bd", "#17becf", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22");
    /** The settings of the study compared with it, none of them in {@link #BANDS}. */
    public static final List<String> COMPARED_BANDS = List.of("#f58518", "#a05195", "#3d8a6a", "#8c6d31",
            "#393b79", "#6b4c9a");

    private Palette() {
    }

    public static String band(int i) {
        return BANDS.get(Math.floorMod(i, BANDS.size()));
    }

    public static String comparedBand(int i) {
        return COMPARED_BANDS.get(Math.floorMod(i, COMPARED_BANDS.size()));
    }

    public static String overlay(int i) {
        return OVERLAYS.get(Math.floorMod(i, OVERLAYS.size()));
    }
}
