package dev.mnistdrill.ui;

import dev.mnistdrill.ui.vm.DrawViewModel;
import dev.mnistdrill.ui.vm.DrawViewModel.PredictionTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The drawing pad's timings, collected for the responsiveness demo and the UI tests' reports (the app keeps none).
 * Told and read on the FX thread.
 */
final class DrawTimings implements DrawViewModel.TimingListener {
    private final List<PredictionTiming> predictions = new ArrayList<>();
    private final List<Double> warmUps = new ArrayList<>();
    private final List<Double> saliencySweeps = new ArrayList<>();

    /** A collector installed on {@code draw}. */
    static DrawTimings on(DrawViewModel draw) {
        DrawTimings t = new DrawTimings();
        draw.setTimingListener(t);
        return t;
    }

    @Override
    public void onPrediction(PredictionTiming timing) {
        predictions.add(timing);
    }

    @Override
    public void onWarmUp(double millis) {
        warmUps.add(millis);
    }

    @Override
    public void onSaliency(double millis) {
        saliencySweeps.add(millis);
    }

    /** One figure of every prediction so far, e.g. {@code PredictionTiming::millis} (the worker's time, in ms). */
    <T> List<T> predictions(Function<PredictionTiming, T> figure) {
        return predictions.stream().map(figure).toList();
    }

    /** Each model's warm-up, in ms. */
    List<Double> warmUps() {
        return List.copyOf(warmUps);
    }

    /** Each completed saliency sweep, in ms. */
    List<Double> saliencySweeps() {
        return List.copyOf(saliencySweeps);
    }

    void reset() {
        predictions.clear();
        warmUps.clear();
        saliencySweeps.clear();
    }
}
