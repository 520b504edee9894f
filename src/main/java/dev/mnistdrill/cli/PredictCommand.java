package dev.mnistdrill.cli;

import dev.mnistdrill.data.DigitPreprocessor;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.train.RunStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", description = "Classify a digit image with a stored run's model.")
public final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Run id, run folder or model.zip.")
    String model;

    @Mixin
    RunsOption runs;

    @Parameters(index = "0", description = "Image file (PNG, JPEG, ...): a digit, any colours, any size.")
    Path image;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new IllegalArgumentException("no image file " + image);
        }
        BufferedImage picture = ImageIO.read(image.toFile());
        if (picture == null) {
            throw new IllegalArgumentException(image + " is not an image Java can read (use PNG, JPEG, GIF or BMP)");
        }
        float[] mnist = DigitPreprocessor.toMnist(DigitPreprocessor.inkOf(picture), picture.getWidth())
                .orElseThrow(() -> new IllegalArgumentException(image + " is blank: there is no digit to classify"));
        RunStore store = runs.store();
        Path modelFile = store.resolveModel(model);
        Predictor predictor = new Predictor(RunStore.loadModel(modelFile), 0);
        double[] p = predictor.probabilities(mnist);
        int best = 0;
        for (int i = 1; i < 10; i++) {
            best = p[i] > p[best] ? i : best;
        }
        System.out.println("What the model sees (28x28, MNIST-style):");
        for (int y = 0; y < 28; y++) {
            StringBuilder row = new StringBuilder();
            for (int x = 0; x < 28; x++) {
                float v = mnist[y * 28 + x];
                row.append(v > 0.66 ? '#' : v > 0.33 ? '+' : v > 0.05 ? '.' : ' ');
            }
            System.out.println("  |" + row + "|");
        }
        System.out.printf(Locale.ROOT, "%nprediction: %d (%.1f%%)%n", best, 100 * p[best]);
        for (int i = 0; i < 10; i++) {
            System.out.printf(Locale.ROOT, "  %d  %6.2f%%  %s%n", i, 100 * p[i], "#".repeat((int) Math.round(40 * p[i])));
        }
        return 0;
    }
}
