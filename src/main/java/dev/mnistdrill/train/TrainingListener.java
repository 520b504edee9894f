package dev.mnistdrill.train;

import java.util.List;

/**
 * What a training run reports, in order: start, batches and epochs, finish. Called on the training thread: a UI
 * must hand the data over to its own thread and return quickly.
 */
public interface TrainingListener {
    default void onStart(TrainingStart start) {
    }

    default void onBatch(BatchMetrics metrics) {
    }

    /**
     * After each epoch's evaluation, just before {@link #onEpoch}: every convolution's statistics for that epoch
     * (see {@link LayerStat}).
     */
    default void onLayerStats(List<LayerStat> stats) {
    }

    /** After each epoch's evaluation; {@code snapshot} is a copy of the network that is safe to predict with. */
    default void onEpoch(EpochMetrics metrics, Predictor snapshot) {
    }

    default void onFinish(TrainingResult result) {
    }

    /** Forwards every call to all of {@code listeners}. */
    static TrainingListener all(TrainingListener... listeners) {
        return new TrainingListener() {
            @Override
            public void onStart(TrainingStart start) {
                for (TrainingListener l : listeners) {
                    l.onStart(start);
                }
            }

            @Override
            public void onBatch(BatchMetrics metrics) {
                for (TrainingListener l : listeners) {
                    l.onBatch(metrics);
                }
            }

            @Override
            public void onLayerStats(List<LayerStat> stats) {
                for (TrainingListener l : listeners) {
                    l.onLayerStats(stats);
                }
            }

            @Override
            public void onEpoch(EpochMetrics metrics, Predictor snapshot) {
                for (TrainingListener l : listeners) {
                    l.onEpoch(metrics, snapshot);
                }
            }

            @Override
            public void onFinish(TrainingResult result) {
                for (TrainingListener l : listeners) {
                    l.onFinish(result);
                }
            }
        };
    }
}
