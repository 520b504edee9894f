package dev.mnistdrill.ui;

import java.util.Arrays;
import javafx.animation.AnimationTimer;

/**
 * Measures how smoothly the FX thread runs: an {@link AnimationTimer} records the gap between consecutive pulses
 * (JavaFX aims at 60 per second, ~16.7 ms). A long gap means the FX thread was busy or starved.
 */
public final class PulseMonitor extends AnimationTimer {
    private volatile long last;
    private long frames;
    private long maxGap;
    private long[] gaps = new long[4096];
    private int count;

    @Override
    public void handle(long now) {
        if (last != 0) {
            long gap = now - last;
            maxGap = Math.max(maxGap, gap);
            if (count == gaps.length) {
                gaps = Arrays.copyOf(gaps, gaps.length * 2);
            }
            gaps[count++] = gap;
        }
        last = now;
        frames++;
    }

    /**
     * Diagnostics: a daemon thread that prints the FX thread's stack whenever no pulse has come for
     * {@code thresholdMillis}, to find what blocks it (enabled in demo mode with -Dmnistdrill.demo.watchdog=MS).
     */
    public void watchFxThread(Thread fxThread, long thresholdMillis) {
        Thread watchdog = new Thread(() -> {
            long reported = 0;
            while (true) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                long seen = last;
                if (seen != 0 && seen != reported && System.nanoTime() - seen > thresholdMillis * 1_000_000) {
                    reported = seen;
                    StringBuilder trace = new StringBuilder("FX thread without a pulse for > " + thresholdMillis
                            + " ms, at:\n");
                    for (StackTraceElement e : fxThread.getStackTrace()) {
                        trace.append("    ").append(e).append('\n');
                    }
                    System.err.print(trace);
                }
            }
        }, "fx-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    @Override
    public void stop() {
        super.stop();
        last = 0;
    }

    public void reset() {
        last = 0;
        frames = 0;
        maxGap = 0;
        count = 0;
    }

    public long frames() {
        return frames;
    }

    public double maxGapMillis() {
        return maxGap / 1e6;
    }

    /** The gap that {@code q} (0..1) of all gaps stay under, in ms. */
    public double percentileMillis(double q) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(gaps, count);
        Arrays.sort(sorted);
        return sorted[Math.min(count - 1, (int) Math.floor(q * count))] / 1e6;
    }

    public String report() {
        return String.format(java.util.Locale.ROOT, "%d pulses, max gap %.1f ms, p99 %.1f ms, median %.1f ms",
                frames, maxGapMillis(), percentileMillis(0.99), percentileMillis(0.5));
    }
}
