package dev.mnistdrill.cli;

import dev.mnistdrill.data.DigitPreprocessor;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.train.RunStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "predict", description = {"Classify digit images with a stored run's model.",
    "One image: what the model sees and every class's probability. Several images or a folder: one line per image "
        + "(file, prediction, confidence), from one start of the program; a blank or unreadable file is reported on "
        + "its line and the rest go on (exit 2 if any failed)."})
public final class PredictCommand implements Callable<Integer> {
    private static final java.util.Set<String> IMAGE_TYPES = java.util.Set.of("png", "jpg", "jpeg", "gif", "bmp");

    @Option(names = "--model", required = true, description = "Run id, run folder or model.zip.")
    String model;

    @Option(names = "--csv", description = "One CSV row per image: file,prediction,confidence,error.")
    boolean csv;

    @Mixin
    RunsOption runs;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files (PNG, JPEG, GIF, BMP: a digit, any "
            + "colours, any size) or folders of them.")
    List<Path> images;

    /** One image's outcome: its probabilities and what the model saw, or why there are none. */
    private record Result(Path file, double[] probabilities, float[] seen, String error) {
        int best() {
            int best = 0;
            for (int i = 1; i < 10; i++) {
                best = probabilities[i] > probabilities[best] ? i : best;
            }
            return best;
        }
    }

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : images) {
            if (Files.isDirectory(p)) {
                try (var listing = Files.list(p)) {
                    listing.filter(f -> Files.isRegularFile(f) && IMAGE_TYPES.contains(extension(f)))
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        boolean detailed = !csv && images.size() == 1 && !Files.isDirectory(images.get(0));
        if (detailed && !Files.isRegularFile(images.get(0))) {
            throw new IllegalArgumentException("no image file " + images.get(0));
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images (PNG, JPEG, GIF or BMP) in " + images);
        }
        Predictor predictor = new Predictor(RunStore.loadModel(runs.store().resolveModel(model)), 0);
        if (detailed) {
            Result r = classify(predictor, files.get(0));
            if (r.error() != null) {
                throw new IllegalArgumentException(r.error());
            }
            printDetailed(r);
            return 0;
        }
        if (csv) {
            System.out.println("file,prediction,confidence,error");
        }
        int failed = 0;
        for (Path f : files) {
            Result r = classify(predictor, f);
            failed += r.error() != null ? 1 : 0;
            if (csv) {
                System.out.println(r.error() != null ? quoted(f.toString()) + ",,," + quoted(r.error())
                        : String.format(Locale.ROOT, "%s,%d,%.4f,", quoted(f.toString()), r.best(),
                        r.probabilities()[r.best()]));
            } else {
                System.out.println(r.error() != null ? f + "  -  " + r.error()
                        : String.format(Locale.ROOT, "%s  %d  %.1f%%", f, r.best(), 100 * r.probabilities()[r.best()]));
            }
        }
        if (failed > 0) {
            System.err.printf(Locale.ROOT, "%d of %d images could not be classified%n", failed, files.size());
            return Cli.BAD_INPUT;
        }
        return 0;
    }

    private static Result classify(Predictor predictor, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return new Result(file, null, null, "no image file " + file);
            }
            BufferedImage picture = ImageIO.read(file.toFile());
            if (picture == null) {
                return new Result(file, null, null, file + " is not an image Java can read (use PNG, JPEG, GIF or BMP)");
            }
            var mnist = DigitPreprocessor.toMnist(DigitPreprocessor.inkOf(picture), picture.getWidth());
            if (mnist.isEmpty()) {
                return new Result(file, null, null, file + " is blank: there is no digit to classify");
            }
            return new Result(file, predictor.probabilities(mnist.get()), mnist.get(), null);
        } catch (IOException | RuntimeException e) {
            return new Result(file, null, null, "cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    private static void printDetailed(Result r) {
        float[] mnist = r.seen();
        double[] p = r.probabilities();
        System.out.println("What the model sees (28x28, MNIST-style):");
        for (int y = 0; y < 28; y++) {
            StringBuilder row = new StringBuilder();
            for (int x = 0; x < 28; x++) {
                float v = mnist[y * 28 + x];
                row.append(v > 0.66 ? '#' : v > 0.33 ? '+' : v > 0.05 ? '.' : ' ');
            }
            System.out.println("  |" + row + "|");
        }
        System.out.printf(Locale.ROOT, "%nprediction: %d (%.1f%%)%n", r.best(), 100 * p[r.best()]);
        for (int i = 0; i < 10; i++) {
            System.out.printf(Locale.ROOT, "  %d  %6.2f%%  %s%n", i, 100 * p[i], "#".repeat((int) Math.round(40 * p[i])));
        }
    }

    private static String extension(Path f) {
        String name = f.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String quoted(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
