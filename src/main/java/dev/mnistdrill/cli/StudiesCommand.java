package dev.mnistdrill.cli;

import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyVerdict;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "studies", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "List stored studies with their progress and verdicts, or show one study's verdict.")
public final class StudiesCommand implements Callable<Integer> {
    @Mixin
    RunsOption runsOption;

    @Option(names = "--show", paramLabel = "STUDY_ID", description = "Print this study's verdict table.")
    String show;

    @Option(names = "--csv", description = "With --show: the verdict as CSV (a row per setting).")
    boolean csv;

    @Option(names = "--bands", description = "With --show: per setting and epoch, test accuracy across seeds "
            + "(min, mean, max, standard deviation) as CSV.")
    boolean bands;

    @Option(names = "--markdown", description = "With --show: the verdict as a Markdown section (Target, Results, "
            + "Analysis per setting).")
    boolean markdown;

    @Override
    public Integer call() {
        StudyCommand.RunStoreAndStudies stores = new StudyCommand.RunStoreAndStudies(runsOption);
        StudyStore studies = stores.studies;
        if (show != null) {
            StudyStore.Manifest study = studies.read(show);
            StudyVerdict verdict = StudyVerdict.of(study.spec(),
                    studies.memberRuns(study.spec(), p -> System.err.println("skipped " + p)));
            System.out.print(csv ? verdict.toCsv() : bands ? verdict.bandsCsv() : markdown ? verdict.toMarkdown()
                    : verdict.toTable() + "\nstatus: " + study.status().name().toLowerCase(Locale.ROOT) + "\n");
            return 0;
        }
        if (csv || bands || markdown) {
            throw new IllegalArgumentException("--csv, --bands and --markdown go with --show STUDY_ID");
        }
        List<StudyStore.Manifest> list = studies.list(p -> System.err.println("skipped " + p));
        if (list.isEmpty()) {
            System.out.println("No studies in " + studies.root() + " yet. Start one with: study --preset code4 "
                    + "--seeds 1-5");
            return 0;
        }
        System.out.printf(Locale.ROOT, "%-24s %-12s %-19s %9s %8s  %s%n", "study", "status", "created", "runs",
                "settings", "best setting (held k/N, worst last-K)");
        for (StudyStore.Manifest m : list) {
            StudyVerdict v = StudyVerdict.of(m.spec(), studies.memberRuns(m.spec(), p -> { }));
            // 0/5 before any run ends would read as a verdict
            String best = v.runsComplete() == 0 ? "- (no run complete yet)" : v.settings().stream()
                    .max(Comparator.comparingInt(StudyVerdict.SettingVerdict::held)
                            .thenComparingDouble(s -> Double.isNaN(s.worstLastK()) ? -1 : s.worstLastK()))
                    .map(s -> s.heldRatio() + "  " + (Double.isNaN(s.worstLastK()) ? "-"
                            : String.format(Locale.ROOT, "%.2f%%", 100 * s.worstLastK())) + "  " + s.label())
                    .orElse("-");
            System.out.printf(Locale.ROOT, "%-24s %-12s %-19s %4d/%-4d %8d  %s%n", m.id(),
                    m.status().name().toLowerCase(Locale.ROOT), m.created().length() > 19 ? m.created().substring(0, 19)
                            : m.created(), v.runsComplete(), v.runsPlanned(), v.settings().size(), best);
        }
        System.out.println("\n(studies folder: " + studies.root() + "; details: studies --show STUDY_ID)");
        return 0;
    }
}
