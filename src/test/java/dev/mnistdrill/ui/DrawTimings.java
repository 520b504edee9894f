package dev.mnistdrill.ui;

import dev.mnistdrill.ui.vm.DrawViewModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The drawing pad's timings, collected for the responsiveness demo and the UI tests' reports (the app keeps none).
 * Told and read on the FX thread.
 */
final class DrawTimings implements DrawViewModel.TimingListener {
    private final List<Double> timings = new ArrayList<>();
    private final List<Long> startTimes = new ArrayList<>();
    private final List<Double> networkTimings = new ArrayList<>();
    private final List<Double> latencies = new ArrayList<>();
    private final List<Double> warmUpTimings = new ArrayList<>();
    private final List<Double> saliencyTimings = new ArrayList<>();

    /** A collector installed on {@code draw}. */
    static DrawTimings on(DrawViewModel draw) {
        DrawTimings t = new DrawTimings();
        draw.setTimingListener(t);
        return t;
    }

    @Override
    public void onPrediction(DrawViewModel.PredictionTiming t) {
        timings.add(t.millis());
        startTimes.add(t.startedAtMillis());
        networkTimings.add(t.networkMillis());
        latencies.add(t.latencyMillis());
    }

    @Override
    public void onWarmUp(double millis) {
        warmUpTimings.add(millis);
    }

    @Override
    public void onSaliency(double millis) {
        saliencyTimings.add(millis);
    }

    /** Every prediction's worker time in ms (rasterise + preprocess + network). */
    List<Double> timings() {
        return List.copyOf(timings);
    }

    /** When each of {@link #timings()} began, in wall-clock ms. */
    List<Long> startTimes() {
        return List.copyOf(startTimes);
    }

    /** The network's share of each prediction, in ms: the plain pass with its feature maps, or DL4J's. */
    List<Double> networkTimings() {
        return List.copyOf(networkTimings);
    }

    /** From each drawing change until its probabilities are being shown, in ms. */
    List<Double> latencies() {
        return List.copyOf(latencies);
    }

    List<Double> warmUpTimings() {
        return List.copyOf(warmUpTimings);
    }

    List<Double> saliencyTimings() {
        return List.copyOf(saliencyTimings);
    }

    void reset() {
        timings.clear();
        startTimes.clear();
        networkTimings.clear();
        latencies.clear();
        warmUpTimings.clear();
        saliencyTimings.clear();
    }
}
