package dev.mnistdrill.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.data.DigitPreprocessor;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.RunNotes;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.LossDownsampler;
import dev.mnistdrill.ui.util.MarkdownReport;
import dev.mnistdrill.ui.util.StrokeRasterizer;
import dev.mnistdrill.ui.util.StrokeRasterizer.Point;
import dev.mnistdrill.ui.util.WindowPlacement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UtilTest {
    @Test
    void theAveragingHintSaysWhereTheWarmUpEnds() {
        var best = Presets.get("best");
        assertEquals("Warms up for longer than the run: its 7,035 steps end at a decay of 0.9987, not 0.999.",
                dev.mnistdrill.ui.view.ExperimentController.averaging(best));
        assertEquals("Warms up to 0.99 by step 890 (epoch 2) of 7,035.",
                dev.mnistdrill.ui.view.ExperimentController.averaging(best.withEma(0.99)));
        assertEquals("", dev.mnistdrill.ui.view.ExperimentController.averaging(best.withEma(0)), "off: no hint");
        assertEquals("", dev.mnistdrill.ui.view.ExperimentController.averaging(best.withEma(0.5)), "invalid: none");
    }

    @Test
    void lossIsDownsampledToAChartSizedSmoothedSeries() {
        double[] losses = new double[15 * 469];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = 2.3 * Math.exp(-i / 500.0) + ((i % 2 == 0) ? 0.2 : -0.2);
        }
        List<LossDownsampler.Point> points = LossDownsampler.of(losses, 469, 400, 0.3);
        assertTrue(points.size() <= 401 && points.size() >= 380, "points: " + points.size());
        assertEquals(15.0, points.get(points.size() - 1).epoch(), 1e-9);
        assertTrue(points.get(0).loss() > points.get(points.size() - 1).loss());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).epoch() > points.get(i - 1).epoch());
        }
        // a short run keeps every batch
        assertEquals(10, LossDownsampler.of(new double[10], 5, 400, 1).size());
    }

    @Test
    void strokesBecomeInkThatThePreprocessorCentres() {
        List<List<Point>> strokes = List.of(List.of(new Point(40, 40), new Point(100, 40), new Point(60, 120)));
        float[] ink = StrokeRasterizer.rasterize(strokes, 140, 140, 12);
        assertEquals(1f, ink[40 * 140 + 70], 1e-6, "on the stroke");
        assertEquals(0f, ink[130 * 140 + 130], 1e-6, "far from it");
        float[] mnist = DigitPreprocessor.toMnist(ink, 140).orElseThrow();
        double mass = 0;
        double mx = 0;
        for (int i = 0; i < mnist.length; i++) {
            mass += mnist[i];
            mx += mnist[i] * (i % 28);
        }
        assertEquals(13.5, mx / mass, 1.0, "centred by mass");
        assertTrue(DigitPreprocessor.toMnist(StrokeRasterizer.rasterize(List.of(), 140, 140, 12), 140).isEmpty());
    }

    @Test
    void theRasteriserGivesEveryPixelTheCoverageOfItsDistanceToTheStroke() {
        // The rasteriser skips the square root where the coverage is 0 or 1; every value must stay what the plain
        // formula (below, the code before that shortcut) gives, to the bit, for pens thick and thin.
        java.util.Random random = new java.util.Random(7);
        for (double pen : new double[] {22, 12, 5, 1, 0.6}) {
            for (int trial = 0; trial < 20; trial++) {
                List<List<Point>> strokes = new java.util.ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    List<Point> stroke = new java.util.ArrayList<>();
                    for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
                        stroke.add(new Point(random.nextDouble() * 120 - 10, random.nextDouble() * 90 - 10));
                    }
                    strokes.add(stroke);
                }
                float[] ink = StrokeRasterizer.rasterize(strokes, 100, 80, pen);
                float[] expected = plainInk(strokes, 100, 80, pen / 2);
                for (int i = 0; i < ink.length; i++) {
                    assertEquals(expected[i], ink[i], "pen " + pen + ", pixel " + i % 100 + "," + i / 100);
                }
            }
        }
    }

    /** Coverage r + 0.5 - distance, clamped to 0..1, the maximum over every segment: sqrt at every pixel. */
    private static float[] plainInk(List<List<Point>> strokes, int width, int height, double r) {
        float[] ink = new float[width * height];
        for (List<Point> stroke : strokes) {
            for (int k = 0; k < stroke.size(); k++) {
                Point a = stroke.get(Math.max(0, k - 1));
                Point b = stroke.get(k);
                if (k == 0 && stroke.size() > 1) {
                    continue;
                }
                double dx = b.x() - a.x();
                double dy = b.y() - a.y();
                double len2 = dx * dx + dy * dy;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        double px = x + 0.5;
                        double py = y + 0.5;
                        double t = len2 == 0 ? 0
                                : Math.max(0, Math.min(1, ((px - a.x()) * dx + (py - a.y()) * dy) / len2));
                        double cx = a.x() + t * dx - px;
                        double cy = a.y() + t * dy - py;
                        float coverage = (float) Math.max(0, Math.min(1, r + 0.5 - Math.sqrt(cx * cx + cy * cy)));
                        ink[y * width + x] = Math.max(ink[y * width + x], coverage);
                    }
                }
            }
        }
        return ink;
    }

    @Test
    void reportHasOneSectionPerStepInDrillOrder() {
        List<RunRecord> runs = new ArrayList<>();
        for (String preset : List.of("code4", "code1", "code2")) {
            var config = Presets.get(preset).withEpochs(2);
            var epochs = List.of(new EpochMetrics(1, 0.97, 0.1, 0.985, 0.05, 0.01, 10, 6000),
                    new EpochMetrics(2, 0.99, 0.05, 0.9945, 0.02, 0.01, 10, 6000));
            var summary = RunSummary.of("2025-" + preset, preset, TrainingStatus.COMPLETED, 6560, 6808, epochs, 2, 20,
                    "", null);
            runs.add(new RunRecord(Path.of("/tmp/2025-" + preset), config, epochs, summary,
                    preset.equals("code2") ? new RunNotes("my target", "my analysis") : RunNotes.EMPTY));
        }
        String md = MarkdownReport.of(runs, Map.of("2025-code1", "report-2025-code1.png"));
        int c1 = md.indexOf("## code1");
        int c2 = md.indexOf("## code2");
        int c4 = md.indexOf("## code4");
        assertTrue(c1 > 0 && c1 < c2 && c2 < c4, md);
        assertTrue(md.contains("my target") && md.contains("my analysis"));
        assertTrue(md.contains(Presets.target("code4")), "preset target when none was written");
        assertTrue(md.contains("![code1 accuracy](report-2025-code1.png)"));
        assertTrue(md.contains("| code1 | 2025-code1 | 6,560 | 99.00% | 99.45% | 2 | no | 2/2 | 0:20 |"), md);
        assertEquals(3, md.split("### Results").length - 1);
        assertTrue(md.contains("Changed from the code1 preset: epochs 2 (preset 15)."), md);

        // a second run of one step: a section each, told apart by run id
        RunRecord code2 = runs.get(2);
        runs.add(new RunRecord(Path.of("/tmp/2026-code2"), code2.config(), code2.epochs(), code2.summary(),
                RunNotes.EMPTY));
        String twice = MarkdownReport.of(runs, Map.of());
        assertTrue(twice.contains("## code2 (2025-code2)") && twice.contains("## code2 (2026-code2)"), twice);
        assertTrue(twice.contains("\n## code1\n"), "a step run once keeps its plain heading");
    }

    @Test
    void formats() {
        assertEquals("best · 29 Nov 22:45", Formats.runLabel("20261129-224528-best", "best"));
        assertEquals("my run · 3 Jan 09:05", Formats.runLabel("20270103-090559-my-run", "my run"));
        assertEquals("best · 29 Nov 22:45:28", Formats.runLabel("20261129-224528-best", "best", true));
        assertEquals("odd-folder", Formats.runLabel("odd-folder", "code4"));
        assertEquals("20261329-224528-x", Formats.runLabel("20261329-224528-x", "x")); // no month 13
        var code4 = dev.mnistdrill.model.Presets.get("code4");
        RunRecord member = new RunRecord(Path.of("/tmp/code4-48bc1fa8_base_seed3"), code4, List.of(), null,
                RunNotes.EMPTY, new dev.mnistdrill.train.StudyTag("code4-48bc1fa8", "base", 3));
        assertEquals("code4 · seed 3", Formats.runLabel(member, false), "a study member by its seed");
        assertEquals("code4-48bc1fa8_base_seed3", Formats.runLabel(member, true));
        RunRecord gridMember = new RunRecord(Path.of("/tmp/scr-ema-ba7e17d5_ema0.999_seed4"),
                code4.withName("scr-ema").withEma(0.999), List.of(), null, RunNotes.EMPTY,
                new dev.mnistdrill.train.StudyTag("scr-ema-ba7e17d5", "ema=0.999", 4));
        assertEquals("scr-ema ema=0.999 · seed 4", Formats.runLabel(gridMember, false), "and its setting");
        RunRecord single = new RunRecord(Path.of("/tmp/20261129-224528-best"), code4.withName("best"), List.of(),
                null, RunNotes.EMPTY);
        assertEquals("best · 29 Nov 22:45", Formats.runLabel(single, false));
        assertEquals(List.of("Conv 3x3", "BatchNorm", "MaxPool 2x2", "Conv 1x1", "GlobalAvgPool", "Linear"),
                Presets.get("code4").summary().rows().stream().map(r -> Formats.compactLayerName(r.name()))
                        .distinct().toList(), "the Parameters table's names, whole in its narrow column");
        assertEquals("1:15", Formats.duration(75));
        assertEquals("1:01:40", Formats.duration(3700));
        assertEquals("--:--", Formats.duration(Double.NaN));
        assertEquals("0.05", Formats.trim(0.05));
        assertEquals("5", Formats.trim(5.0));
        assertEquals("120", Formats.trim(120));
        assertEquals("0.0005", Formats.trim(0.0005));
        assertEquals("1.00000e-05", Formats.trim(0.00001));
        assertEquals("BN, drop 0.00, rot ±7°, shift ±1.0, sgd 0.2 ×0.1/5 ep, wd 0.0005, bs 128",
                Formats.settings(Presets.get("code4")));
        assertEquals("BN, drop 0.00, rot ±7°, shift ±1.0, sgd 0.2 ×0.1/5 ep, wd 0.0005, bs 128, EMA 0.999",
                Formats.settings(Presets.get("best")));
    }
    @Test
    void windowPlacementRoundTripsAndIsIgnoredWhenItFitsNoScreen(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = dir.resolve("sub").resolve("window.properties");
        assertTrue(WindowPlacement.read(file).isEmpty(), "no file yet");
        WindowPlacement placed = new WindowPlacement(100, 50, 1300, 800, false);
        placed.write(file);
        assertEquals(java.util.Optional.of(placed), WindowPlacement.read(file));

        var screen = List.of(new javafx.geometry.Rectangle2D(0, 0, 1920, 1080));
        assertTrue(placed.fits(screen, 1100, 700));
        assertTrue(!new WindowPlacement(3000, 50, 1300, 800, false).fits(screen, 1100, 700), "a screen unplugged");
        assertTrue(!new WindowPlacement(100, 50, 600, 400, false).fits(screen, 1100, 700), "below the minimum");

        try {
            java.nio.file.Files.writeString(file, "x=1\ny=oops\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertTrue(WindowPlacement.read(file).isEmpty(), "a broken file is ignored");
    }
}
