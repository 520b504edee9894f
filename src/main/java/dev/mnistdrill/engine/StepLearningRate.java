package dev.mnistdrill.engine;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Sets a network's learning rate between two steps. DL4J's {@code MultiLayerNetwork.setLearningRate} rebuilds the
 * whole updater each time, measured at 20-26 ms for the drill's network, half a training step: fine once an epoch,
 * not every step as one cycle needs. The updaters read the rate from their layer's {@link IUpdater} at every step, and
 * every layer gets the same rate, so changing it in place leaves the updater's blocks as they are and trains the same
 * floats (StepLearningRateTest checks this against DL4J's own method).
 */
public final class StepLearningRate {
    private StepLearningRate() {
    }

    public static void set(MultiLayerNetwork net, double rate) {
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                setOn(base.getIUpdater(), rate);
                setOn(base.getBiasUpdater(), rate);
            }
        }
    }

    private static void setOn(IUpdater updater, double rate) {
        if (updater != null && updater.hasLearningRate()) {
            updater.setLrAndSchedule(rate, null);
        }
    }
}
