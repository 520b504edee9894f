package dev.mnistdrill.cli;

import dev.mnistdrill.data.AppDirs;
import dev.mnistdrill.engine.Engine;
import dev.mnistdrill.engine.NetworkFactory;
import dev.mnistdrill.model.Presets;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;

@Command(name = "doctor", description = "Check the engine: native build, fast layers (oneDNN, Java BatchNorm and ReLU), folders.")
public final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        List<String> missing = Engine.slowLayers(NetworkFactory.build(Presets.get("code4")));
        System.out.println("native build:    " + Engine.nativeBuild());
        System.out.println("ND4J backend:    " + Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend")
                + ", " + Nd4j.getEnvironment().maxThreads() + " threads");
        System.out.println("fast layers:     " + (missing.isEmpty() ? "OK (" + Engine.fastLayersDescription() + ")"
                : "MISSING on " + missing));
        System.out.println("runs folder:     " + AppDirs.runs());
        System.out.println("MNIST cache:     " + AppDirs.dataCache());
        return missing.isEmpty() ? 0 : 1;
    }
}
