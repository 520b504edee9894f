package dev.mnistdrill.train;

import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.MnistSplit;
import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.engine.PlainForward;
import dev.mnistdrill.model.ExperimentConfig;
import java.util.Arrays;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Times what the drawing pad computes for each drawing, on real test digits, one thread, as the pad's worker
 * does: the prediction alone, the prediction with every convolution block's feature maps ({@link PlainForward#trace}),
 * and the occlusion saliency sweep of all ten classes. Not a test: the figures depend on the machine and its load.
 */
public final class InsideBenchmark {
    private InsideBenchmark() {
    }

    /** Milliseconds per digit: median, 95th percentile and maximum. */
    public record Timing(double median, double p95, double max) {
        static Timing of(double[] millis) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return new Timing(sorted[sorted.length / 2], sorted[Math.min(sorted.length - 1,
                    (int) (0.95 * sorted.length))], sorted[sorted.length - 1]);
        }
    }

    /**
     * @param featureValues floats of feature maps per digit (every block's output)
     * @param saliencyPasses forward passes per saliency sweep, median
     */
    public record Result(ExperimentConfig config, int digits, Timing prediction, Timing featureMaps,
                         Timing saliency, int featureValues, int saliencyPasses) {
    }

    /**
     * Times {@code config}'s network as built (initial weights: about half of each ReLU's outputs are zero, as in a
     * trained one) on the first {@code digits} of {@code test}, after {@code warmUp} untimed rounds.
     */
    public static Result run(ExperimentConfig config, MnistSplit test, int digits, int warmUp) {
        Engine.configure();
        MultiLayerNetwork net = NetworkFactory.build(config);
        PlainForward plain = PlainForward.of(net);
        int n = Math.min(digits, test.size());
        double[] predict = new double[n];
        double[] trace = new double[n];
        double[] saliency = new double[n];
        int[] passes = new int[n];
        int values = 0;
        double[] probabilities = new double[plain.classes()];
        for (int round = 0; round < warmUp; round++) {
            float[] input = Batches.normalised(test.image(round % n));
            plain.output(input, probabilities);
            plain.trace(input);
            if (round % 20 == 0) {
                OcclusionSaliency.of(plain, test.image(round % n), () -> false);
            }
        }
        for (int i = 0; i < n; i++) {
            float[] digit = test.image(i);
            float[] input = Batches.normalised(digit);
            long t0 = System.nanoTime();
            plain.output(input, probabilities);
            long t1 = System.nanoTime();
            PlainForward.Trace t = plain.trace(input);
            long t2 = System.nanoTime();
            OcclusionSaliency.Maps maps = OcclusionSaliency.of(plain, digit, () -> false);
            long t3 = System.nanoTime();
            predict[i] = (t1 - t0) / 1e6;
            trace[i] = (t2 - t1) / 1e6;
            saliency[i] = (t3 - t2) / 1e6;
            passes[i] = maps.passes();
            values = t.blocks().stream().mapToInt(b -> b.values().length).sum();
        }
        Arrays.sort(passes);
        return new Result(config, n, Timing.of(predict), Timing.of(trace), Timing.of(saliency), values,
                passes[n / 2]);
    }
}
