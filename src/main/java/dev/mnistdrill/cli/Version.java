package dev.mnistdrill.cli;

import picocli.CommandLine.IVersionProvider;

public final class Version implements IVersionProvider {
    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"MNIST Drill " + version(), "Java " + System.getProperty("java.version") + " ("
                + System.getProperty("java.vm.name") + ")", "DL4J/ND4J 1.0.0-M2.1, JavaFX 21"};
    }
}
