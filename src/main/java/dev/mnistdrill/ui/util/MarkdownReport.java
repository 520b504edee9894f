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
     * @param chartFiles file names of exported chart images, linked under each section by run id (may be empty)
     */
    public static String of(List<RunRecord> runs, java.util.Map<String, String> chartFiles) {
        return of(runs, chartFiles, List.of());
    }

    /**
     * The report of {@code runs} (none for a report of studies only) followed by a section per study: the study's
     * own verdict text ({@link StudyVerdict#toMarkdown()}), with its band chart after the verdict table.
     */
    public static String of(List<RunRecord> runs, java.util.Map<String, String> chartFiles,
                            List<StudySection> studies) {
        List<RunRecord> sorted = inDrillOrder(runs);
        StringBuilder md = new StringBuilder();
        md.append("# MNIST Drill: 99.4% with fewer than 10,000 parameters\n\n");
        md.append("Goal: at least 99.4% test accuracy, consistently in the last epochs, within 15 epochs and with "
                + "fewer than 10,000 parameters.\n\n");
        if (!sorted.isEmpty()) {
            runsSection(sorted, chartFiles, md);
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

    private static void runsSection(List<RunRecord> sorted, java.util.Map<String, String> chartFiles,
                                    StringBuilder md) {
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
            md.append("### Analysis\n\n").append(analysis(r)).append("\n");
        }
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
