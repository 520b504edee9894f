package dev.mnistdrill.ui.util;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.train.DrillReport;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The drill write-up for a set of runs, shaped like the drill's README: an overview table, then one section per
 * step (code1, code2, ... in drill order) with its settings, Target, Results and Analysis.
 */
public final class MarkdownReport {
    private MarkdownReport() {
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
        List<RunRecord> sorted = inDrillOrder(runs);
        StringBuilder md = new StringBuilder();
        md.append("# MNIST Drill: 99.4% with fewer than 10,000 parameters\n\n");
        md.append("Goal: at least 99.4% test accuracy, consistently in the last epochs, within 15 epochs and with "
                + "fewer than 10,000 parameters.\n\n");
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
        return md.toString();
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
