package dev.mnistdrill.ui.util;

import java.util.ArrayDeque;
import javafx.animation.AnimationTimer;

/**
 * UI updates applied in order, one per frame. Each update's CSS, layout and painting then has a frame of its own:
 * at an epoch's end the loss chart, the accuracy chart, the learning-rate chart and the status all change, and
 * doing all of it in one frame made that frame 50-100 ms long on two cores shared with the training.
 *
 * <p>The window's view models share one ({@code WorkbenchContext.frames()}), so that changes queued from different
 * places keep the order they were queued in: the Start's form lock, then the training thread's start, then each
 * epoch's updates. A control may keep its own for steps of its own (MetricsCharts: overlays joining one by one).
 *
 * <p>FX thread only. An update runs at the start of a pulse (animation timers run before the pulse's CSS and
 * layout), so the first one waits for the next frame; later ones each wait one more frame (~17 ms).
 */
public final class FrameQueue {
    private final ArrayDeque<Runnable> updates = new ArrayDeque<>();
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            Runnable next = updates.poll();
            if (updates.isEmpty()) {
                stop();
            }
            if (next != null) {
                next.run();
            }
        }
    };

    /** Queues {@code update} behind those already waiting. */
    public void submit(Runnable update) {
        updates.add(update);
        timer.start(); // no-op while running
    }

    /** Leaves the next {@code count} frames (behind those already waiting) without an update of this queue. */
    public void skipFrames(int count) {
        for (int i = 0; i < count; i++) {
            submit(() -> { });
        }
    }
}
