package dev.mnistdrill.ui.control;

import java.util.List;

/** Chart colours: the live run's two curves, the target, and distinct colours for overlaid runs. */
public final class Palette {
    public static final String TRAIN = "#4c78a8";
    public static final String TEST = "#f58518";
    public static final String TARGET = "#d62728";
    public static final String LOSS = "#4c78a8";
    public static final String LR = "#1f3b73";
    /** Twelve colours apart from the live run's and the target's; a 13th overlay repeats the first. */
    public static final List<String> OVERLAYS = List.of("#9467bd", "#8c564b", "#2ca02c", "#e377c2", "#17becf",
            "#bcbd22", "#7f7f7f", "#6b4c9a", "#393b79", "#8c6d31", "#3d8a6a", "#a05195");

    private Palette() {
    }

    public static String overlay(int i) {
        return OVERLAYS.get(Math.floorMod(i, OVERLAYS.size()));
    }
}
