package dev.mnistdrill.engine;

import dev.mnistdrill.model.Architecture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inference for one image in plain Java, from a copy of a DL4J network's weights: no ND4J call, no native thread
 * pool, so a drawing-pad prediction does not queue behind a training's OpenMP threads. The drill's networks are
 * tiny (about 1.5 M multiply-adds per digit), so a single-threaded loop is faster than DL4J's per-op overhead.
 *
 * <p>It supports exactly what {@link dev.mnistdrill.engine.NetworkFactory} builds: NHWC convolutions (Truncate mode,
 * stride 1, no padding or dilation, with or without bias, identity or ReLU activation), ReLU activation layers,
 * BatchNormalization (inference: running mean and variance, or DL4J's default log10 of the standard deviation),
 * 2D max pooling in Truncate mode without padding, global average pooling over H and W, and a dense
 * softmax output layer. Dropout is ignored, as DL4J ignores it at inference. {@link #from} refuses anything else
 * so the caller can fall back to DL4J.
 *
 * <p>Weights are copied when it is built; later training of the source network does not change it. Its scratch
 * buffers are its own and {@link #output(float[], double[])} is synchronized, so one instance serves one
 * prediction at a time.
 */
public final class PlainForward {
    private final int inputLength;
    private final List<Step> steps;
    /** For each step, the index of the DL4J layer it reproduces (-1 for an {@link #untrained} pass). */
    private final int[] stepLayers;
    private final Dense head;
    private final float[] bufferA;
    private final float[] bufferB;
    /** The convolution blocks: a convolution with the ReLU and BatchNorm steps that follow it. */
    private final List<Block> blocks;

    private PlainForward(int inputLength, List<Step> steps, List<Integer> stepLayers, Dense head,
                         int maxActivations) {
        this.inputLength = inputLength;
        this.steps = List.copyOf(steps);
        this.stepLayers = stepLayers.stream().mapToInt(Integer::intValue).toArray();
        this.head = head;
        this.bufferA = new float[maxActivations];
        this.bufferB = new float[maxActivations];
        this.blocks = blocks(this.steps);
    }

    /**
     * A convolution block of the pass: steps {@code first} to {@code last} (the convolution and the ReLU and
     * BatchNorm steps right after it), whose output is what the block hands on.
     */
    private record Block(int first, int last, Conv conv, String after) {
    }

    private static List<Block> blocks(List<Step> steps) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Conv conv) {
                int last = i;
                List<String> after = new ArrayList<>();
                if (conv.relu()) {
                    after.add("ReLU");
                }
                while (last + 1 < steps.size()
                        && (steps.get(last + 1) instanceof Elementwise || steps.get(last + 1) instanceof Norm)) {
                    last++;
                    if (steps.get(last) instanceof Norm) {
                        after.add("BatchNorm");
                    } else if (((Elementwise) steps.get(last)).relu()) {
                        after.add("ReLU");
                    }
                }
                blocks.add(new Block(i, last, conv, String.join(" + ", after)));
                i = last;
            }
        }
        return List.copyOf(blocks);
    }

    /** Thrown by {@link #of} for a network the plain pass cannot reproduce exactly. */
    public static final class UnsupportedNetworkException extends IllegalArgumentException {
        UnsupportedNetworkException(String message) {
            super(message);
        }
    }

    /** The plain pass of {@code network} for 28x28 MNIST input, or empty when a layer or setting is unsupported. */
    public static Optional<PlainForward> from(MultiLayerNetwork network) {
        try {
            return Optional.of(of(network));
        } catch (UnsupportedNetworkException e) {
            return Optional.empty();
        }
    }

    /** The plain pass of {@code network} for 28x28 MNIST input. */
    public static PlainForward of(MultiLayerNetwork network) {
        return of(network, Architecture.INPUT_SIDE, Architecture.INPUT_SIDE);
    }

    /**
     * The plain pass of {@code network} for NHWC input of {@code height x width} pixels (channels are the first
     * layer's nIn).
     *
     * @throws UnsupportedNetworkException naming the first layer or setting it cannot reproduce
     */
    public static PlainForward of(MultiLayerNetwork network, int height, int width) {
        MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
        int layers = conf.getConfs().size();
        if (layers == 0 || network.params() == null) {
            throw unsupported("the network has no layers or is not initialised");
        }
        if (conf.getInputPreProcessors() != null && !conf.getInputPreProcessors().isEmpty()) {
            throw unsupported("input preprocessors " + conf.getInputPreProcessors());
        }
        Layer first = conf.getConf(0).getLayer();
        if (!(first instanceof ConvolutionLayer firstConv)) {
            throw unsupported("layer 0 is not a convolution: " + first.getClass().getSimpleName());
        }
        Shape shape = new Shape(height, width, (int) firstConv.getNIn(), true);
        int inputLength = shape.size();
        int maxActivations = inputLength;
        List<Step> steps = new ArrayList<>();
        List<Integer> stepLayers = new ArrayList<>();
        Dense head = null;
        for (int i = 0; i < layers; i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (head != null) {
                throw unsupported("layer " + i + " follows the output layer");
            }
            if (layer.getIDropout() != null && layer.getIDropout().getClass() != Dropout.class) {
                throw unsupported("layer " + i + ": dropout " + layer.getIDropout());
            }
            if (layer instanceof BaseLayer base && base.getWeightNoise() != null) {
                throw unsupported("layer " + i + ": weight noise " + base.getWeightNoise());
            }
            Step step;
            if (layer.getClass() == ConvolutionLayer.class) {
                step = Conv.of(i, (ConvolutionLayer) layer, network.getLayer(i), shape);
            } else if (layer.getClass() == ActivationLayer.class) {
                step = new Elementwise(activation(i, ((ActivationLayer) layer).getActivationFn()), shape);
            } else if (layer.getClass() == BatchNormalization.class) {
                step = Norm.of(i, (BatchNormalization) layer, network.getLayer(i), shape);
            } else if (layer.getClass() == SubsamplingLayer.class) {
                step = Pool.of(i, (SubsamplingLayer) layer, shape);
            } else if (layer.getClass() == GlobalPoolingLayer.class) {
                step = GlobalPool.of(i, (GlobalPoolingLayer) layer, shape);
            } else if (layer.getClass() == OutputLayer.class) {
                head = Dense.of(i, (OutputLayer) layer, network.getLayer(i), shape);
                continue;
            } else {
                throw unsupported("layer " + i + " is a " + layer.getClass().getSimpleName());
            }
            steps.add(step);
            stepLayers.add(i);
            shape = step.out();
            maxActivations = Math.max(maxActivations, shape.size());
        }
        if (head == null) {
            throw unsupported("the last layer is not a softmax OutputLayer");
        }
        return new PlainForward(inputLength, steps, stepLayers, head, maxActivations);
    }

    /**
     * A pass laid out as {@link dev.mnistdrill.engine.NetworkFactory} builds {@code architecture} (each convolution
     * without activation, with a bias unless {@code batchNorm}, then ReLU, then BatchNorm when {@code batchNorm}),
     * with random weights: its probabilities mean nothing. It is there to run the plain pass's code before any real
     * model exists, so that the JIT has compiled it by the first drawing (compiled code serves every instance).
     */
    public static PlainForward untrained(Architecture architecture, boolean batchNorm, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Shape shape = new Shape(Architecture.INPUT_SIDE, Architecture.INPUT_SIDE, 1, true);
        int inputLength = shape.size();
        int maxActivations = inputLength;
        List<Step> steps = new ArrayList<>();
        for (Architecture.Block block : architecture.blocks()) {
            switch (block.kind()) {
                case CONV3, CONV1 -> {
                    int k = block.kind() == Architecture.Kind.CONV3 ? 3 : 1;
                    int nIn = shape.c();
                    int nOut = block.channels();
                    Shape out = new Shape(shape.h() - k + 1, shape.w() - k + 1, nOut, true);
                    // He-scaled weights, so that about half of each ReLU's inputs are zero, as in a trained net
                    float[] weights = gaussian(random, k * k * nIn * nOut, Math.sqrt(2.0 / (k * k * nIn)));
                    float[] bias = batchNorm ? null : gaussian(random, nOut, 0.1);
                    steps.add(new Conv(k, k, nIn, nOut, shape.w(), weights, bias, false, out));
                    steps.add(new Elementwise(true, out));
                    if (batchNorm) {
                        steps.add(new Norm(gaussian(random, nOut, 1), gaussian(random, nOut, 0.1), out));
                    }
                    shape = out;
                }
                case POOL -> {
                    Shape out = new Shape((shape.h() - 2) / 2 + 1, (shape.w() - 2) / 2 + 1, shape.c(), true);
                    steps.add(new Pool(2, 2, 2, 2, shape, out));
                    shape = out;
                }
                case GAP -> {
                    Shape out = new Shape(1, 1, shape.c(), false);
                    steps.add(new GlobalPool(shape, out));
                    shape = out;
                }
            }
            maxActivations = Math.max(maxActivations, shape.size());
        }
        Dense head = new Dense(shape.c(), Architecture.CLASSES,
                gaussian(random, shape.c() * Architecture.CLASSES, 1), new float[Architecture.CLASSES]);
        return new PlainForward(inputLength, steps, java.util.Collections.nCopies(steps.size(), -1), head,
                maxActivations);
    }

    private static float[] gaussian(SplittableRandom random, int n, double std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian() in Java 17
            double u = 1 - random.nextDouble();
            values[i] = (float) (std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return values;
    }

    /** Length of the input this pass takes: height x width x channels. */
    public int inputLength() {
        return inputLength;
    }

    /** Number of classes out. */
    public int classes() {
        return head.nOut;
    }

    /**
     * Class probabilities for one image given exactly as the DL4J network takes it: NHWC, row-major, already
     * normalised (for MNIST: {@code (pixel - MEAN) / STD}, see {@link dev.mnistdrill.data.Batches#normalised}).
     */
    public double[] output(float[] input) {
        double[] out = new double[head.nOut];
        output(input, out);
        return out;
    }

    /** As {@link #output(float[])}, into {@code probabilities}; allocates nothing. */
    public synchronized void output(float[] input, double[] probabilities) {
        checkInput(input);
        if (probabilities.length != head.nOut) {
            throw new IllegalArgumentException("output has room for " + probabilities.length + " classes, expected "
                    + head.nOut);
        }
        head.apply(features(input), probabilities);
    }

    /**
     * The pre-softmax scores (logits) for one input given as to {@link #output(float[])}; allocates nothing. What
     * an occlusion map compares: unlike probabilities they do not saturate near 0 and 1.
     */
    public synchronized void logits(float[] input, double[] logits) {
        if (logits.length != head.nOut) {
            throw new IllegalArgumentException("room for " + logits.length + " logits, expected " + head.nOut);
        }
        head.logits(features(input), logits);
    }

    /** Runs every step but the head on {@code input}; returns the buffer holding the pooled features. */
    private float[] features(float[] input) {
        checkInput(input);
        float[] current = bufferA;
        System.arraycopy(input, 0, current, 0, inputLength);
        for (Step step : steps) {
            current = step.apply(current, current == bufferA ? bufferB : bufferA);
        }
        return current;
    }

    private void checkInput(float[] input) {
        if (input.length != inputLength) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + inputLength);
        }
    }

    /**
     * The output of one convolution block (the convolution, then the ReLU and BatchNorm that follow it) for one
     * image: {@code height x width x channels} values, NHWC.
     *
     * @param layerIndex the DL4J layer whose output this is (the block's last), -1 for an {@link #untrained} pass
     * @param kernel     the convolution's kernel side (3 for cN, 1 for tN)
     * @param after      what follows the convolution in the block, e.g. "ReLU + BatchNorm"
     */
    public record BlockOutput(int block, int layerIndex, int kernel, String after, int height, int width,
                              int channels, float[] values) {
        /** The value at row {@code y}, column {@code x} of channel {@code c}. */
        public float at(int y, int x, int c) {
            return values[(y * width + x) * channels + c];
        }

        /** Channel {@code c} as a row-major {@code height x width} map. */
        public float[] map(int c) {
            float[] map = new float[height * width];
            for (int i = 0; i < map.length; i++) {
                map[i] = values[i * channels + c];
            }
            return map;
        }
    }

    /** One pass with what every convolution block computed on the way: the feature maps of one image. */
    public record Trace(List<BlockOutput> blocks, double[] logits, double[] probabilities) {
    }

    /**
     * As {@link #output(float[])}, keeping a copy of every convolution block's output. The same arithmetic as
     * {@link #output}: the probabilities are identical, and the feature maps are those that gave them.
     */
    public synchronized Trace trace(float[] input) {
        checkInput(input);
        List<BlockOutput> outputs = new ArrayList<>(blocks.size());
        float[] current = bufferA;
        System.arraycopy(input, 0, current, 0, inputLength);
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            current = steps.get(i).apply(current, current == bufferA ? bufferB : bufferA);
            if (next < blocks.size() && blocks.get(next).last() == i) {
                Block b = blocks.get(next);
                Shape out = steps.get(i).out();
                outputs.add(new BlockOutput(next, stepLayers[i], b.conv().kh(), b.after(), out.h(), out.w(), out.c(),
                        Arrays.copyOf(current, out.size())));
                next++;
            }
        }
        double[] logits = new double[head.nOut];
        head.logits(current, logits);
        double[] probabilities = new double[head.nOut];
        Dense.softmax(logits, probabilities);
        return new Trace(List.copyOf(outputs), logits, probabilities);
    }

    /**
     * Occlusions of one image: logits of the image with a rectangle of it set to one value, each computed from the
     * clean image's pass by recomputing only the outputs the rectangle reaches (a 3x3 patch reaches a 7x7 corner of
     * the second layer's 24x24 maps; after the pool and a few layers, all of the small late maps). The floats are
     * those of a whole pass of the occluded image, at about a third of its cost. Its buffers are its own: it runs
     * beside the predictions of the same pass, on another thread, without waiting for them.
     */
    public final class Occlusion {
        private final float[] cleanInput;
        private final float[] input;
        private final float[][] clean;
        private final float[][] work;
        private final Region[] changed;

        private Occlusion(float[] image) {
            checkInput(image);
            cleanInput = image.clone();
            input = image.clone();
            clean = new float[steps.size()][];
            work = new float[steps.size()][];
            changed = new Region[steps.size()];
            float[] previous = cleanInput;
            for (int i = 0; i < steps.size(); i++) {
                clean[i] = new float[steps.get(i).out().size()];
                steps.get(i).applyRegion(previous, clean[i], Region.ALL);
                work[i] = clean[i].clone();
                previous = clean[i];
            }
        }

        /** The clean image's logits. */
        public void logits(double[] logits) {
            head.logits(clean[clean.length - 1], logits);
        }

        /**
         * The logits of the image with rows {@code y0..y1} and columns {@code x0..x1} (ends exclusive; every
         * channel) set to {@code value}.
         */
        public void occluded(int y0, int y1, int x0, int x1, float value, double[] logits) {
            Shape first = steps.get(0) instanceof Conv c ? new Shape(c.out().h() + c.kh() - 1,
                    c.out().w() + c.kw() - 1, c.nIn(), true) : null;
            if (first == null) {
                throw new IllegalStateException("occlusion needs a convolution first");
            }
            Region r = new Region(y0, y1, x0, x1).clip(first);
            for (int y = r.y0(); y < r.y1(); y++) {
                Arrays.fill(input, (y * first.w() + r.x0()) * first.c(), (y * first.w() + r.x1()) * first.c(),
                        value);
            }
            float[] previous = input;
            Region region = r;
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                region = step.changed(region);
                changed[i] = region;
                step.applyRegion(previous, work[i], region);
                previous = work[i];
            }
            head.logits(previous, logits);
            // back to the clean image for the next occlusion
            copyRegion(cleanInput, input, first, r);
            for (int i = 0; i < steps.size(); i++) {
                Shape out = steps.get(i).out();
                if (changed[i] == Region.ALL || !out.spatial()) {
                    System.arraycopy(clean[i], 0, work[i], 0, out.size());
                } else {
                    copyRegion(clean[i], work[i], out, changed[i]);
                }
            }
        }
    }

    /** Occlusions of {@code input} (given as to {@link #output(float[])}): see {@link Occlusion}. */
    public Occlusion occlusion(float[] input) {
        return new Occlusion(input);
    }

    /** Number of convolution blocks, each one entry of {@link Trace#blocks()}. */
    public int blockCount() {
        return blocks.size();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PlainForward[");
        for (Step step : steps) {
            s.append(step.getClass().getSimpleName());
            if (step instanceof Conv conv) {
                s.append(' ').append(conv.kh()).append('x').append(conv.kw()).append(conv.bias() == null ? "" : "+bias")
                        .append(conv.relu() ? "+relu" : "");
            } else if (step instanceof Elementwise elementwise && elementwise.relu()) {
                s.append(" relu");
            }
            s.append(' ').append(step.out()).append(", ");
        }
        return s.append("Dense ").append(head.nOut).append(" softmax]").toString();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** An activation shape: height x width x channels, NHWC; {@code spatial} is false after global pooling. */
    record Shape(int h, int w, int c, boolean spatial) {
        int size() {
            return h * w * c;
        }

        @Override
        public String toString() {
            return spatial ? h + "x" + w + "x" + c : Integer.toString(c);
        }
    }

    private interface Step {
        /** Transforms {@code in}; returns the array holding the result: {@code in} itself or {@code spare}. */
        float[] apply(float[] in, float[] spare);

        Shape out();

        /**
         * The outputs that depend on the input rows {@code r.y0..y1} and columns {@code x0..x1} (ends exclusive).
         * A step whose output is not an image depends on all of it: {@link Region#ALL}.
         */
        Region changed(Region r);

        /**
         * Computes the outputs in {@code r} into {@code dst} from {@code in}, as {@link #apply} computes them (the
         * same arithmetic, so the same floats); {@code dst} is not {@code in}, and the rest of it is left alone.
         */
        void applyRegion(float[] in, float[] dst, Region r);
    }

    /** Rows {@code y0..y1} and columns {@code x0..x1} of an image, ends exclusive. */
    record Region(int y0, int y1, int x0, int x1) {
        static final Region ALL = new Region(0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE);

        Region clip(Shape s) {
            return new Region(Math.max(0, y0), Math.min(s.h(), y1), Math.max(0, x0), Math.min(s.w(), x1));
        }

        boolean isEmpty() {
            return y0 >= y1 || x0 >= x1;
        }
    }

    /** Copies the pixels of {@code r} (every channel) from {@code src} to {@code dst}, both of shape {@code s}. */
    private static void copyRegion(float[] src, float[] dst, Shape s, Region r) {
        if (!s.spatial()) {
            System.arraycopy(src, 0, dst, 0, s.size());
            return;
        }
        Region c = r.clip(s);
        int rowLength = (c.x1() - c.x0()) * s.c();
        for (int y = c.y0(); y < c.y1(); y++) {
            int from = (y * s.w() + c.x0()) * s.c();
            System.arraycopy(src, from, dst, from, rowLength);
        }
    }

    private static UnsupportedNetworkException unsupported(String what) {
        return new UnsupportedNetworkException("the plain forward pass does not support this network: " + what);
    }

    private static float[] copy(org.deeplearning4j.nn.api.Layer layer, String key, long... expectedShape) {
        INDArray p = layer.getParam(key);
        if (p == null) {
            throw unsupported("layer " + layer.getIndex() + " has no parameter '" + key + "'");
        }
        if (!Arrays.equals(p.shape(), expectedShape)) {
            throw unsupported("layer " + layer.getIndex() + ": parameter '" + key + "' has shape "
                    + Arrays.toString(p.shape()) + ", expected " + Arrays.toString(expectedShape));
        }
        return Nd4j.toFlattened('c', p).toFloatVector();
    }

    /** A per-channel parameter: DL4J M2.1 stores these as [n] (older versions as [1, n]). */
    private static float[] copyVector(org.deeplearning4j.nn.api.Layer layer, String key, int n) {
        INDArray p = layer.getParam(key);
        long[] shape = p == null ? null : p.shape();
        if (shape != null && p.length() == n && (shape.length == 1 || shape.length == 2 && shape[0] == 1)) {
            return copy(layer, key, shape);
        }
        return copy(layer, key, n); // fails with the shape found
    }

    private static void requireNhwc(int index, CNN2DFormat format) {
        if (format != CNN2DFormat.NHWC) {
            throw unsupported("layer " + index + " has data format " + format + " (only NHWC)");
        }
    }

    private static void requireSpatial(int index, Shape in) {
        if (!in.spatial()) {
            throw unsupported("layer " + index + " needs image input but gets a vector");
        }
    }

    private static void require(int index, String what, int[] values, int expected) {
        if (values == null || values.length != 2 || values[0] != expected || values[1] != expected) {
            throw unsupported("layer " + index + ": " + what + " " + Arrays.toString(values) + " (only "
                    + expected + ")");
        }
    }

    /** The activation as an elementwise kind: true for ReLU, false for identity. */
    private static boolean activation(int index, IActivation fn) {
        if (fn instanceof ActivationIdentity) {
            return false;
        }
        if (fn instanceof ActivationReLU relu
                && (relu.getMax() == null || relu.getMax().isInfinite())
                && (relu.getThreshold() == null || relu.getThreshold() == 0)
                && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0)) {
            return true;
        }
        throw unsupported("layer " + index + ": activation " + fn);
    }

    /**
     * Convolution, stride 1, no padding. DL4J stores the kernel {@code W} as [nOut, nIn, kH, kW] (checked against
     * the param's shape here and numerically by {@code PlainForwardTest}); it is copied as [kH][kW][nIn][nOut] so
     * the innermost loop runs over contiguous output channels of one pixel.
     */
    private record Conv(int kh, int kw, int nIn, int nOut, int inW, float[] weights, float[] bias, boolean relu,
                        Shape out) implements Step {
        static Conv of(int index, ConvolutionLayer conf, org.deeplearning4j.nn.api.Layer layer, Shape in) {
            requireSpatial(index, in);
            requireNhwc(index, conf.getCnn2dDataFormat());
            if (conf.getConvolutionMode() != ConvolutionMode.Truncate) {
                throw unsupported("layer " + index + ": convolution mode " + conf.getConvolutionMode()
                        + " (only Truncate)");
            }
            require(index, "stride", conf.getStride(), 1);
            require(index, "padding", conf.getPadding(), 0);
            require(index, "dilation", conf.getDilation(), 1);
            int kh = conf.getKernelSize()[0];
            int kw = conf.getKernelSize()[1];
            int nIn = (int) conf.getNIn();
            int nOut = (int) conf.getNOut();
            if (nIn != in.c()) {
                throw unsupported("layer " + index + " expects " + nIn + " channels but gets " + in.c());
            }
            if (kh > in.h() || kw > in.w()) {
                throw unsupported("layer " + index + ": kernel larger than its " + in + " input");
            }
            boolean relu = activation(index, conf.getActivationFn());
            float[] w = copy(layer, ConvolutionParamInitializer.WEIGHT_KEY, nOut, nIn, kh, kw);
            float[] hwio = new float[w.length];
            for (int o = 0; o < nOut; o++) {
                for (int c = 0; c < nIn; c++) {
                    for (int y = 0; y < kh; y++) {
                        for (int x = 0; x < kw; x++) {
                            hwio[((y * kw + x) * nIn + c) * nOut + o] = w[((o * nIn + c) * kh + y) * kw + x];
                        }
                    }
                }
            }
            float[] bias = conf.hasBias() ? copyVector(layer, ConvolutionParamInitializer.BIAS_KEY, nOut) : null;
            Shape out = new Shape(in.h() - kh + 1, in.w() - kw + 1, nOut, true);
            return new Conv(kh, kw, nIn, nOut, in.w(), hwio, bias, relu, out);
        }

        @Override
        public float[] apply(float[] in, float[] dst) {
            convolve(in, dst, 0, out.h(), 0, out.w());
            return dst;
        }

        @Override
        public Region changed(Region r) {
            // output (oy, ox) reads input rows oy..oy+kh-1 and columns ox..ox+kw-1
            return new Region(r.y0() - kh + 1, r.y1(), r.x0() - kw + 1, r.x1()).clip(out);
        }

        @Override
        public void applyRegion(float[] in, float[] dst, Region r) {
            Region c = r.clip(out);
            convolve(in, dst, c.y0(), c.y1(), c.x0(), c.x1());
        }

        private void convolve(float[] in, float[] dst, int y0, int y1, int x0, int x1) {
            int outW = out.w();
            int rowTaps = kw * nIn;
            for (int oy = y0; oy < y1; oy++) {
                for (int ox = x0; ox < x1; ox++) {
                    int o = (oy * outW + ox) * nOut;
                    if (bias == null) {
                        Arrays.fill(dst, o, o + nOut, 0f);
                    } else {
                        System.arraycopy(bias, 0, dst, o, nOut);
                    }
                    for (int ky = 0; ky < kh; ky++) {
                        // kw * nIn consecutive inputs: the kernel row's pixels are adjacent in NHWC
                        int src = ((oy + ky) * inW + ox) * nIn;
                        int wRow = ky * rowTaps * nOut;
                        for (int t = 0; t < rowTaps; t++) {
                            float v = in[src + t];
                            if (v == 0f) {
                                continue; // after a ReLU about half the inputs are zero
                            }
                            int wi = wRow + t * nOut;
                            for (int co = 0; co < nOut; co++) {
                                dst[o + co] += v * weights[wi + co];
                            }
                        }
                    }
                    if (relu) {
                        for (int co = o; co < o + nOut; co++) {
                            dst[co] = Math.max(dst[co], 0f);
                        }
                    }
                }
            }
        }

    }

    /** ReLU (or identity) in place. */
    private record Elementwise(boolean relu, Shape out) implements Step {
        @Override
        public float[] apply(float[] in, float[] spare) {
            if (relu) {
                int n = out.size();
                for (int i = 0; i < n; i++) {
                    in[i] = Math.max(in[i], 0f);
                }
            }
            return in;
        }

        @Override
        public Region changed(Region r) {
            return out.spatial() ? r.clip(out) : Region.ALL;
        }

        @Override
        public void applyRegion(float[] in, float[] dst, Region r) {
            copyRegion(in, dst, out, r);
            if (!relu) {
                return;
            }
            if (!out.spatial()) {
                for (int i = 0; i < out.size(); i++) {
                    dst[i] = Math.max(dst[i], 0f);
                }
                return;
            }
            Region c = r.clip(out);
            for (int y = c.y0(); y < c.y1(); y++) {
                for (int i = (y * out.w() + c.x0()) * out.c(); i < (y * out.w() + c.x1()) * out.c(); i++) {
                    dst[i] = Math.max(dst[i], 0f);
                }
            }
        }

    }

    /**
     * BatchNormalization at inference, folded into one scale and shift per channel:
     * {@code gamma * (x - mean) / sqrt(var + eps) + beta}. With {@code useLogStd} (DL4J's default) the layer stores
     * {@code log10(std)} instead of the variance; {@code var = (10^log10std)^2}, and eps is added as DL4J does.
     */
    private record Norm(float[] scale, float[] shift, Shape out) implements Step {
        static Norm of(int index, BatchNormalization conf, org.deeplearning4j.nn.api.Layer layer, Shape in) {
            if (in.spatial()) {
                requireNhwc(index, conf.getCnn2DFormat());
            }
            int c = in.c();
            if (conf.getNOut() != c) {
                throw unsupported("layer " + index + " normalises " + conf.getNOut() + " channels but gets " + c);
            }
            float[] gamma;
            float[] beta;
            if (conf.isLockGammaBeta()) {
                gamma = new float[c];
                beta = new float[c];
                Arrays.fill(gamma, (float) conf.getGamma());
                Arrays.fill(beta, (float) conf.getBeta());
            } else {
                gamma = copyVector(layer, BatchNormalizationParamInitializer.GAMMA, c);
                beta = copyVector(layer, BatchNormalizationParamInitializer.BETA, c);
            }
            float[] mean = copyVector(layer, BatchNormalizationParamInitializer.GLOBAL_MEAN, c);
            double[] variance = new double[c];
            if (conf.isUseLogStd()) {
                float[] log10std = copyVector(layer, BatchNormalizationParamInitializer.GLOBAL_LOG_STD, c);
                for (int i = 0; i < c; i++) {
                    double std = Math.pow(10, log10std[i]);
                    variance[i] = std * std;
                }
            } else {
                float[] var = copyVector(layer, BatchNormalizationParamInitializer.GLOBAL_VAR, c);
                for (int i = 0; i < c; i++) {
                    variance[i] = var[i];
                }
            }
            float[] scale = new float[c];
            float[] shift = new float[c];
            for (int i = 0; i < c; i++) {
                double s = gamma[i] / Math.sqrt(variance[i] + conf.getEps());
                scale[i] = (float) s;
                shift[i] = (float) (beta[i] - mean[i] * s);
            }
            return new Norm(scale, shift, in);
        }

        @Override
        public float[] apply(float[] in, float[] spare) {
            int c = out.c();
            int n = out.size();
            for (int i = 0; i < n; i += c) {
                for (int k = 0; k < c; k++) {
                    in[i + k] = in[i + k] * scale[k] + shift[k];
                }
            }
            return in;
        }

        @Override
        public Region changed(Region r) {
            return out.spatial() ? r.clip(out) : Region.ALL;
        }

        @Override
        public void applyRegion(float[] in, float[] dst, Region r) {
            int c = out.c();
            Region k = out.spatial() ? r.clip(out) : new Region(0, 1, 0, 1);
            int w = out.spatial() ? out.w() : 1;
            for (int y = k.y0(); y < k.y1(); y++) {
                for (int i = (y * w + k.x0()) * c; i < (y * w + k.x1()) * c; i += c) {
                    for (int j = 0; j < c; j++) {
                        dst[i + j] = in[i + j] * scale[j] + shift[j];
                    }
                }
            }
        }

    }

    /** 2D max pooling, Truncate mode, no padding. */
    private record Pool(int kh, int kw, int sh, int sw, Shape in, Shape out) implements Step {
        static Pool of(int index, SubsamplingLayer conf, Shape in) {
            requireSpatial(index, in);
            requireNhwc(index, conf.getCnn2dDataFormat());
            if (conf.getPoolingType() != PoolingType.MAX) {
                throw unsupported("layer " + index + ": pooling " + conf.getPoolingType() + " (only MAX)");
            }
            if (conf.getConvolutionMode() != ConvolutionMode.Truncate) {
                throw unsupported("layer " + index + ": convolution mode " + conf.getConvolutionMode()
                        + " (only Truncate)");
            }
            require(index, "padding", conf.getPadding(), 0);
            require(index, "dilation", conf.getDilation(), 1);
            int kh = conf.getKernelSize()[0];
            int kw = conf.getKernelSize()[1];
            int sh = conf.getStride()[0];
            int sw = conf.getStride()[1];
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || kh > in.h() || kw > in.w()) {
                throw unsupported("layer " + index + ": pooling kernel " + kh + "x" + kw + " stride " + sh + "x" + sw
                        + " on " + in);
            }
            Shape out = new Shape((in.h() - kh) / sh + 1, (in.w() - kw) / sw + 1, in.c(), true);
            return new Pool(kh, kw, sh, sw, in, out);
        }

        @Override
        public float[] apply(float[] src, float[] dst) {
            pool(src, dst, 0, out.h(), 0, out.w());
            return dst;
        }

        @Override
        public Region changed(Region r) {
            // output o reads input o*s .. o*s+k-1: it changes when that meets [r0, r1)
            return new Region(Math.floorDiv(r.y0() - kh, sh) + 1, Math.floorDiv(r.y1() - 1, sh) + 1,
                    Math.floorDiv(r.x0() - kw, sw) + 1, Math.floorDiv(r.x1() - 1, sw) + 1).clip(out);
        }

        @Override
        public void applyRegion(float[] src, float[] dst, Region r) {
            Region c = r.clip(out);
            pool(src, dst, c.y0(), c.y1(), c.x0(), c.x1());
        }

        private void pool(float[] src, float[] dst, int y0, int y1, int x0, int x1) {
            int c = in.c();
            for (int oy = y0; oy < y1; oy++) {
                for (int ox = x0; ox < x1; ox++) {
                    int o = (oy * out.w() + ox) * c;
                    Arrays.fill(dst, o, o + c, Float.NEGATIVE_INFINITY);
                    for (int ky = 0; ky < kh; ky++) {
                        for (int kx = 0; kx < kw; kx++) {
                            int i = ((oy * sh + ky) * in.w() + ox * sw + kx) * c;
                            for (int k = 0; k < c; k++) {
                                dst[o + k] = Math.max(dst[o + k], src[i + k]);
                            }
                        }
                    }
                }
            }
        }

    }

    /** Global average pooling over H and W. */
    private record GlobalPool(Shape in, Shape out) implements Step {
        static GlobalPool of(int index, GlobalPoolingLayer conf, Shape in) {
            requireSpatial(index, in);
            if (conf.getPoolingType() != PoolingType.AVG) {
                throw unsupported("layer " + index + ": global pooling " + conf.getPoolingType() + " (only AVG)");
            }
            if (!Arrays.equals(conf.getPoolingDimensions(), new int[] {1, 2})) {
                throw unsupported("layer " + index + ": global pooling over dimensions "
                        + Arrays.toString(conf.getPoolingDimensions()) + " (only H and W of NHWC: [1, 2])");
            }
            if (!conf.isCollapseDimensions()) {
                throw unsupported("layer " + index + ": global pooling without collapsing dimensions");
            }
            return new GlobalPool(in, new Shape(1, 1, in.c(), false));
        }

        @Override
        public Region changed(Region r) {
            return Region.ALL;
        }

        @Override
        public void applyRegion(float[] src, float[] dst, Region r) {
            apply(src, dst);
        }

        @Override
        public float[] apply(float[] src, float[] dst) {
            int c = in.c();
            int pixels = in.h() * in.w();
            for (int k = 0; k < c; k++) {
                double sum = 0;
                for (int p = 0; p < pixels; p++) {
                    sum += src[p * c + k];
                }
                dst[k] = (float) (sum / pixels);
            }
            return dst;
        }

    }

    /** The output layer: {@code x W + b}, W stored by DL4J as [nIn, nOut], then softmax. */
    private record Dense(int nIn, int nOut, float[] weights, float[] bias) {
        static Dense of(int index, OutputLayer conf, org.deeplearning4j.nn.api.Layer layer, Shape in) {
            if (in.spatial()) {
                throw unsupported("layer " + index + " (output) gets image input; only after global pooling");
            }
            if (!(conf.getActivationFn() instanceof ActivationSoftmax)) {
                throw unsupported("layer " + index + ": output activation " + conf.getActivationFn()
                        + " (only softmax)");
            }
            int nIn = (int) conf.getNIn();
            int nOut = (int) conf.getNOut();
            if (nIn != in.c()) {
                throw unsupported("layer " + index + " expects " + nIn + " inputs but gets " + in.c());
            }
            float[] w = copy(layer, DefaultParamInitializer.WEIGHT_KEY, nIn, nOut);
            float[] b = conf.hasBias() ? copyVector(layer, DefaultParamInitializer.BIAS_KEY, nOut) : new float[nOut];
            return new Dense(nIn, nOut, w, b);
        }

        void apply(float[] x, double[] probabilities) {
            logits(x, probabilities);
            softmax(probabilities, probabilities);
        }

        void logits(float[] x, double[] logits) {
            for (int j = 0; j < nOut; j++) {
                double z = bias[j];
                for (int i = 0; i < nIn; i++) {
                    z += x[i] * weights[i * nOut + j];
                }
                logits[j] = z;
            }
        }

        /** {@code probabilities} may be {@code logits} itself. */
        static void softmax(double[] logits, double[] probabilities) {
            double maxLogit = Double.NEGATIVE_INFINITY;
            for (double z : logits) {
                maxLogit = Math.max(maxLogit, z);
            }
            double sum = 0;
            for (int j = 0; j < logits.length; j++) {
                probabilities[j] = Math.exp(logits[j] - maxLogit);
                sum += probabilities[j];
            }
            for (int j = 0; j < logits.length; j++) {
                probabilities[j] /= sum;
            }
        }
    }
}
