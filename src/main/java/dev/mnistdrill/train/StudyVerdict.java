package dev.mnistdrill.train;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.model.StudySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study judged: per setting, on how many seeds the criterion held (k of N), the spread of test accuracy across seeds
 * at every epoch, and the worst and mean of the last K epochs. Made from whatever member runs exist, so a study in
 * progress has a verdict so far.
 */
public record StudyVerdict(String studyId, String name, DrillCriterion criterion, List<SettingVerdict> settings) {

    /** Test accuracy across seeds at one epoch (fractions); {@code seeds} is how many runs reached that epoch. */
    public record EpochBand(int epoch, int seeds, double min, double mean, double max, double std) {
    }

    /** One seed's run as the verdict saw it. */
    public record SeedResult(long seed, String runId, TrainingStatus status, boolean complete, boolean held,
                             boolean heldStrict, List<Double> lastK, Integer firstEpochAtTarget, double seconds) {
    }

    /**
     * One setting over its seeds. {@code held} counts seeds meeting the study's criterion, {@code heldStrict} the same
     * target over the last {@link DrillCriterion#STRICT_LAST} epochs. The last-K figures are over complete runs only;
     * NaN while there are none.
     */
    public record SettingVerdict(String label, long trainableParams, int epochsPlanned, int seedsPlanned,
                                 int complete, int held, int heldStrict, double worstLastK, double meanLastK,
                                 Double medianFirstEpoch, double meanSeconds, List<EpochBand> bands,
                                 List<SeedResult> seeds) {
        /** "4/5" */
        public String heldRatio() {
            return held + "/" + seedsPlanned;
        }

        public boolean finished() {
            return complete == seedsPlanned;
        }

        /** Held on every seed planned. */
        public boolean heldOnAll() {
            return held == seedsPlanned;
        }
    }

