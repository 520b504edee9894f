package dev.mnistdrill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.data.TestImages;
import dev.mnistdrill.model.Knob;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void badArgumentsExitNonZeroWithAMessage() {
        CliRun unknown = run("train", "--no-such-flag");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unknown option"), unknown.err());
        CliRun invalid = run("train", "--dropout", "0.8", "--epochs", "99");
        assertEquals(2, invalid.exit());
        assertTrue(invalid.err().contains("Dropout rate must be between 0 and 0.5"), invalid.err());
        assertTrue(invalid.err().contains("Epochs must be 1 to 50"), invalid.err());
        CliRun preset = run("summary", "--preset", "code9");
        assertEquals(2, preset.exit());
        assertTrue(preset.err().contains("unknown preset 'code9'"), preset.err());
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        for (String command : List.of("train", "study", "studies", "bench", "summary", "predict", "runs", "doctor")) {
            CliRun help = run(command, "--help");
            assertEquals(0, help.exit(), command + ": " + help.err());
            assertTrue(help.out().startsWith("Usage: mnist-drill " + command), command + ": " + help.out());
            assertEquals("", help.err(), command + " --help warns"); // e.g. picocli on a lone % in a description
            CliRun shortHelp = run(command, "-h");
            assertEquals(0, shortHelp.exit(), command + " -h");
            CliRun version = run(command, "--version");
            assertEquals(0, version.exit(), command + " --version");
            assertTrue(version.out().startsWith("MNIST Drill "), version.out());
        }
        // the knobs' help on the command line is their descriptors' (the form's tooltips say the same)
        String help = run("train", "--help").out().replaceAll("\\s+", " ");
        for (dev.mnistdrill.model.Knob k : dev.mnistdrill.model.Knob.values()) {
            String firstWords = String.join(" ", java.util.Arrays.copyOf(k.help().split(" "), 4));
            assertTrue(help.matches(".*--(\\[no-\\])?" + k.cliName() + "\\b.*") && help.contains(firstWords), k + ": " + help);
        }
        assertTrue(help.contains("Allowed: 0 to 0.5."), "dropout's bounds: " + help);
        assertTrue(help.contains("Allowed: 0 (off) or 0.9 to 0.9999."), "averaging's bounds: " + help);
    }

    @Test
    void theKnobOptionsAreTheKnobsDescriptors() {
        for (String command : List.of("train", "study", "bench", "summary")) {
            String help = run(command, "--help").out().replaceAll("\\s+", " ");
            for (Knob k : Knob.values()) {
                assertTrue(help.contains("--" + k.cliName() + "=") || help.contains("--[no-]" + k.cliName()),
                        command + " has no --" + k.cliName());
                // the knob's help, as the form's tooltip shows it (its first words: picocli wraps the rest)
                String start = String.join(" ", List.of(k.help().split("\\s+")).subList(0, 4));
                assertTrue(help.contains(start), command + " --" + k.cliName() + " lacks '" + start + "'");
            }
        }
        for (Knob k : Knob.values()) {
            if (k.range() == null) {
                continue;
            }
            // just past each bound: the same sentence the form shows (Knob.Range.problem)
            double outside = k.range().max() + Math.max(1, k.range().max());
            CliRun r = run("summary", "--" + k.cliName(), k.kind() == Knob.Kind.WHOLE
                    ? String.valueOf((long) outside) : String.valueOf(outside));
            assertEquals(2, r.exit(), k + ": " + r.err());
            assertTrue(r.err().contains(k.range().problem()), k + ": " + r.err());
        }
        CliRun set = run("summary", "--preset", "code4", "--no-bn", "--dropout", "0.1", "--arch", "c8 c12 p t8 c12 gap");
        assertEquals(0, set.exit(), set.err());
        assertTrue(set.out().contains("BatchNorm running mean/var:       0"), set.out());
    }

    @Test
    void missingDataFolderIsADataProblem(@TempDir Path dir) {
        CliRun o = run("train", "--data", dir.resolve("nope").toString(), "--runs", dir.toString());
        assertEquals(3, o.exit());
        assertTrue(o.err().contains("does not exist"), o.err());
    }

    @Test
    void summaryPrintsTheLayerTable() {
        TestData.mnist();
        CliRun o = run("summary", "--preset", "code4");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("Trainable params (PyTorch count): 7,552"), o.out());
        assertTrue(o.out().contains("DL4J numParams(): 7,720 (matches"), o.out());
        assertTrue(o.out().matches("(?s).*Output shape +RF +jump.*"), o.out());
        assertTrue(o.out().matches("(?s).*Conv2d 3x3 \\+ ReLU +\\[16, 4, 4\\] +22 +2 .*"), "the last 3x3 layer: " + o.out());
    }

    @Test
    void trainThenListThenPredict(@TempDir Path dir) throws Exception {
        TestData.mnist();
        Path runs = dir.resolve("runs");
        CliRun train = run("train", "--preset", "code2", "--subset", "2000", "--epochs", "1", "--runs",
                runs.toString(), "--name", "cli-test");
        assertEquals(0, train.exit(), train.err());
        assertTrue(train.out().contains("### Results"), train.out());
        assertTrue(train.out().contains("COMPLETED"), train.out());
        CliRun list = run("runs", "--runs", runs.toString());
        assertTrue(list.out().contains("cli-test"), list.out());

        // a dark "1" on white paper, like a photo of a handwritten digit
        BufferedImage img = TestImages.darkBarOnPaper(60, 27, 8, 6, 44);
        Path png = dir.resolve("one.png");
        ImageIO.write(img, "png", png.toFile());
        String runId;
        try (var folders = Files.list(runs)) {
            runId = folders.findFirst().orElseThrow().getFileName().toString();
        }
        CliRun predict = run("predict", "--runs", runs.toString(), "--model", runId, png.toString());
        assertEquals(0, predict.exit(), predict.err());
        assertTrue(predict.out().contains("prediction: 1"), predict.out());

        Path blank = dir.resolve("blank.png");
        ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB), "png", blank.toFile());
        CliRun empty = run("predict", "--runs", runs.toString(), "--model", runId, blank.toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("is blank"), empty.err());
        // several images from one start: a line each, the blank and the unreadable ones reported on theirs
        Path folder = Files.createDirectories(dir.resolve("digits"));
        Files.copy(png, folder.resolve("a-one.png"));
        Files.copy(blank, folder.resolve("b-blank.png"));
        Files.writeString(folder.resolve("c-broken.png"), "not a picture");
        Files.writeString(folder.resolve("notes.txt"), "not an image type: left out");
        CliRun batch = run("predict", "--runs", runs.toString(), "--model", runId, folder.toString());
        assertEquals(2, batch.exit(), "some images failed: " + batch.err());
        List<String> lines = batch.out().lines().toList();
        assertEquals(3, lines.size(), batch.out());
        assertTrue(lines.get(0).matches(".*a-one\\.png  1  \\d+\\.\\d%"), lines.get(0));
        assertTrue(lines.get(1).contains("is blank"), lines.get(1));
        assertTrue(lines.get(2).contains("not an image Java can read"), lines.get(2));
        assertTrue(batch.err().contains("2 of 3 images could not be classified"), batch.err());
        CliRun csv = run("predict", "--runs", runs.toString(), "--model", runId, "--csv", png.toString(),
                png.toString());
        assertEquals(0, csv.exit(), csv.err());
        List<String> rows = csv.out().lines().toList();
        assertEquals("file,prediction,confidence,error", rows.get(0));
        assertEquals(3, rows.size(), csv.out());
        assertTrue(rows.get(1).matches(".*one\\.png,1,0\\.\\d{4},"), rows.get(1));

        // a run folder whose summary.json is broken is listed as unreadable, not left out
        Path brokenRun = Files.createDirectories(runs.resolve("20260101-000000-broken"));
        Files.writeString(brokenRun.resolve("config.json"), "{}");
        Files.writeString(brokenRun.resolve("summary.json"), "{ this is not json");
        CliRun listed = run("runs", "--runs", runs.toString());
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().contains("20260101-000000-broken") && listed.out().contains("UNREADABLE"),
                listed.out());
        assertTrue(listed.out().contains("cli-test"), listed.out());

        Supplier<CliRun> broken = () -> run("predict", "--model", png.toString(), png.toString());
        CliRun b = broken.get();
        assertEquals(2, b.exit());
        assertTrue(b.err().contains("is not a readable MNIST Drill model"), b.err());
    }
}
