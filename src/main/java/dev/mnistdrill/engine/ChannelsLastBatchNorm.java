package dev.mnistdrill.engine;

import java.lang.reflect.Field;
import java.nio.FloatBuffer;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BatchNorm for NHWC float activations, in plain Java.
 *
 * <p>Why: in DL4J/ND4J 1.0.0-M2.1 the oneDNN helper's BatchNorm reduces over the non-contiguous N, H, W axes and
 * its {@code batchnorm_bp} took 3.6 ms per layer and batch here, about a third of a whole {@code code4} training step.
 * With channels last, one batch is a [rows x channels] matrix in memory, so both passes are a few sequential sweeps
 * over a float array. The DL4J layer keeps its own job: it updates the running mean/variance from
 * {@link #getMeanCache}/{@link #getVarCache}, exactly as it does with the oneDNN helper.
 *
 * <p>Anything else (NCHW, rank 2, doubles) returns {@code null}, which makes the layer use its built-in path.
 * One instance belongs to one layer: the backward pass reuses the statistics of that layer's last training forward.
 */
public final class ChannelsLastBatchNorm implements BatchNormalizationHelper {
    private INDArray meanCache;
    private INDArray varCache;
    /** Batch statistics of the last training forward pass, used by the backward pass. */
    private float[] batchMean = new float[0];
    private float[] batchInvStd = new float[0];

    /**
     * Gives every BatchNorm layer of {@code net} its own instance, replacing the oneDNN helper DL4J attached. DL4J
     * offers no setter; the field is package-private, hence reflection.
     */
    public static void attachTo(MultiLayerNetwork net) {
        for (Layer layer : net.getLayers()) {
            if (layer instanceof BatchNormalization) {
                try {
                    HELPER_FIELD.set(layer, new ChannelsLastBatchNorm());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot set the BatchNorm helper", e);
                }
            }
        }
    }

    private static final Field HELPER_FIELD = helperField();

    private static Field helperField() {
        try {
            Field field = BatchNormalization.class.getDeclaredField("helper");
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's BatchNormalization has no 'helper' field", e);
        }
    }

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Map.of();
    }

    private static boolean handles(INDArray x, CNN2DFormat format) {
        return format == CNN2DFormat.NHWC && x.rank() == 4 && x.dataType() == DataType.FLOAT && isDense(x);
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta,
                              INDArray globalMean, INDArray globalVar, double decay, double eps,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(x, format)) {
            return null;
        }
        int channels = (int) x.size(3);
        FloatBuffer in = x.data().asNioFloat();
        float[] mean;
        float[] variance;
        if (training) {
            double[][] sums = sums(in, in, (int) x.length(), channels);
            mean = new float[channels];
            variance = new float[channels];
            long rows = x.length() / channels;
            for (int c = 0; c < channels; c++) {
                double m = sums[0][c] / rows;
                mean[c] = (float) m;
                variance[c] = (float) Math.max(0, sums[1][c] / rows - m * m); // biased, as DL4J's own BN
            }
        } else {
            mean = globalMean.toFloatVector();
            variance = globalVar.toFloatVector();
        }
        float[] invStd = new float[channels];
        for (int c = 0; c < channels; c++) {
            invStd[c] = (float) (1.0 / Math.sqrt(variance[c] + eps));
        }
        if (training) {
            batchMean = mean;
            batchInvStd = invStd;
            publishBatchStatistics(mean, variance);
        }
        float[] g = gamma.toFloatVector();
        float[] b = beta.toFloatVector();
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = g[c] * invStd[c];
            shift[c] = b[c] - mean[c] * scale[c];
        }
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, x.shape(), 'c');
        FloatBuffer out = result.data().asNioFloat();
        affine(in, null, out, (int) x.length(), channels, scale, null, shift);
        return result;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray x, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView,
                                                     double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(x, format) || batchMean.length != x.size(3)) {
            return null; // the forward pass was DL4J's too
        }
        if (!isDense(epsilon)) {
            // Not returning null: DL4J's own backward pass needs state that only its own forward pass leaves.
            epsilon = epsilon.dup('c');
        }
        int channels = (int) x.size(3);
        FloatBuffer in = x.data().asNioFloat();
        FloatBuffer dy = epsilon.data().asNioFloat();
        float[] mean = batchMean;
        float[] invStd = batchInvStd;
        // sum(dy) and sum(dy * x) per channel give dBeta, dGamma and the input gradient.
        double[][] sums = sums(dy, in, (int) x.length(), channels);
        double[] sumDy = sums[0];
        double[] sumDyX = sums[1];
        long rows = x.length() / channels;
        float[] g = gamma.toFloatVector();
        float[] dGamma = new float[channels];
        float[] dBeta = new float[channels];
        // dx = gamma * invStd * (dy - dBeta / M - xHat * dGamma / M), expanded to dx = a * dy + bx * x + k.
        float[] a = new float[channels];
        float[] bx = new float[channels];
        float[] k = new float[channels];
        for (int c = 0; c < channels; c++) {
            double dg = (sumDyX[c] - mean[c] * sumDy[c]) * invStd[c]; // sum(dy * xHat)
            dGamma[c] = (float) dg;
            dBeta[c] = (float) sumDy[c];
            double ac = g[c] * invStd[c];
            double bc = -ac * invStd[c] * dg / rows;
            a[c] = (float) ac;
            bx[c] = (float) bc;
            k[c] = (float) (-ac * sumDy[c] / rows - bc * mean[c]);
        }
        INDArray result = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                epsilon.shape(), 'c');
        FloatBuffer dx = result.data().asNioFloat();
        affine(dy, in, dx, (int) x.length(), channels, a, bx, k);
        dGammaView.assign(Nd4j.createFromArray(dGamma).reshape(dGammaView.shape()));
        dBetaView.assign(Nd4j.createFromArray(dBeta).reshape(dBetaView.shape()));
        Gradient grads = new DefaultGradient();
        grads.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        grads.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(grads, result);
    }

    /** Rows per chunk: small enough to stay in L1/L2 between the copy and the arithmetic. */
    private static final int CHUNK_ROWS = 128;

    /**
     * Reusable arrays: the two data chunks, then per-chunk copies of the channel coefficients.
     * This runs 30 times a second per layer, and garbage costs the UI GC pauses.
     */
    private final float[][] chunks = new float[5][0];

    private float[] chunk(int which, int channels) {
        if (chunks[which].length != CHUNK_ROWS * channels) {
            chunks[which] = new float[CHUNK_ROWS * channels];
        }
        return chunks[which];
    }

    /** The per-channel {@code values} repeated over a whole chunk, so that the sweeps run over flat indices. */
    private float[] repeated(int which, float[] values) {
        float[] chunk = chunk(which, values.length);
        for (int i = 0; i < chunk.length; i += values.length) {
            System.arraycopy(values, 0, chunk, i, values.length);
        }
        return chunk;
    }

    /**
     * Copies the chunk of floats that starts at {@code start} from {@code first} (and {@code second}, unless null)
     * into the fronts of their chunk arrays; returns its length, shorter at the end of the buffers.
     */
    private static int load(int start, int length, FloatBuffer first, float[] firstChunk, FloatBuffer second,
                            float[] secondChunk) {
        int n = Math.min(firstChunk.length, length - start);
        first.get(start, firstChunk, 0, n);
        if (second != null) {
            second.get(start, secondChunk, 0, n);
        }
        return n;
    }

    /** Per channel, {sum(a), sum(a * b)} over two [rows x channels] buffers of {@code length} floats. */
    private double[][] sums(FloatBuffer a, FloatBuffer b, int length, int channels) {
        double[] sumA = new double[channels];
        double[] sumAB = new double[channels];
        float[] chunkA = chunk(0, channels);
        float[] chunkB = a == b ? chunkA : chunk(1, channels);
        for (int start = 0; start < length; start += chunkA.length) {
            int n = load(start, length, a, chunkA, a == b ? null : b, chunkB);
            // Channel by channel with four independent accumulators: the adds pipeline instead of waiting on
            // each other, and the strided reads stay within the chunk in L1/L2.
            for (int c = 0; c < channels; c++) {
                double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                double p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                int i = c;
                for (int step = 4 * channels; i + 3 * channels < n; i += step) {
                    float v0 = chunkA[i];
                    float v1 = chunkA[i + channels];
                    float v2 = chunkA[i + 2 * channels];
                    float v3 = chunkA[i + 3 * channels];
                    a0 += v0;
                    a1 += v1;
                    a2 += v2;
                    a3 += v3;
                    p0 += (double) v0 * chunkB[i];
                    p1 += (double) v1 * chunkB[i + channels];
                    p2 += (double) v2 * chunkB[i + 2 * channels];
                    p3 += (double) v3 * chunkB[i + 3 * channels];
                }
                for (; i < n; i += channels) {
                    a0 += chunkA[i];
                    p0 += (double) chunkA[i] * chunkB[i];
                }
                sumA[c] += (a0 + a1) + (a2 + a3);
                sumAB[c] += (p0 + p1) + (p2 + p3);
            }
        }
        return new double[][] {sumA, sumAB};
    }

    /** out = a * x + b * y + k per channel over {@code length} floats; y and b may be null. */
    private void affine(FloatBuffer x, FloatBuffer y, FloatBuffer out, int length, int channels,
                        float[] a, float[] b, float[] k) {
        float[] chunkX = chunk(0, channels);
        float[] chunkY = y == null ? null : chunk(1, channels);
        float[] aa = repeated(2, a);
        float[] kk = repeated(3, k);
        float[] bb = y == null ? null : repeated(4, b);
        for (int start = 0; start < length; start += chunkX.length) {
            int n = load(start, length, x, chunkX, y, chunkY);
            if (y == null) {
                for (int i = 0; i < n; i++) {
                    chunkX[i] = chunkX[i] * aa[i] + kk[i];
                }
            } else {
                for (int i = 0; i < n; i++) {
                    chunkX[i] = chunkX[i] * aa[i] + chunkY[i] * bb[i] + kk[i];
                }
            }
            out.put(start, chunkX, 0, n);
        }
    }

    private void publishBatchStatistics(float[] mean, float[] variance) {
        if (meanCache == null || meanCache.length() != mean.length) {
            // Outside any workspace: the layer reads them after this pass's workspaces are closed or reset.
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                meanCache = Nd4j.createUninitialized(DataType.FLOAT, mean.length);
                varCache = Nd4j.createUninitialized(DataType.FLOAT, mean.length);
            }
        }
        meanCache.data().asNioFloat().put(0, mean);
        varCache.data().asNioFloat().put(0, variance);
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    /** Whether {@code array} is its buffer from the start, row-major with no gaps: what the sweeps assume. */
    static boolean isDense(INDArray array) {
        return array.ordering() == 'c' && array.offset() == 0 && Shape.hasDefaultStridesForShape(array)
                && !array.isView() && array.data().length() >= array.length();
    }
}
