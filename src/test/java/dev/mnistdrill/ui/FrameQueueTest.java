package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.ui.util.FrameQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** FrameQueue on the real (headless) FX toolkit: updates run in order, each in a frame of its own. */
class FrameQueueTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** Counts pulses; started before the queue so that it sees every frame. */
    private static final class Frames extends AnimationTimer {
        final AtomicLong count = new AtomicLong();

        @Override
        public void handle(long now) {
            count.incrementAndGet();
        }
    }

    @Test
    void runsUpdatesInOrderOnePerFrame() throws Exception {
        Frames frames = new Frames();
        List<String> ran = new ArrayList<>();
        List<Long> atFrame = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            frames.start();
            FrameQueue queue = new FrameQueue();
            for (String name : List.of("loss", "accuracy", "learning rate")) {
                queue.submit(() -> {
                    ran.add(name);
                    atFrame.add(frames.count.get());
                });
            }
            // an update that queues another: it goes behind those already waiting
            queue.submit(() -> queue.submit(() -> {
                ran.add("snapshot");
                atFrame.add(frames.count.get());
                frames.stop();
                done.countDown();
            }));
        });
        assertTrue(done.await(20, TimeUnit.SECONDS), "the queued updates did not all run");
        assertEquals(List.of("loss", "accuracy", "learning rate", "snapshot"), ran);
        for (int i = 1; i < atFrame.size(); i++) {
            assertTrue(atFrame.get(i) > atFrame.get(i - 1), "two updates shared a frame: " + atFrame);
        }
    }
}