    /** Judges {@code runs} (the study's members that exist) by the study's criterion. */
    public static StudyVerdict of(StudySpec spec, List<RunRecord> runs) {
        Map<String, RunRecord> byId = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            byId.put(r.id(), r);
        }
        DrillCriterion criterion = spec.criterion();
        DrillCriterion strict = criterion.withLastEpochs(DrillCriterion.STRICT_LAST);
        List<SettingVerdict> settings = new ArrayList<>();
        for (StudySpec.Setting setting : spec.settings()) {
            long params = setting.config().summary().trainable();
            int planned = setting.config().epochs();
            List<SeedResult> seeds = new ArrayList<>();
            List<List<Double>> curves = new ArrayList<>();
            for (long seed : spec.seeds()) {
                String runId = spec.runId(new StudySpec.Member(setting, seed, setting.config().withSeed(seed)));
                RunRecord r = byId.get(runId);
                if (r == null) {
                    continue;
                }
                List<Double> acc = r.epochs().stream().map(EpochMetrics::testAccuracy).toList();
                boolean complete = r.finishedAllEpochs();
                if (complete) {
                    curves.add(acc); // the bands are over complete runs: a stopped run would pull them down
                }
                seeds.add(new SeedResult(seed, runId, r.summary().status(), complete,
                        complete && criterion.held(acc, planned, params),
                        complete && strict.held(acc, planned, params), List.copyOf(criterion.lastWindow(acc)),
                        firstAtTarget(acc, criterion), r.summary().seconds()));
            }
            settings.add(judge(setting.label(), params, planned, spec.seeds().size(), seeds, curves, criterion));
        }
        return new StudyVerdict(spec.id(), spec.base().name(), criterion, settings);
    }

    private static SettingVerdict judge(String label, long params, int planned, int seedsPlanned,
                                        List<SeedResult> seeds, List<List<Double>> curves, DrillCriterion criterion) {
        int complete = 0;
        int held = 0;
        int heldStrict = 0;
        double worst = Double.NaN;
        double meanSum = 0;
        double seconds = 0;
        List<Double> firsts = new ArrayList<>();
        for (SeedResult s : seeds) {
            if (!s.complete()) {
                continue;
            }
            complete++;
            held += s.held() ? 1 : 0;
            heldStrict += s.heldStrict() ? 1 : 0;
            double min = s.lastK().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            worst = Double.isNaN(worst) ? min : Math.min(worst, min);
            meanSum += s.lastK().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            seconds += s.seconds();
            // a seed that never reached the target counts as later than any epoch
            firsts.add(s.firstEpochAtTarget() == null ? Double.POSITIVE_INFINITY : s.firstEpochAtTarget());
        }
        Collections.sort(firsts);
        Double median = null;
        if (!firsts.isEmpty()) {
            int n = firsts.size();
            double m = n % 2 == 1 ? firsts.get(n / 2) : (firsts.get(n / 2 - 1) + firsts.get(n / 2)) / 2;
            median = Double.isInfinite(m) ? null : m;
        }
        return new SettingVerdict(label, params, planned, seedsPlanned, complete, held, heldStrict, worst,
                complete == 0 ? Double.NaN : meanSum / complete, median, complete == 0 ? Double.NaN : seconds / complete,
                bands(curves), List.copyOf(seeds));
    }

    /** Per epoch, the spread over every curve that reached it. */
    static List<EpochBand> bands(List<List<Double>> curves) {
        int longest = curves.stream().mapToInt(List::size).max().orElse(0);
        List<EpochBand> bands = new ArrayList<>();
        for (int e = 0; e < longest; e++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int n = 0;
            for (List<Double> c : curves) {
                if (c.size() > e) {
                    double v = c.get(e);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                }
            }
            double mean = sum / n;
            double sq = 0;
            for (List<Double> c : curves) {
                if (c.size() > e) {
                    sq += (c.get(e) - mean) * (c.get(e) - mean);
                }
            }
            // the sample standard deviation (n - 1): a handful of seeds is a sample of all seeds
            bands.add(new EpochBand(e + 1, n, min, mean, max, n > 1 ? Math.sqrt(sq / (n - 1)) : 0));
        }
        return bands;
    }

    private static Integer firstAtTarget(List<Double> acc, DrillCriterion criterion) {
        for (int i = 0; i < acc.size(); i++) {
            if (criterion.reached(acc.get(i))) {
                return i + 1;
            }
        }
        return null;
    }

    public int runsComplete() {
        return settings.stream().mapToInt(SettingVerdict::complete).sum();
    }

    public int runsPlanned() {
        return settings.stream().mapToInt(SettingVerdict::seedsPlanned).sum();
    }

    // ---- rendering ---------------------------------------------------------------------------------------------

    private String lastK() {
        return "last-" + criterion.lastEpochs();
    }

    /** The verdict table, as printed at the end of a study and by {@code studies --show}. */
    public String toTable() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Study %s: %s, judged on %s%n", studyId, name, criterion.describe()));
        int width = Math.max(7, settings.stream().mapToInt(s -> s.label().length()).max().orElse(7));
        t.append(String.format(Locale.ROOT, "%-" + width + "s  %6s  %6s  %9s  %9s  %8s  %6s  %7s  %5s%n", "setting",
                "held", "held-" + DrillCriterion.STRICT_LAST, "worst " + lastK(), "mean " + lastK(), "1st>=" +
                        DrillCriterion.percent(criterion.target()), "params", "runs", "min"));
        for (SettingVerdict s : settings) {
            t.append(String.format(Locale.ROOT, "%-" + width + "s  %6s  %6s  %9s  %9s  %8s  %,6d  %7s  %5s%n",
                    s.label(), s.heldRatio(), s.heldStrict() + "/" + s.seedsPlanned(), pct(s.worstLastK()),
                    pct(s.meanLastK()), s.medianFirstEpoch() == null ? "never" : trim(s.medianFirstEpoch()),
                    s.trainableParams(), s.complete() + "/" + s.seedsPlanned(),
                    Double.isNaN(s.meanSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", s.meanSeconds() / 60)));
        }
        return t.toString();
    }

    /** One row per setting, for spreadsheets. Accuracies in percent. */
    public String toCsv() {
        StringBuilder csv = new StringBuilder("setting,seeds,complete,held,held_last" + DrillCriterion.STRICT_LAST
                + ",target_percent,last_epochs,worst_last_k,mean_last_k,median_first_epoch_at_target,"
                + "trainable_params,epochs,mean_seconds\n");
        for (SettingVerdict s : settings) {
            csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%d,%d,%s,%d,%s,%s,%s,%d,%d,%s%n",
                    s.label().replace("\"", "\"\""), s.seedsPlanned(), s.complete(), s.held(), s.heldStrict(),
                    DrillCriterion.percent(criterion.target()), criterion.lastEpochs(), num(s.worstLastK()),
                    num(s.meanLastK()), s.medianFirstEpoch() == null ? "" : trim(s.medianFirstEpoch()),
                    s.trainableParams(), s.epochsPlanned(),
                    Double.isNaN(s.meanSeconds()) ? "" : String.format(Locale.ROOT, "%.1f", s.meanSeconds())));
        }
        return csv.toString();
    }

    /** The per-epoch bands of every setting, one row per setting and epoch. Accuracies in percent. */
    public String bandsCsv() {
        StringBuilder csv = new StringBuilder("setting,epoch,seeds,min,mean,max,std\n");
        for (SettingVerdict s : settings) {
            for (EpochBand b : s.bands()) {
                csv.append(String.format(Locale.ROOT, "\"%s\",%d,%d,%.2f,%.3f,%.2f,%.3f%n",
                        s.label().replace("\"", "\"\""), b.epoch(), b.seeds(), 100 * b.min(), 100 * b.mean(),
                        100 * b.max(), 100 * b.std()));
            }
        }
        return csv.toString();
    }

    /** A section per setting shaped like the drill's write-up: Target, Results, Analysis. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Study ").append(studyId).append("\n\n");
        md.append("Judged on ").append(criterion.describe()).append(" of at most ").append(DrillCriterion.MAX_EPOCHS)
                .append(" epochs, with fewer than ").append(String.format(Locale.ROOT, "%,d",
                        DrillCriterion.PARAM_BUDGET)).append(" trainable parameters (PyTorch's count).\n\n");
        md.append("| Setting | Held | Held (last ").append(DrillCriterion.STRICT_LAST).append(") | Worst ")
                .append(lastK()).append(" | Mean ").append(lastK()).append(" | Median first epoch >= ")
                .append(DrillCriterion.percent(criterion.target())).append("% | Params | Mean time |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SettingVerdict s : settings) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d/%d | %s | %s | %s | %,d | %s |%n", s.label(),
                    s.heldRatio(), s.heldStrict(), s.seedsPlanned(), pct(s.worstLastK()), pct(s.meanLastK()),
                    s.medianFirstEpoch() == null ? "never" : trim(s.medianFirstEpoch()), s.trainableParams(),
                    Double.isNaN(s.meanSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f min",
                            s.meanSeconds() / 60)));
        }
        md.append('\n');
        for (SettingVerdict s : settings) {
            md.append("### ").append(name).append(settings.size() > 1 || !s.label().equals(StudySpec.Setting.BASE)
                    ? ", " + s.label() : "").append("\n\n");
            md.append("**Target.** ").append(target(s)).append("\n\n");
            md.append("**Results.** ").append(results(s)).append("\n\n");
            md.append("**Analysis.** ").append(analysis(s)).append("\n\n");
        }
        return md.toString();
    }

    private String target(SettingVerdict s) {
        String preset = Presets.target(name);
        return (preset.isEmpty() ? "" : preset + " ") + "Hold " + criterion.describe() + " on every seed.";
    }

    /** "Held on 4 of 5 seeds, worst last-3 epoch 99.38%, mean 99.43%." */
    public String results(SettingVerdict s) {
        if (s.complete() == 0) {
            return "No seed has completed yet.";
        }
        String r = String.format(Locale.ROOT, "Held on %d of %d seeds, worst %s epoch %s, mean %s; held on the last %d"
                        + " on %d of %d. %,d trainable parameters.", s.held(), s.seedsPlanned(), lastK(),
                pct(s.worstLastK()), pct(s.meanLastK()), DrillCriterion.STRICT_LAST, s.heldStrict(),
                s.seedsPlanned(), s.trainableParams());
        if (!s.finished()) {
            r += String.format(Locale.ROOT, " (%d of %d seeds complete.)", s.complete(), s.seedsPlanned());
        }
        return r;
    }

    /** A first reading of the numbers, for the user to refine. */
    public String analysis(SettingVerdict s) {
        if (s.complete() == 0 || s.bands().isEmpty()) {
            return "Nothing to analyse yet.";
        }
        StringBuilder a = new StringBuilder();
        EpochBand last = s.bands().get(s.bands().size() - 1);
        if (s.heldOnAll()) {
            a.append("Consistent: every seed held the target to the end. ");
        } else if (s.held() > 0) {
            a.append("Not consistent: ").append(s.complete() - s.held()).append(" of the ").append(s.complete())
                    .append(" seeds trained did not hold, so a single lucky run would overstate this setting. ");
        } else {
            a.append("No seed held the target. ");
        }
        if (!s.finished()) {
            a.append(s.seedsPlanned() - s.complete()).append(" seed(s) not trained to the end yet. ");
        }
        a.append(String.format(Locale.ROOT, "At the last epoch the seeds spread from %s to %s (standard deviation "
                + "%.2f points); ", pct(last.min()), pct(last.max()), 100 * last.std()));
        double margin = s.meanLastK() - criterion.target();
        a.append(String.format(Locale.ROOT, "the mean of the %s epochs is %.2f points %s the target.", lastK(),
                Math.abs(100 * margin), margin >= 0 ? "above" : "below"));
        if (s.trainableParams() >= DrillCriterion.PARAM_BUDGET) {
            a.append(" Over the parameter budget.");
        }
        return a.toString();
    }

    private static String pct(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    private static String num(double fraction) {
        return Double.isNaN(fraction) ? "" : String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
