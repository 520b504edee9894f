package dev.mnistdrill.tools;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyVerdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * README's results table, made from the studies committed under docs/results/studies: for each preset, the study of
 * exactly its settings on seeds 1-5 (whatever the study was named), judged by the drill criterion from the committed
 * metrics. A dev tool, not part of the app: {@code tools/results/results-table.sh} rewrites README's table with it and
 * {@code ResultsTableTest} fails when README and the committed logs disagree.
 */
public final class ResultsTable {
    public static final String BEGIN = "<!-- results-table:begin -->";
    public static final String END = "<!-- results-table:end -->";
    static final List<Long> SEEDS = List.of(1L, 2L, 3L, 4L, 5L);

    private ResultsTable() {
    }

    /** A preset's study, found by its settings. */
    record PresetStudy(String preset, StudyStore.Manifest study, StudyVerdict verdict) {
    }

    /** The committed 5-seed study of each preset that has one, in preset order. */
    static List<PresetStudy> find(Path studiesDir) throws IOException {
        List<StudyStore.Manifest> studies = new ArrayList<>();
        if (Files.isDirectory(studiesDir)) {
            try (var folders = Files.list(studiesDir)) {
                for (Path f : folders.filter(Files::isDirectory).sorted().toList()) {
                    studies.add(StudyStore.read(f));
                }
            }
        }
        List<PresetStudy> found = new ArrayList<>();
        for (String preset : Presets.names()) {
            ExperimentConfig wanted = comparable(Presets.get(preset));
            List<StudyStore.Manifest> matches = studies.stream()
                    .filter(m -> m.spec().grid().isEmpty() && m.spec().seeds().equals(SEEDS)
                            && m.spec().criterion().sameAs(DrillCriterion.STANDARD)
                            && comparable(m.spec().base()).equals(wanted))
                    .sorted(Comparator.comparing(StudyStore.Manifest::created).reversed()).toList();
            for (StudyStore.Manifest m : matches.stream().limit(1).toList()) {
                List<RunRecord> runs = new ArrayList<>();
                for (StudySpec.Member member : m.spec().members()) {
                    Path run = m.folder().resolve("runs").resolve(m.spec().runId(member));
                    if (Files.isDirectory(run)) {
                        runs.add(RunStore.read(run));
                    }
                }
                StudyVerdict verdict = StudyVerdict.of(m.spec(), runs);
                if (verdict.runsComplete() == verdict.runsPlanned()) { // a study still going says nothing final
                    found.add(new PresetStudy(preset, m, verdict));
                }
            }
        }
        return found;
    }

    /** Settings only: a study named otherwise, or a config of another seed, is the same experiment. */
    private static ExperimentConfig comparable(ExperimentConfig c) {
        return c.withName("").withSeed(0);
    }

    /** The Markdown table. */
    static String table(List<PresetStudy> studies) {
        StringBuilder t = new StringBuilder();
        t.append("| preset | trainable params | held (last 3) | held (last 5) | worst of the last 3 "
                + "| worst of the last 5 | mean of the last 3 | median first epoch >= 99.4% | study |\n");
        t.append("|---|---:|:---:|:---:|---:|---:|---:|---:|---|\n");
        for (PresetStudy p : studies) {
            StudyVerdict.SettingVerdict s = p.verdict().settings().get(0);
            t.append(String.format(Locale.ROOT, "| `%s` | %,d | **%d/%d** | %d/%d | %.2f%% | %.2f%% | %.2f%% | %s | "
                            + "[%s](docs/results/studies/%s/verdict.md) |%n", p.preset(), s.trainableParams(), s.held(),
                    s.seedsPlanned(), s.heldStrict(), s.seedsPlanned(), 100 * s.worstLastK(),
                    100 * worstOfLast(s, DrillCriterion.STRICT_LAST), 100 * s.meanLastK(),
                    s.medianFirstEpoch() == null ? "never" : String.format(Locale.ROOT, "%.0f",
                            s.medianFirstEpoch()), p.study().id(), p.study().id()));
        }
        return t.toString();
    }

    /** The lowest test accuracy of any seed in the last {@code epochs} epochs (best's stretch reads it at 5). */
    static double worstOfLast(StudyVerdict.SettingVerdict s, int epochs) {
        return s.bands().stream().filter(b -> b.epoch() > s.epochsPlanned() - epochs)
                .mapToDouble(StudyVerdict.EpochBand::min).min().orElse(Double.NaN);
    }

    /** README with its table replaced by {@code table}. */
    static String withTable(String readme, String table) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException("README has no " + BEGIN + " ... " + END + " markers");
        }
        return readme.substring(0, begin + BEGIN.length()) + "\n" + table + readme.substring(end);
    }

    /** Rewrites README.md's table in the given repository root (default: the working directory). */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Path readme = root.resolve("README.md");
        String table = table(find(root.resolve("docs/results/studies")));
        Files.writeString(readme, withTable(Files.readString(readme, StandardCharsets.UTF_8), table),
                StandardCharsets.UTF_8);
        System.out.print(table);
    }
}
