package dev.mnistdrill.spark;

/**
 * Whether Apache Spark is on the class path, and which. Uses reflection only, so that it answers (with a clear
 * message) where Spark is absent: the desktop app ships without it, and a cluster provides it.
 */
public final class SparkSupport {
    /** The Spark line this program is built against (Scala 2.12). */
    public static final String BUILT_FOR = "3.5";

    private SparkSupport() {
    }

    /** @throws IllegalArgumentException saying what to do when Spark is missing, or not 3.5 for Scala 2.12 */
    public static void requireSpark() {
        String version;
        try {
            version = version();
        } catch (LinkageError | IllegalStateException e) {
            throw new IllegalArgumentException("--spark needs Apache Spark " + BUILT_FOR + ".x (Scala 2.12), which "
                    + "is not on the class path: set SPARK_HOME to a Spark " + BUILT_FOR + " installation (./drill "
                    + "then adds its jars), or start the study with spark-submit (see README)");
        }
        if (!version.startsWith(BUILT_FOR + ".")) {
            throw new IllegalArgumentException("--spark needs Apache Spark " + BUILT_FOR + ".x; the class path has "
                    + version);
        }
        String scala = scalaVersion();
        if (!scala.startsWith("2.12.")) {
            throw new IllegalArgumentException("--spark needs Spark built for Scala 2.12; the class path has Scala "
                    + scala);
        }
    }

    /** The version of the Spark on the class path (its package object's SPARK_VERSION). */
    public static String version() {
        return (String) constant("org.apache.spark.package$", "SPARK_VERSION");
    }

    static String scalaVersion() {
        return (String) constant("scala.util.Properties$", "versionNumberString");
    }

    private static Object constant(String module, String accessor) {
        try {
            Class<?> type = Class.forName(module);
            Object instance = type.getField("MODULE$").get(null);
            return type.getMethod(accessor).invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(module + " is not on the class path", e);
        }
    }
}
