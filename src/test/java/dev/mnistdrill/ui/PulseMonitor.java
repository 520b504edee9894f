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
    private volatile long started;
    /** Wall-clock time of the first pulse, to line the gaps up with other logs (e.g. the machine's CPU steal). */
    private volatile long startedWallMillis;
    /** Gaps over {@link #LATE_NANOS}: when they ended (ms since the first pulse) and how long they were. */
    private final long[] late = new long[400];
    private int lateCount;
    static final long LATE_NANOS = 50_000_000L;

    @Override
    public void handle(long now) {
        if (started == 0) {
            started = now;
            startedWallMillis = System.currentTimeMillis();
        }
        if (last != 0) {
            long gap = now - last;
            maxGap = Math.max(maxGap, gap);
            if (gap > LATE_NANOS && lateCount < late.length) {
                // no formatting here: it would cost the pulse it measures
                late[lateCount++] = gap;
                late[lateCount++] = now - started;
            }
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
            long stalledSince = 0;
            java.util.Map<String, Integer> samples = new java.util.LinkedHashMap<>();
            // the render thread paints what the FX thread laid out; an idle FX thread may be waiting for it
            Thread renderer = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("QuantumRenderer")).findFirst().orElse(null);
            while (true) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
                long seen = last;
                if (seen == 0) {
                    continue;
                }
                if (System.nanoTime() - seen > thresholdMillis * 1_000_000) {
                    stalledSince = seen;
                    String sample = "  FX thread (" + fxThread.getState() + "):\n" + stack(fxThread);
                    if (renderer != null) {
                        sample += "  render thread (" + renderer.getState() + "):\n" + stack(renderer);
                    }
                    samples.merge(sample, 1, Integer::sum);
                } else if (stalledSince != 0 && seen != stalledSince) {
                    StringBuilder trace = new StringBuilder(String.format(java.util.Locale.ROOT,
                            "FX thread without a pulse for %.0f ms (+%.1f s); stack samples after %d ms:%n",
                            (seen - stalledSince) / 1e6, (seen - started) / 1e9, thresholdMillis));
                    samples.forEach((stack, n) -> trace.append("  x").append(n).append('\n').append(stack));
                    System.err.print(trace);
                    samples.clear();
                    stalledSince = 0;
                }
            }
        }, "fx-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * A thread's stack, at most 40 frames: the top 3 as they are (where it waits, if it waits), then without the
     * event loop's frames.
     */
    private static String stack(Thread thread) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (StackTraceElement e : thread.getStackTrace()) {
            String c = e.getClassName();
            if (n >= 3 && (c.startsWith("com.sun.glass.") || c.contains("$$Lambda") || c.startsWith("com.sun.javafx.tk.")
                    || c.startsWith("java.lang.Thread"))) {
                continue;
            }
            b.append("    ").append(e).append('\n');
            if (++n == 40) {
                break;
            }
        }
        return b.toString();
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
        started = 0;
        lateCount = 0;
    }

    /** Seconds since the first pulse (for logs that are read beside {@link #lateGaps()}). */
    public double secondsSinceStart() {
        long s = started;
        return s == 0 ? 0 : (System.nanoTime() - s) / 1e9;
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

    /** The gaps over 50 ms: length and when they ended (seconds since the first pulse). */
    public java.util.List<String> lateGaps() {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (int i = 0; i < lateCount; i += 2) {
            list.add(String.format(java.util.Locale.ROOT, "%.0f ms at +%.3f s", late[i] / 1e6, late[i + 1] / 1e9));
        }
        return list;
    }

    public String report() {
        return String.format(java.util.Locale.ROOT,
                "%d pulses, max gap %.1f ms, p99 %.1f ms, median %.1f ms (first pulse at %d ms since the epoch)",
                frames, maxGapMillis(), percentileMillis(0.99), percentileMillis(0.5), startedWallMillis);
    }
}
