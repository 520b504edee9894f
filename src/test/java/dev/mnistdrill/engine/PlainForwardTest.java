package dev.mnistdrill.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.Augmenter;
import dev.mnistdrill.data.Batch;
import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.DigitPreprocessor;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistSplit;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.Predictor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The plain-Java forward pass must give DL4J's {@code output(input, false)} probabilities. */
class PlainForwardTest {
    private static final double TOLERANCE = 1e-4;
    /** Largest difference seen by any comparison of this class, reported at the end of each test. */
    private static double maxSeen;

    @BeforeAll
    static void engine() {
        Engine.configure();
    }

    static List<String> presets() {
        return Presets.names();
    }

    /** Every preset as built, plus the same network with random BatchNorm statistics and affine parameters. */
    @ParameterizedTest
    @MethodSource("presets")
    void matchesDl4jOnEveryPreset(String preset) {
        ExperimentConfig config = Presets.get(preset);
        MultiLayerNetwork net = NetworkFactory.build(config);
        PlainForward plain = PlainForward.of(net);
        assertEquals(28 * 28, plain.inputLength());
        assertEquals(10, plain.classes());
        List<float[]> inputs = inputs();
        assertMatches(net, plain, inputs, preset + " as initialised");

        assertEquals(config.batchNorm(), hasBatchNorm(net));
        assertEquals(!config.batchNorm(), hasConvBias(net), "conv biases exactly when there is no BatchNorm");

        randomise(net, new Random(preset.hashCode()));
        PlainForward rebuilt = PlainForward.of(net);
        assertMatches(net, rebuilt, inputs, preset + " with random BatchNorm parameters / conv biases");
        // the first copy kept the weights it was built from
        assertNotEquals(plain.output(inputs.get(1))[0], rebuilt.output(inputs.get(1))[0]);
    }

