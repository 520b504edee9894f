package dev.mnistdrill.engine;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Native engine set-up. Must run before the first ND4J/DL4J class is touched, which is why every entry point
 * (CLI, UI, tests) calls {@link #configure()} first.
 */
public final class Engine {
    /** DL4J 1.0.0-M2.1 refuses to create any layer helper (oneDNN included) unless this is "false". */
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** JavaCPP loads natives from {@code <platform><extension>/}; our oneDNN build lives in {@code linux-x86_64-onednn}. */
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    /**
     * JavaCPP measures the process's resident memory on every native allocation (ND4J makes several per op) to
     * compare it with this limit: 2-4% of a training step. Its default (maxBytes + 3 x max heap, 4 GB with -Xmx1g) is
     * never reached here;
     * 0 turns the measuring off, while JavaCPP's own allocation bound (maxBytes) stays.
     */
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static volatile boolean configured;

    private Engine() {
    }

    public static synchronized void configure() {
        if (configured) {
            return;
        }
        setIfAbsent(HELPERS_DISABLE, "false");
        setIfAbsent(PLATFORM_EXTENSION, detectPlatformExtension());
        if (System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(java.util.Locale.ROOT)) == null) { // JavaCPP reads both
            setIfAbsent(MAX_PHYSICAL_BYTES, "0");
        }
        // Keep DL4J/ND4J from printing INFO banners on every start.
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        configured = true;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && value != null) {
            System.setProperty(key, value);
        }
    }

    /** The extension of the native build on the class path, e.g. "-onednn" or "-onednn-avx512"; null when plain. */
    private static String detectPlatformExtension() {
        String base = "org/nd4j/linalg/cpu/nativecpu/bindings/" + platform();
        ClassLoader loader = Engine.class.getClassLoader();
        for (String extension : List.of("-onednn-avx512", "-onednn")) {
            if (loader.getResource(base + extension + "/libjnind4jcpu.so") != null
                    || loader.getResource(base + extension + "/jnind4jcpu.dll") != null
                    || loader.getResource(base + extension + "/libjnind4jcpu.dylib") != null) {
                return extension;
            }
        }
        return null;
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase();
        String arch = System.getProperty("os.arch");
        String osName = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macosx" : "linux";
        String archName = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("aarch64") ? "arm64" : arch;
        return osName + "-" + archName;
    }

    /**
     * Whether the native build on the class path is ND4J's oneDNN build. macOS on Apple silicon and Linux on ARM have
     * only the plain build: conv and pooling layers then run DL4J's own code (our Java BatchNorm and ReLU still apply).
     */
    public static boolean oneDnnBuild() {
        configure();
        return System.getProperty(PLATFORM_EXTENSION, "").contains("onednn");
    }

    /** The loaded native build's platform extension, for reports ("" when plain). */
    public static String nativeBuild() {
        return platform() + System.getProperty(PLATFORM_EXTENSION, "");
    }

    /**
     * Lists the layers of {@code net} that run slower paths than this platform has: conv and pooling layers without
     * oneDNN where the native build has it, BatchNorm layers without oneDNN or our {@link ChannelsLastBatchNorm}, and
     * ReLU layers that are not our {@link JavaReluLayer} (unless {@link NetworkFactory#RELU_PROPERTY} asks for
     * DL4J's). Empty means all are as fast as this build allows.
     */
    public static List<String> slowLayers(MultiLayerNetwork net) {
        List<String> slow = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            LayerHelper helper = helperOf(layer);
            boolean needsHelper = layer instanceof BatchNormalization
                    || oneDnnBuild() && (layer instanceof ConvolutionLayer || layer instanceof SubsamplingLayer);
            boolean fastHelper = helper != null && (helper.getClass().getSimpleName().startsWith("MKLDNN")
                    || helper instanceof ChannelsLastBatchNorm);
            boolean slowRelu = layer.getClass() == ActivationLayer.class && NetworkFactory.javaRelu()
                    && JavaReluLayer.isPlainRelu((ActivationLayer) layer);
            if (needsHelper && !fastHelper || slowRelu) {
                slow.add(layer.getIndex() + ":" + layer.getClass().getSimpleName());
            }
        }
        return slow;
    }

    /** What {@link #slowLayers} found fast, in words, for {@code bench} and {@code doctor}. */
    public static String fastLayersDescription() {
        return (oneDnnBuild() ? "oneDNN on every conv/pool layer, "
                : "DL4J's own conv/pool code (this platform's ND4J has no oneDNN build), ")
                + (NetworkFactory.javaBatchNorm() ? "our Java BatchNorm" : "oneDNN")
                + " on every BatchNorm, " + (NetworkFactory.javaRelu() ? "our Java ReLU" : "DL4J's ReLU")
                + " on every ReLU";
    }

    private static LayerHelper helperOf(Layer layer) {
        if (layer instanceof ConvolutionLayer conv) {
            return conv.getHelper();
        }
        if (layer instanceof BatchNormalization bn) {
            return bn.getHelper();
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pool.getHelper();
        }
        return null;
    }
}
