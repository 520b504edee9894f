package dev.mnistdrill.ui.util;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the per-batch loss into a chart-sized series: averages {@code bucket} batches into one point and smooths
 * the averages with an exponential moving average. A 15-epoch run of 469 batches each becomes ~400 points.
 */
public final class LossDownsampler {
    /** A chart point: x in epochs (fractional), y the smoothed loss. */
    public record Point(double epoch, double loss) {
    }

    private final int bucket;
    private final double alpha;
    private final int batchesPerEpoch;
    private double sum;
    private int count;
    private double smoothed = Double.NaN;

    public LossDownsampler(int totalBatches, int batchesPerEpoch, int maxPoints, double alpha) {
        this.bucket = Math.max(1, (int) Math.ceil((double) totalBatches / Math.max(1, maxPoints)));
        this.batchesPerEpoch = Math.max(1, batchesPerEpoch);
        this.alpha = alpha;
    }

    public int bucket() {
        return bucket;
    }

    /** Adds one batch; returns the new chart point when a bucket completes, else null. */
    public Point add(long iteration, double loss) {
        if (!Double.isFinite(loss)) {
            return null;
        }
        sum += loss;
        count++;
        if (count < bucket) {
            return null;
        }
        return emit(iteration);
    }

    /** Emits a partly filled bucket (end of an epoch or of the run); null when there is nothing pending. */
    public Point flush(long iteration) {
        return count == 0 ? null : emit(iteration);
    }

    private Point emit(long iteration) {
        double mean = sum / count;
        smoothed = Double.isNaN(smoothed) ? mean : alpha * mean + (1 - alpha) * smoothed;
        sum = 0;
        count = 0;
        return new Point((double) iteration / batchesPerEpoch, smoothed);
    }

    /** Downsamples a whole series at once (used by tests and exports). */
    public static List<Point> of(double[] losses, int batchesPerEpoch, int maxPoints, double alpha) {
        LossDownsampler d = new LossDownsampler(losses.length, batchesPerEpoch, maxPoints, alpha);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            Point p = d.add(i + 1, losses[i]);
            if (p != null) {
                points.add(p);
            }
        }
        Point last = d.flush(losses.length);
        if (last != null) {
            points.add(last);
        }
        return points;
    }
}
