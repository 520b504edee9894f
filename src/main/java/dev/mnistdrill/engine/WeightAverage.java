package dev.mnistdrill.engine;

import dev.mnistdrill.model.ExperimentConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An exponential moving average of a network's parameters, updated after every training step: the weights a run
 * tests and saves when weight averaging is on. DL4J keeps BatchNorm's running statistics among the parameters, so
 * they are averaged too, much as PyTorch's EMA helpers average a model's buffers; DL4J stores the spread as
 * log10(std), so its average is a geometric mean of the std. One copy of the parameters (about 8,000 floats for a
 * drill network): a step costs microseconds next to a batch's milliseconds.
 */
public final class WeightAverage {
    private final MultiLayerNetwork network;
    private final double decay;
    private final INDArray average;
    private long steps;

    /**
     * @param decay the weight of the average so far at each step once warmed up, above 0 and below 1; see
     *              {@link ExperimentConfig#averagingDecayAt}
     */
    public WeightAverage(MultiLayerNetwork network, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("an average's decay must be above 0 and below 1, not " + decay);
        }
        this.network = network;
        this.decay = decay;
        this.average = network.params().dup();
    }

    /** Folds in the parameters after a step, with the warm-up's decay while it is below the configured one. */
    public void update() {
        steps++;
        double d = ExperimentConfig.averagingDecayAt(decay, steps);
        average.muli(d).addi(network.params().mul(1 - d));
    }

    /** A copy of the network that holds the averaged parameters; the network in training is left as it is. */
    public MultiLayerNetwork averaged() {
        MultiLayerNetwork copy = network.clone();
        copy.setParams(average);
        return copy;
    }
}
