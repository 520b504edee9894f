package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2.1.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}
 * by reflection, but M2.1 ships that class as
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN}. The lookup fails silently and every
 * oneDNN layer helper stays unused (about 6x slower training). This class gives the old name to the new binding.
 * It is the one engine workaround outside {@code dev.mnistdrill.engine}: DL4J looks it up by this very name
 * ({@code EngineTest} checks that the oneDNN helpers attach where the build has them).
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** Mirrors the two members DL4J reflects on. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
