package dev.mnistdrill.ui.util;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.train.DrillReport;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import dev.mnistdrill.train.StudyVerdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import dev.mnistdrill.train.LayerStat;

/**
 * The drill write-up for a set of runs, shaped like the drill's README: an overview table, then one section per
 * step (code1, code2, ... in drill order) with its settings, Target, Results and Analysis; then a section per study
 * (its verdict over seeds, and its band chart).
 */
public final class MarkdownReport {
    private MarkdownReport() {
    }

    /**
     * A study in the report: its verdict and the file name of its band chart image beside the report.
     *
     * @param chartFile null when no image was written
     * @param chartNote a sentence under the chart (e.g. which study it is compared with), or null
     */
    public record StudySection(StudyVerdict verdict, String chartFile, String chartNote) {
    }

    /** Drill steps first in their order, then other runs by id. */
    public static List<RunRecord> inDrillOrder(List<RunRecord> runs) {
        List<String> order = Presets.names();
        List<RunRecord> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.<RunRecord>comparingInt(r -> {
            int i = order.indexOf(r.config().name());
            return i < 0 ? order.size() : i;
        }).thenComparing(RunRecord::id));
        return sorted;
    }

    /**
     * Images exported beside the report, by run id: its accuracy/loss/LR charts, its layer statistics and its
     * filters (each map may lack a run).
     */
    public record Images(Map<String, String> charts, Map<String, String> layers, Map<String, String> filters) {
        public static Images charts(Map<String, String> charts) {
            return new Images(charts, Map.of(), Map.of());
        }
    }

    /**
     * @param chartFiles file names of exported chart images, linked under each section by run id (may be empty)
     */
    public static String of(List<RunRecord> runs, Map<String, String> chartFiles) {
        return of(runs, Images.charts(chartFiles), Map.of(), List.of());
    }

    /** The report of {@code runs} with their charts, followed by a section per study. */
    public static String of(List<RunRecord> runs, Map<String, String> chartFiles, List<StudySection> studies) {
        return of(runs, Images.charts(chartFiles), Map.of(), studies);
    }

    /**
     * @param images     images linked under each run's section
     * @param layerStats each run's layer statistics (a run without them gets no table)
     */
    public static String of(List<RunRecord> runs, Images images, Map<String, List<LayerStat>> layerStats) {
        return of(runs, images, layerStats, List.of());
    }

    /**
     * The report of {@code runs} (none for a report of studies only) followed by a section per study: the study's
     * own verdict text ({@link StudyVerdict#toMarkdown()}), with its band chart after the verdict table.
     */
    public static String of(List<RunRecord> runs, Images images, Map<String, List<LayerStat>> layerStats,
                            List<StudySection> studies) {
        List<RunRecord> sorted = inDrillOrder(runs);
        StringBuilder md = new StringBuilder();
        md.append("# MNIST Drill: 99.4% with fewer than 10,000 parameters\n\n");
        md.append("Goal: at least 99.4% test accuracy, consistently in the last epochs, within 15 epochs and with "
                + "fewer than 10,000 parameters.\n\n");
        if (!sorted.isEmpty()) {
            runsSection(sorted, images, layerStats, md);
        }
        for (int i = 0; i < studies.size(); i++) {
            md.append(sorted.isEmpty() && i == 0 ? "" : "\n").append(studySection(studies.get(i)));
        }
        return md.toString();
    }

    /**
     * A study's verdict with its band chart inserted after the verdict table, before the settings' sections (or at
     * the end of a verdict without them).
     */
    static String studySection(StudySection study) {
        String text = study.verdict().toMarkdown();
        if (study.chartFile() == null) {
            return text;
        }
        String image = "![" + study.verdict().studyId() + ": test accuracy across seeds, lowest to highest seed "
                + "shaded, mean as a line](" + study.chartFile() + ")\n\n"
                + (study.chartNote() == null ? "" : study.chartNote() + "\n\n");
        int settings = text.indexOf("\n### ");
        return settings < 0 ? text + "\n" + image : text.substring(0, settings + 1) + image
                + text.substring(settings + 1);
    }

    private static void runsSection(List<RunRecord> sorted, Images images, Map<String, List<LayerStat>> layerStats,
                                    StringBuilder md) {
        Map<String, String> chartFiles = images.charts();
        md.append("| Step | Run | Params | Best train | Best test | First epoch >= 99.4% | Held (last ")
                .append(DrillCriterion.DEFAULT_LAST).append(") | Epochs | Time |\n");
        md.append("|---|---|---:|---:|---:|---:|:---:|---:|---:|\n");
        for (RunRecord r : sorted) {
            RunSummary s = r.summary();
            md.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.2f%% | %.2f%% | %s | %s | %d/%d | %s |%n",
                    r.config().name(), r.id(), s.trainableParams(), 100 * s.bestTrainAccuracy(),
                    100 * s.bestTestAccuracy(), s.firstEpochAtTarget() == null ? "-" : s.firstEpochAtTarget(),
                    s.targetHeld() ? "yes" : "no", s.epochsCompleted(), s.epochsPlanned(),
                    Formats.duration(s.seconds())));
        }
        for (RunRecord r : sorted) {
            // two runs of one step each get a section of their own, told apart by their ids
            boolean repeated = sorted.stream().filter(o -> o.config().name().equals(r.config().name())).count() > 1;
            md.append("\n## ").append(r.config().name()).append(repeated ? " (" + r.id() + ")" : "").append("\n\n");
            md.append("Run `").append(r.id()).append("`: architecture `").append(r.config().architecture())
                    .append("`, ").append(Formats.settings(r.config())).append(", ")
                    .append(r.config().epochs()).append(" epochs, seed ").append(r.config().seed()).append(".\n\n");
            List<String> changes = Presets.changes(r.config());
            if (!changes.isEmpty()) {
                md.append("Changed from the ").append(r.config().name()).append(" preset: ")
                        .append(String.join(", ", changes)).append(".\n\n");
            }
            md.append("### Target\n\n").append(target(r)).append("\n\n");
            md.append("### Results\n\n").append(DrillReport.results(r.summary())).append("\n\n");
            String chart = chartFiles.get(r.id());
            if (chart != null) {
                md.append("![").append(r.config().name()).append(" accuracy](").append(chart).append(")\n\n");
            }
            inside(md, r, layerStats.getOrDefault(r.id(), List.of()), images.layers().get(r.id()),
                    images.filters().get(r.id()));
            md.append("### Analysis\n\n").append(analysis(r)).append("\n");
        }
    }

    /** The run's layer statistics as a table and its layer and filter images, when it has any of them. */
    private static void inside(StringBuilder md, RunRecord r, List<LayerStat> stats, String layersImage,
                               String filtersImage) {
        if (stats.isEmpty() && layersImage == null && filtersImage == null) {
            return;
        }
        md.append("### Inside the network\n\n");
        if (!stats.isEmpty()) {
            int first = stats.stream().mapToInt(LayerStat::epoch).min().orElseThrow();
            int last = stats.stream().mapToInt(LayerStat::epoch).max().orElseThrow();
            md.append("Each convolution's outputs before its ReLU on 256 fixed test digits, epoch ").append(first)
                    .append(" to ").append(last).append(", and the size of its weight updates next to its weights "
                    + "(log10 per step; around -3 is usual):\n\n");
            md.append("| Layer | Mean | Std | Update : weight (log10) |\n|---|---:|---:|---:|\n");
            for (LayerStat end : stats.stream().filter(s -> s.epoch() == last).toList()) {
                LayerStat start = stats.stream().filter(s -> s.epoch() == first && s.block() == end.block())
                        .findFirst().orElse(end);
                md.append(String.format(Locale.ROOT, "| conv %d · %s | %s | %s | %s |%n", end.block(), end.layer(),
                        range(start.preActivationMean(), end.preActivationMean()),
                        range(start.preActivationStd(), end.preActivationStd()),
                        range(start.updateRatioLog10(), end.updateRatioLog10())));
            }
            md.append('\n');
        }
        if (layersImage != null) {
            md.append("![").append(r.config().name()).append(" layer statistics](").append(layersImage)
                    .append(")\n\n");
        }
        if (filtersImage != null) {
            md.append("![").append(r.config().name()).append(" filters](").append(filtersImage).append(")\n\n");
        }
    }

    /** "0.12 → 0.53", or one number when both are the same epoch's. */
    private static String range(double from, double to) {
        String a = String.format(Locale.ROOT, "%.3g", from);
        String b = String.format(Locale.ROOT, "%.3g", to);
        return a.equals(b) ? b : a + " → " + b;
    }

    public static String target(RunRecord r) {
        String own = r.notes().target();
        if (own != null && !own.isBlank()) {
            return own.strip();
        }
        String preset = Presets.target(r.config().name());
        return preset.isEmpty() ? "(custom experiment)" : preset;
    }

    public static String analysis(RunRecord r) {
        String own = r.notes().analysis();
        if (own != null && !own.isBlank()) {
            return own.strip();
        }
        return DrillReport.analysis(r.config(), r.summary(), r.epochs());
    }
}