    /**
     * The feature maps of the drawing pad: each convolution block's output (after its ReLU, and its BatchNorm when
     * there is one) in the plain pass's trace is DL4J's {@code feedForward} activation of the same layer of the same
     * network, within 1e-4, for every preset (as initialised, and with random BatchNorm statistics / biases) and for
     * architectures the presets do not use (two pools, a leading 1x1, no BatchNorm).
     */
    @ParameterizedTest
    @MethodSource("presets")
    void featureMapsMatchDl4jFeedForwardOnEveryPreset(String preset) {
        ExperimentConfig config = Presets.get(preset);
        MultiLayerNetwork net = NetworkFactory.build(config);
        assertFeatureMapsMatch(net, config, inputs(), false, preset + " as initialised");
        randomise(net, new Random(preset.hashCode() + 1));
        assertFeatureMapsMatch(net, config, inputs(), true, preset + " with random BatchNorm parameters / conv biases");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"c8 p c12 p t8 c16 gap", "t4 c8 c12 p c16 c16 gap",
            "c6 c8 p t4 c8 t6 c10 gap"})
    void featureMapsMatchDl4jOnOtherArchitectures(String architecture) {
        for (boolean batchNorm : new boolean[] {true, false}) {
            ExperimentConfig config = Presets.get("code2").withArchitecture(architecture).withBatchNorm(batchNorm);
            MultiLayerNetwork net = NetworkFactory.build(config);
            randomise(net, new Random(architecture.hashCode()));
            assertFeatureMapsMatch(net, config, inputs(), true, architecture + (batchNorm ? " with" : " without")
                    + " BatchNorm");
        }
    }

    /**
     * @param relativeAboveOne whether values above 1 in magnitude may differ by 1e-4 of their size rather than 1e-4:
     *                         random BatchNorm statistics blow some activations up to ~50, where float32 sums
     *                         already differ in the 6th digit
     */
    private static void assertFeatureMapsMatch(MultiLayerNetwork net, ExperimentConfig config, List<float[]> inputs,
                                               boolean relativeAboveOne, String what) {
        PlainForward plain = PlainForward.of(net);
        long convolutions = config.parsedArchitecture().convolutionCount();
        assertEquals(convolutions, plain.blockCount(), what);
        double max = 0;
        for (float[] input : inputs) {
            PlainForward.Trace trace = plain.trace(input);
            assertTrue(Arrays.equals(plain.output(input), trace.probabilities()),
                    what + ": the traced pass gives the very probabilities of the plain one");
            List<org.nd4j.linalg.api.ndarray.INDArray> activations = net.feedForward(
                    Batches.singleNormalised(input.clone()), false);
            assertEquals(convolutions, trace.blocks().size());
            for (PlainForward.BlockOutput block : trace.blocks()) {
                org.nd4j.linalg.api.ndarray.INDArray expected = activations.get(block.layerIndex() + 1);
                assertEquals(List.of(1L, (long) block.height(), (long) block.width(), (long) block.channels()),
                        Arrays.stream(expected.shape()).boxed().toList(), what + ": NHWC shape of block "
                        + block.block());
                String after = config.batchNorm() ? "ReLU + BatchNorm" : "ReLU";
                assertEquals(after, block.after(), what);
                // the block's output is its last layer's: BatchNorm when there is one, else the ReLU
                var layer = net.getLayer(block.layerIndex()).conf().getLayer();
                assertEquals(config.batchNorm() ? BatchNormalization.class
                        : org.deeplearning4j.nn.conf.layers.ActivationLayer.class, layer.getClass(), what);
                float[] dl4j = Nd4j.toFlattened('c', expected).toFloatVector();
                for (int i = 0; i < dl4j.length; i++) {
                    double d = Math.abs(dl4j[i] - block.values()[i]);
                    max = Math.max(max, d);
                    double tolerance = relativeAboveOne ? TOLERANCE * Math.max(1, Math.abs(dl4j[i])) : TOLERANCE;
                    assertTrue(d <= tolerance, what + ": block " + block.block() + " value " + i + " DL4J "
                            + dl4j[i] + " plain " + block.values()[i]);
                }
                // map(c) is channel c of the NHWC values
                int c = block.channels() - 1;
                assertEquals(block.at(block.height() - 1, 0, c), block.map(c)[(block.height() - 1) * block.width()]);
            }
        }
        System.out.printf(java.util.Locale.ROOT, "feature maps vs DL4J feedForward, %s: max |diff| %.3g%n", what, max);
    }

    /**
     * An occlusion recomputes only what its rectangle reaches: its logits are, to the last bit, those of a whole
     * pass of the occluded image, and the next occlusion starts from the clean image again. Every preset (random
     * BatchNorm statistics) and architectures with two pools, a leading 1x1, no BatchNorm.
     */
    @Test
    void occlusionGivesTheLogitsOfAWholePass() {
        List<ExperimentConfig> configs = new ArrayList<>();
        for (String preset : Presets.names()) {
            configs.add(Presets.get(preset));
        }
        configs.add(Presets.get("code1").withArchitecture("c8 p c12 p t8 c16 gap"));
        configs.add(Presets.get("code2").withArchitecture("t4 c8 c12 p c16 c16 gap"));
        int[][] rectangles = {{0, 3, 0, 3}, {12, 15, 13, 16}, {25, 28, 0, 2}, {0, 28, 27, 28}, {5, 6, 20, 21},
                {8, 18, 4, 14}, {-1, 2, 26, 29}};
        for (ExperimentConfig config : configs) {
            MultiLayerNetwork net = NetworkFactory.build(config);
            randomise(net, new Random(config.architecture().hashCode()));
            PlainForward plain = PlainForward.of(net);
            for (float[] input : inputs()) {
                PlainForward.Occlusion occlusion = plain.occlusion(input);
                double[] expected = new double[10];
                double[] actual = new double[10];
                occlusion.logits(actual);
                plain.logits(input, expected);
                assertTrue(Arrays.equals(expected, actual), config.architecture() + ": the clean image's logits");
                for (int[] r : rectangles) {
                    float value = (float) (-0.4242 + r[0] * 0.01);
                    float[] occluded = input.clone();
                    for (int y = Math.max(0, r[0]); y < Math.min(28, r[1]); y++) {
                        for (int x = Math.max(0, r[2]); x < Math.min(28, r[3]); x++) {
                            occluded[y * 28 + x] = value;
                        }
                    }
                    plain.logits(occluded, expected);
                    occlusion.occluded(r[0], r[1], r[2], r[3], value, actual);
                    assertTrue(Arrays.equals(expected, actual), config.architecture() + " "
                            + (config.batchNorm() ? "BN" : "no BN") + ", rectangle " + Arrays.toString(r) + ": "
                            + Arrays.toString(expected) + " vs " + Arrays.toString(actual));
                }
                occlusion.logits(actual);
                plain.logits(input, expected);
                assertTrue(Arrays.equals(expected, actual), "still the clean image after the occlusions");
            }
        }
    }

    /** A model the plain pass refuses still gets its feature maps, through DL4J: the same as the plain pass's. */
    @Test
    void dl4jTraceGivesThePlainTracesFeatureMaps() {
        ExperimentConfig config = Presets.get("code2").withArchitecture("c8 p c12 t6 c10 gap");
        MultiLayerNetwork net = NetworkFactory.build(config);
        randomise(net, new Random(5));
        Predictor predictor = new Predictor(net, 0);
        for (float[] input : inputs()) {
            PlainForward.Trace plain = predictor.plainForward().orElseThrow().trace(input);
            PlainForward.Trace dl4j = predictor.dl4jTrace(input);
            assertEquals(plain.blocks().size(), dl4j.blocks().size());
            for (int b = 0; b < plain.blocks().size(); b++) {
                PlainForward.BlockOutput p = plain.blocks().get(b);
                PlainForward.BlockOutput d = dl4j.blocks().get(b);
                assertEquals(List.of(p.block(), p.layerIndex(), p.kernel(), p.after(), p.height(), p.width(),
                        p.channels()), List.of(d.block(), d.layerIndex(), d.kernel(), d.after(), d.height(),
                        d.width(), d.channels()));
                for (int i = 0; i < p.values().length; i++) {
                    assertEquals(p.values()[i], d.values()[i], TOLERANCE * Math.max(1, Math.abs(p.values()[i])));
                }
            }
            int top = 0;
            for (int c = 0; c < 10; c++) {
                assertEquals(plain.probabilities()[c], dl4j.probabilities()[c], TOLERANCE);
                top = plain.probabilities()[c] > plain.probabilities()[top] ? c : top;
            }
            for (int c = 0; c < 10; c++) {
                if (plain.probabilities()[c] > 1e-4) { // logits up to a shift, where float probabilities tell them
                    assertEquals(plain.logits()[c] - plain.logits()[top], dl4j.logits()[c] - dl4j.logits()[top],
                            1e-2);
                }
            }
        }
    }

    /**
     * The untrained pass that gets the code compiled before the first model is laid out as the preset's network is
     * (steps, kernels, biases, shapes), so it runs the same code paths; its random weights give a real distribution.
     */
    @ParameterizedTest
    @MethodSource("presets")
    void untrainedPassIsLaidOutAsThePresetsNetwork(String preset) {
        ExperimentConfig config = Presets.get(preset);
        PlainForward built = PlainForward.of(NetworkFactory.build(config));
        PlainForward untrained = PlainForward.untrained(config.parsedArchitecture(), config.batchNorm(), 7);
        assertEquals(built.toString(), untrained.toString());
        assertEquals(built.inputLength(), untrained.inputLength());
        List<float[]> inputs = inputs();
        double[] p = untrained.output(inputs.get(1));
        assertEquals(1, Arrays.stream(p).sum(), 1e-6);
        assertTrue(Arrays.stream(p).allMatch(v -> v > 0 && v < 1), Arrays.toString(p));
        assertNotEquals(p[0], untrained.output(inputs.get(0))[0], "the output depends on the input");
    }

    /** After real training batches the BatchNorm running statistics have moved: still the same probabilities. */
    @Test
    void matchesDl4jAfterSomeTraining() {
        MnistData data = TestData.mnist();
        for (String preset : List.of("code1", "code4")) {
            ExperimentConfig config = Presets.get(preset);
            MultiLayerNetwork net = NetworkFactory.build(config);
            MnistSplit train = data.train().head(128 * 25);
            Augmenter augmenter = new Augmenter(config.rotation(), config.translate());
            SplittableRandom random = new SplittableRandom(3);
            double firstLoss = Double.NaN;
            for (int from = 0; from < train.size(); from += 128) {
                Batch batch = Batches.build(train, null, from, from + 128, augmenter, random);
                net.fit(batch.toDataSet());
                firstLoss = Double.isNaN(firstLoss) ? net.score() : firstLoss;
                batch.release();
            }
            assertTrue(net.score() < firstLoss, preset + " learned: " + firstLoss + " -> " + net.score());
            if (config.batchNorm()) {
                Layer bn = firstBatchNorm(net);
                float[] mean = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).toFloatVector();
                float[] logStd = bn.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD).toFloatVector();
                assertTrue(maxAbs(mean) > 0.05 && maxAbs(logStd) > 0.01, "running statistics moved: mean "
                        + Arrays.toString(mean) + ", log10 std " + Arrays.toString(logStd));
            }
            Predictor predictor = new Predictor(net.clone(), 1);
            PlainForward plain = predictor.plainForward().orElseThrow();
            List<float[]> inputs = inputs();
            for (int i = 0; i < 20; i++) {
                inputs.add(Batches.normalised(data.test().image(i)));
            }
            assertMatches(net, plain, inputs, preset + " after 25 batches");
            assertFeatureMapsMatch(net, config, inputs, false, preset + " after 25 batches");

            // the trained network is right about the real test digits the same way through both paths
            int agree = 0;
            for (int i = 0; i < 20; i++) {
                double[] p = predictor.probabilities(data.test().image(i));
                double[] q = predictor.dl4jPredictOne(Batches.normalised(data.test().image(i)));
                assertEquals(argmax(q), argmax(p));
                agree += argmax(p) == data.test().label(i) ? 1 : 0;
            }
            if (config.batchNorm()) { // code1's SGD at 0.01 needs longer: its falling loss is the check there
                assertTrue(agree >= 10, preset + " knows some digits after 25 batches: " + agree + "/20");
            }
        }
    }

    /** BatchNorm edge cases the factory does not produce: tiny variances (eps matters), "var" storage, locked affine. */
    @Test
    void matchesDl4jOnBatchNormVariants() {
        for (boolean logStd : new boolean[] {true, false}) {
            for (boolean lock : new boolean[] {false, true}) {
                MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                        .seed(5).convolutionMode(ConvolutionMode.Truncate).list()
                        .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU)
                                .dataFormat(CNN2DFormat.NHWC).build())
                        .layer(new BatchNormalization.Builder().useLogStd(logStd).lockGammaBeta(lock)
                                .gamma(lock ? 1.5 : 1).beta(lock ? -0.25 : 0).eps(1e-3)
                                .dataFormat(CNN2DFormat.NHWC).build())
                        .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                                .dataFormat(CNN2DFormat.NHWC).build())
                        .layer(new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.IDENTITY)
                                .dataFormat(CNN2DFormat.NHWC).build())
                        .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(1, 2).build())
                        .layer(new BatchNormalization.Builder().useLogStd(logStd).build())
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                                .activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.convolutional(28, 28, 1, CNN2DFormat.NHWC))
                        .build());
                net.init();
                Random random = new Random(logStd ? 1 : 2);
                for (Layer layer : net.getLayers()) {
                    if (layer.conf().getLayer() instanceof BatchNormalization) {
                        for (var e : layer.paramTable().entrySet()) {
                            float[] v = e.getValue().toFloatVector();
                            for (int i = 0; i < v.length; i++) {
                                v[i] = switch (e.getKey()) {
                                    // tiny variances, some below eps: eps must be where DL4J puts it
                                    case BatchNormalizationParamInitializer.GLOBAL_LOG_STD ->
                                            (float) (-3.5 + 2.5 * random.nextDouble());
                                    case BatchNormalizationParamInitializer.GLOBAL_VAR ->
                                            (float) Math.pow(10, -6 + 4 * random.nextDouble());
                                    case BatchNormalizationParamInitializer.GLOBAL_MEAN -> (float) random.nextGaussian();
                                    default -> (float) (0.01 * random.nextGaussian());
                                };
                            }
                            e.getValue().assign(Nd4j.create(v).reshape(e.getValue().shape()));
                        }
                    } else if (layer.conf().getLayer() instanceof OutputLayer) {
                        layer.getParam("W").muli(0.02); // keep the softmax away from saturation
                    }
                }
                assertMatches(net, PlainForward.of(net), inputs(), "BatchNorm logStd=" + logStd + " lock=" + lock);
            }
        }
    }

    @Test
    void refusesWhatItCannotReproduce() {
        // a dense hidden layer (with its CNN-to-dense preprocessor)
        MultiLayerNetwork dense = network(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU)
                .dataFormat(CNN2DFormat.NHWC).build(), new DenseLayer.Builder().nOut(8).build(), null);
        // Same-mode convolution (padding)
        MultiLayerNetwork same = network(new ConvolutionLayer.Builder(3, 3).nOut(4)
                .convolutionMode(ConvolutionMode.Same).dataFormat(CNN2DFormat.NHWC).build(), null,
                new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(1, 2).build());
        // NCHW data
        MultiLayerNetwork nchw = network(new ConvolutionLayer.Builder(3, 3).nOut(4)
                .dataFormat(CNN2DFormat.NCHW).build(), null,
                new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
        // a sigmoid activation
        MultiLayerNetwork sigmoid = network(new ConvolutionLayer.Builder(3, 3).nOut(4)
                .activation(Activation.SIGMOID).dataFormat(CNN2DFormat.NHWC).build(), null,
                new GlobalPoolingLayer.Builder(PoolingType.AVG).poolingDimensions(1, 2).build());
        // global max pooling
        MultiLayerNetwork maxGap = network(new ConvolutionLayer.Builder(3, 3).nOut(4)
                .dataFormat(CNN2DFormat.NHWC).build(), null,
                new GlobalPoolingLayer.Builder(PoolingType.MAX).poolingDimensions(1, 2).build());
        for (MultiLayerNetwork net : List.of(dense, same, nchw, sigmoid, maxGap)) {
            assertTrue(PlainForward.from(net).isEmpty(), net.getLayerWiseConfigurations().toString());
            PlainForward.UnsupportedNetworkException e = assertThrows(PlainForward.UnsupportedNetworkException.class,
                    () -> PlainForward.of(net));
            assertTrue(e.getMessage().startsWith("the plain forward pass does not support this network"),
                    e.getMessage());

            if (net == nchw) {
                continue; // takes other input than the drawing pad gives
            }
            // the predictor falls back to DL4J for it
            Predictor predictor = new Predictor(net, 0);
            assertTrue(predictor.plainForward().isEmpty());
            float[] input = inputs().get(1);
            double[] p = predictor.predictOne(input);
            assertEquals(10, p.length);
            assertEquals(1.0, Arrays.stream(p).sum(), 1e-4);
            double[] q = predictor.dl4jPredictOne(input);
            for (int i = 0; i < 10; i++) {
                assertEquals(q[i], p[i], 0.0);
            }
        }
    }

    @Test
    void predictorUsesThePlainPassAndBuildsItOnce() {
        MultiLayerNetwork net = NetworkFactory.build(Presets.get("code2"));
        Predictor predictor = new Predictor(net, 3);
        PlainForward plain = predictor.plainForward().orElseThrow();
        assertSame(plain, predictor.plainForward().orElseThrow());
        float[] pixels = inputs01().get(2);
        double[] viaPredictor = predictor.probabilities(pixels);
        double[] viaPlain = plain.output(Batches.normalised(pixels));
        for (int i = 0; i < 10; i++) {
            assertEquals(viaPlain[i], viaPredictor[i], 0.0, "probabilities() goes through the plain pass");
        }
        assertThrows(IllegalArgumentException.class, () -> plain.output(new float[27 * 28]));
    }

    // ---------------------------------------------------------------------------------------------------------

    private static MultiLayerNetwork network(org.deeplearning4j.nn.conf.layers.Layer first,
                                             org.deeplearning4j.nn.conf.layers.Layer hidden,
                                             org.deeplearning4j.nn.conf.layers.Layer pooling) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(1).list().layer(first);
        if (hidden != null) {
            list.layer(hidden);
        }
        if (pooling != null) {
            list.layer(pooling);
        }
        boolean nchw = first instanceof ConvolutionLayer c && c.getCnn2dDataFormat() == CNN2DFormat.NCHW;
        MultiLayerConfiguration conf = list
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(28, 28, 1, nchw ? CNN2DFormat.NCHW : CNN2DFormat.NHWC))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Preprocessed images of 0..1 pixels: blank, a real MNIST digit, that digit through the drawing pad's preprocessing. */
    private static List<float[]> inputs01() {
        List<float[]> images = new ArrayList<>();
        images.add(new float[28 * 28]);
        float[] digit = TestData.mnist().test().image(0);
        images.add(digit);
        // the same digit drawn four times larger, then made MNIST-like by DigitPreprocessor as the pad does
        float[] big = new float[112 * 112];
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                big[y * 112 + x] = digit[(y / 4) * 28 + x / 4];
            }
        }
        images.add(DigitPreprocessor.toMnist(big, 112).orElseThrow());
        return images;
    }

    /** Network inputs (normalised): those of {@link #inputs01()}, plus two of random noise. */
    private static List<float[]> inputs() {
        List<float[]> inputs = new ArrayList<>();
        for (float[] image : inputs01()) {
            inputs.add(Batches.normalised(image));
        }
        Random random = new Random(42);
        for (int n = 0; n < 2; n++) {
            float[] noise = new float[28 * 28];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) (random.nextGaussian() * 1.5);
            }
            inputs.add(noise);
        }
        return inputs;
    }

    private static void assertMatches(MultiLayerNetwork net, PlainForward plain, List<float[]> inputs, String what) {
        double max = 0;
        for (float[] input : inputs) {
            float[] copy = input.clone();
            double[] expected = net.output(Batches.singleNormalised(input.clone()), false).toDoubleVector();
            double[] actual = plain.output(input);
            assertTrue(Arrays.equals(copy, input), "the input is left alone");
            assertEquals(10, actual.length);
            assertEquals(1.0, Arrays.stream(actual).sum(), 1e-9);
            for (int i = 0; i < 10; i++) {
                double d = Math.abs(expected[i] - actual[i]);
                max = Math.max(max, d);
                assertTrue(d <= TOLERANCE, what + ": class " + i + " DL4J " + expected[i] + " plain " + actual[i]);
            }
        }
        maxSeen = Math.max(maxSeen, max);
        System.out.printf(java.util.Locale.ROOT, "PlainForward vs DL4J, %s: max |diff| %.3g over %d inputs"
                + " (largest so far %.3g)%n", what, max, inputs.size(), maxSeen);
    }

    /** Random BatchNorm gamma, beta, running mean and log10 std, and random conv biases where there are any. */
    private static void randomise(MultiLayerNetwork net, Random random) {
        for (Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof ConvolutionLayer c && c.hasBias()) {
                float[] b = new float[(int) c.getNOut()];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (float) (0.2 * random.nextGaussian());
                }
                layer.getParam("b").assign(Nd4j.create(b).reshape(layer.getParam("b").shape()));
            } else if (layer.conf().getLayer() instanceof BatchNormalization) {
                for (var e : layer.paramTable().entrySet()) {
                    float[] v = e.getValue().toFloatVector();
                    for (int i = 0; i < v.length; i++) {
                        v[i] = switch (e.getKey()) {
                            case BatchNormalizationParamInitializer.GAMMA -> (float) (0.5 + random.nextDouble());
                            case BatchNormalizationParamInitializer.GLOBAL_LOG_STD ->
                                    (float) (random.nextDouble() - 0.5);
                            default -> (float) (0.3 * random.nextGaussian());
                        };
                    }
                    e.getValue().assign(Nd4j.create(v).reshape(e.getValue().shape()));
                }
            }
        }
    }

    private static Layer firstBatchNorm(MultiLayerNetwork net) {
        return Arrays.stream(net.getLayers()).filter(l -> l.conf().getLayer() instanceof BatchNormalization)
                .findFirst().orElseThrow();
    }

    private static boolean hasBatchNorm(MultiLayerNetwork net) {
        return Arrays.stream(net.getLayers()).anyMatch(l -> l.conf().getLayer() instanceof BatchNormalization);
    }

    private static boolean hasConvBias(MultiLayerNetwork net) {
        return Arrays.stream(net.getLayers()).filter(l -> l.conf().getLayer() instanceof ConvolutionLayer)
                .allMatch(l -> l.paramTable().containsKey("b"));
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            best = p[i] > p[best] ? i : best;
        }
        return best;
    }
}
