package dev.mnistdrill.engine;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * DL4J's ReLU {@link ActivationLayer} with its training passes in plain Java.
 *
 * <p>Why: in a training step DL4J's ReLU layer copies its input twice and runs ND4J's {@code relu_bp}, which took
 * ~1.6 ns per element here: 15-18% of a {@code code4} step for an element-wise max. One sweep over cache-sized
 * chunks does each pass, branch-free on the float bits. The results are DL4J's floats, bit for bit, NaN and
 * infinities included. Only the running layer object
 * changes: the configuration, and so every saved model, still says "ActivationLayer, relu", and a network built
 * from it (a snapshot, a loaded model) runs DL4J's own layer. Inference and anything but a plain ReLU on dense floats
 * also stay DL4J's.
 */
public final class JavaReluLayer extends ActivationLayer {
    private static final int CHUNK = 4096;
    /** Scratch chunks: a layer trains on one thread at a time (DL4J's fit is synchronized on the network). */
    private final int[] bitsA = new int[CHUNK];
    private final int[] bitsB = new int[CHUNK];
    /** Passes done in Java rather than handed to DL4J, for tests. */
    private int javaPasses;

    private JavaReluLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Replaces every plain-ReLU activation layer of an initialised {@code net} by one of these. */
    public static void attachTo(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        Map<String, Layer> byName = layerMap(net);
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].getClass() == ActivationLayer.class && isPlainRelu((ActivationLayer) layers[i])) {
                ActivationLayer original = (ActivationLayer) layers[i];
                JavaReluLayer replacement = new JavaReluLayer(original.conf(), original.getDataType());
                replacement.setListeners(original.getListeners());
                replacement.setIndex(original.getIndex());
                replacement.setParamTable(original.paramTable());
                replacement.setIterationCount(original.getIterationCount());
                replacement.setEpochCount(original.getEpochCount());
                layers[i] = replacement;
                byName.put(original.conf().getLayer().getLayerName(), replacement);
            }
        }
    }

    int javaPasses() {
        return javaPasses;
    }

    static boolean isPlainRelu(ActivationLayer layer) {
        org.deeplearning4j.nn.conf.layers.ActivationLayer conf =
                (org.deeplearning4j.nn.conf.layers.ActivationLayer) layer.conf().getLayer();
        return conf.getActivationFn() instanceof ActivationReLU relu && relu.getMax() == null
                && relu.getThreshold() == null && relu.getNegativeSlope() == null && conf.getIDropout() == null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Layer> layerMap(MultiLayerNetwork net) {
        try {
            Field field = MultiLayerNetwork.class.getDeclaredField("layerMap");
            field.setAccessible(true);
            return (Map<String, Layer>) field.get(net);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DL4J's MultiLayerNetwork has no 'layerMap' field", e);
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!training || !isDenseFloat(input)) {
            return super.activate(training, workspaceMgr);
        }
        javaPasses++;
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, input.shape(), 'c');
        sweep(ints(input), null, ints(output), (int) input.length());
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!isDenseFloat(input) || !isDenseFloat(epsilon) || !Shape.shapeEquals(input.shape(), epsilon.shape())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        javaPasses++;
        INDArray delta = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, input.shape(),
                'c');
        sweep(ints(input), ints(epsilon), ints(delta), (int) input.length());
        return new Pair<>(new DefaultGradient(), delta);
    }

    /**
     * One pass over {@code length} floats in chunks: forward (out = relu(in)) when {@code epsilon} is null, else
     * backward (out = epsilon where in > 0). Both branch-free on the float bits (a data-dependent branch here
     * mispredicts half the time), each in its own plain inner loop, which the JIT vectorises.
     */
    private void sweep(IntBuffer in, IntBuffer epsilon, IntBuffer out, int length) {
        for (int start = 0; start < length; start += CHUNK) {
            int n = Math.min(CHUNK, length - start);
            in.get(start, bitsA, 0, n);
            if (epsilon == null) {
                // DL4J's relu is x < 0 ? 0 : x, which keeps -0.0 and NaN. On the bits: b & (b - 1) is negative
                // exactly for the negative floats other than -0.0 (Integer.MIN_VALUE), and >> 31 makes that a mask
                // of the bits to clear; notNaN keeps NaNs of either sign.
                for (int i = 0; i < n; i++) {
                    int b = bitsA[i];
                    bitsA[i] = b & ~((b & (b - 1)) >> 31 & notNaN(b));
                }
            } else {
                epsilon.get(start, bitsB, 0, n);
                // out = epsilon where input > 0, else +0. ((-b) & ~b) has its sign bit set exactly when b is a
                // positive float's bits (b > 0 as an int; -0.0's bits, Integer.MIN_VALUE, give 0), and >> 31 spreads
                // it to a mask; a NaN input gives 0, as NaN > 0 is false.
                for (int i = 0; i < n; i++) {
                    int b = bitsA[i];
                    bitsA[i] = bitsB[i] & ((-b) & ~b) >> 31 & notNaN(b);
                }
            }
            out.put(start, bitsA, 0, n);
        }
    }

    /** All ones unless {@code bits} are a NaN's: NaNs are the bit patterns above infinity's, whatever the sign. */
    private static int notNaN(int bits) {
        return ((bits & 0x7fffffff) - 0x7f800001) >> 31;
    }

    private static IntBuffer ints(INDArray array) {
        return array.data().asNio().order(ByteOrder.nativeOrder()).asIntBuffer();
    }

    private static boolean isDenseFloat(INDArray array) {
        return array.dataType() == DataType.FLOAT && ChannelsLastBatchNorm.isDense(array);
    }
}
