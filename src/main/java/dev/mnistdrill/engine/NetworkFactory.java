package dev.mnistdrill.engine;

import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.ExperimentConfig;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the DL4J network for a config.
 *
 * <p>ReLU is a separate {@code ActivationLayer}, never the convolution's own activation: DL4J 1.0.0-M2.1 computes
 * wrong gradients for an NHWC convolution with a non-identity activation (measured against NCHW, the error grows
 * layer by layer until the loss is NaN). {@code NetworkFactoryTest} guards this.
 */
public final class NetworkFactory {
    

    /** With one input channel the flat MNIST pixels already are NHWC; oneDNN runs NHWC faster here than NCHW. */
    static final CNN2DFormat FORMAT = CNN2DFormat.NHWC;

    private NetworkFactory() {
    }

    /** Set to "onednn" to keep DL4J's oneDNN BatchNorm helper instead of {@link ChannelsLastBatchNorm}. */
    public static final String BATCHNORM_PROPERTY = "mnistdrill.batchnorm";
    /** Set to "dl4j" to keep DL4J's own ReLU layers instead of {@link JavaReluLayer}. */
    public static final String RELU_PROPERTY = "mnistdrill.relu";

    public static MultiLayerNetwork build(ExperimentConfig config) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(config.validated()));
        net.init();
        if (FORMAT == CNN2DFormat.NHWC && javaBatchNorm()) {
            ChannelsLastBatchNorm.attachTo(net);
        }
        if (javaRelu()) {
            JavaReluLayer.attachTo(net);
        }
        return net;
    }

    /** Whether {@link #build} gives BatchNorm layers {@link ChannelsLastBatchNorm} (unless the property says "onednn"). */
    public static boolean javaBatchNorm() {
        return !"onednn".equals(System.getProperty(BATCHNORM_PROPERTY));
    }

    /** Whether {@link #build} runs ReLU layers as {@link JavaReluLayer} (unless the property says "dl4j"). */
    public static boolean javaRelu() {
        return !"dl4j".equals(System.getProperty(RELU_PROPERTY));
    }

    public static MultiLayerConfiguration configuration(ExperimentConfig config) {
        return configuration(config, FORMAT);
    }

    /** The same network in another data format; tests compare NHWC against NCHW with it. */
    static MultiLayerConfiguration configuration(ExperimentConfig config, CNN2DFormat format) {
        Architecture arch = config.parsedArchitecture();
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(config.seed())
                .updater(updater(config))
                .weightInit(WeightInit.RELU)
                // L2 on weights only: DL4J leaves biases alone unless l2Bias is set and never regularises BatchNorm.
                .l2(config.weightDecay())
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                // Keeps each convolution's output from the forward pass for the backward pass, which DL4J
                // otherwise recomputes (a whole second forward convolution per layer, ~8% of a step).
                .cacheMode(CacheMode.DEVICE)
                .list();
        int convolutions = 0;
        for (Architecture.Block block : arch.blocks()) {
            switch (block.kind()) {
                case CONV3, CONV1 -> {
                    int k = block.kind() == Architecture.Kind.CONV3 ? 3 : 1;
                    ConvolutionLayer.Builder conv = new ConvolutionLayer.Builder(k, k)
                            .nOut(block.channels())
                            .hasBias(!config.batchNorm())
                            .activation(Activation.IDENTITY)
                            .dataFormat(format);
                    // Dropout after every block but the last: DL4J applies a layer's dropout to its input, so it
                    // goes on every convolution after the first. dropOut() takes the RETAIN probability.
                    if (convolutions > 0 && config.dropout() > 0) {
                        conv.dropOut(1.0 - config.dropout());
                    }
                    layers.layer(conv.build());
                    layers.layer(new ActivationLayer.Builder().activation(Activation.RELU).build());
                    if (config.batchNorm()) {
                        layers.layer(new BatchNormalization.Builder().dataFormat(format).build());
                    }
                    convolutions++;
                }
                case POOL -> layers.layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).dataFormat(format).build());
                case GAP -> layers.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG)
                        .poolingDimensions(format == CNN2DFormat.NHWC ? new int[] {1, 2} : new int[] {2, 3}) // H, W
                        .build());
            }
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(Architecture.CLASSES)
                .hasBias(false)
                .activation(Activation.SOFTMAX)
                .build());
        layers.setInputType(InputType.convolutional(Architecture.INPUT_SIDE, Architecture.INPUT_SIDE, 1, format));
        return layers.build();
    }

    private static IUpdater updater(ExperimentConfig config) {
        return switch (config.optimizer()) {
            case SGD -> new Nesterovs(config.learningRate(), 0.9);
            case ADAM -> new Adam(config.learningRate());
        };
    }
}
