package dev.mnistdrill.cli;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.spark.SparkMemberExecutor;
import dev.mnistdrill.spark.SparkSupport;
import dev.mnistdrill.train.LocalMemberExecutor;
import dev.mnistdrill.train.MemberExecutor;
import dev.mnistdrill.train.MemberLauncher;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.StudyRunner;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.StudyVerdict;
import dev.mnistdrill.train.TrainingStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "study",
        description = {
            "Train one experiment on several seeds, or a grid of settings on every seed, as one study, and judge it:"
                + " on how many seeds did the drill criterion hold?",
            "",
            "Every option of 'train' sets the base experiment (a preset or --config file, then overrides). --grid "
                + "varies knobs: the study trains every combination of their values on every seed. Member runs are "
                + "ordinary runs (see 'runs', the Runs tab, 'predict') with deterministic ids, so the same command "
                + "run again, or --resume ID, trains only what is missing; completed runs are never trained twice.",
            "",
            "Examples:",
            "  study --preset code4 --seeds 1-5",
            "  study --preset code3 --seeds 1-3 --grid dropout=0,0.05,0.1 --grid rotation=5,7",
            "  study --resume code4-1a2b3c4d",
            ""})
public final class StudyCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Mixin
    DataOption dataOption;

    @Mixin
    RunsOption runsOption;

    @Option(names = "--seeds", defaultValue = "1-5", paramLabel = "SEEDS",
            description = "Seeds to train each setting on: a range, a list or both, e.g. 1-5, 1,3,7 or 1-3,10 "
                    + "(default: ${DEFAULT-VALUE}).")
    String seeds;

    @Option(names = "--grid", paramLabel = "KNOB=V1,V2", description = {
        "Vary a knob over values (repeatable; the study trains the cross product). A knob is any experiment "
            + "option but --name and --seed, named without its dashes (dropout, lr, lr-schedule, weight-decay, "
            + "bn=on,off, optimizer=sgd,adam, ...). An architecture with spaces needs quotes: "
            + "--grid \"arch=c8 c16 p t8 c12 c16 c16 gap\"."})
    List<String> grid = new ArrayList<>();

    @Option(names = "--last", paramLabel = "K", defaultValue = "" + DrillCriterion.DEFAULT_LAST,
            description = "The criterion's window: the target must hold on each of the last K epochs "
                    + "(default: ${DEFAULT-VALUE}; the last " + DrillCriterion.STRICT_LAST + " are reported beside).")
    int lastEpochs;

    @Option(names = "--target", paramLabel = "PERCENT", defaultValue = "99.4",
            description = "Test accuracy to hold, in percent (default: ${DEFAULT-VALUE}).")
    double targetPercent;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Runs trained at once, each in its own process on one native thread (so that a seed "
                    + "gives the same result however busy the study is; default: one per core, or a few more where "
                    + "that keeps every core busy to the end, e.g. 3 for 5 runs on 2 cores; at most one per 2 GiB "
                    + "of memory).")
    Integer parallel;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = SUBMIT_MASTER,
            description = "Train the runs on Apache Spark " + SparkSupport.BUILT_FOR + " (Scala 2.12), one task per "
                    + "run: spark://host:7077 for a standalone cluster, local[N] to try it embedded, or no value "
                    + "under spark-submit. Needs Spark on the class path (./drill adds SPARK_HOME/jars). Same runs, "
                    + "ids and verdict as a local study; the same floats with spark.task.cpus=1.")
    String spark;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE",
            description = "A Spark setting for --spark, e.g. spark.executor.memory=2g (repeatable).")
    List<String> sparkConf = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "STUDY_ID",
            description = "Continue a stored study: train its missing or unfinished runs (see 'studies').")
    String resume;

    @Option(names = "--yes", description = "Start a study of more than " + StudySpec.CONFIRM_ABOVE_RUNS
            + " runs without asking.")
    boolean yes;

    @Option(names = "--progress", negatable = true, defaultValue = "true",
            description = "Show a live progress line (only on a terminal).")
    boolean progress;

    /** --spark without a value: the master spark-submit set. */
    static final String SUBMIT_MASTER = "(spark-submit)";

    @Override
    public Integer call() {
        PrintStream out = System.out;
        RunStoreAndStudies stores = new RunStoreAndStudies(runsOption);
        StudySpec spec = resume != null ? stores.studies.read(resume).spec() : specFromOptions();
        spec.validated();
        if (spec.runCount() > StudySpec.CONFIRM_ABOVE_RUNS && !yes) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "this study is %,d runs (more than %d); "
                    + "add --yes to start it anyway", spec.runCount(), StudySpec.CONFIRM_ABOVE_RUNS));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        if (parallel != null && (parallel < 1 || parallel > Math.max(cores, 1) * 4)) {
            throw new IllegalArgumentException("--parallel must be 1 to " + Math.max(cores, 1) * 4 + " on this "
                    + cores + "-core machine (each run is a process with a 1 GB heap)");
        }
        if (spark != null && parallel != null) {
            throw new IllegalArgumentException("--parallel is for a study on this machine; on Spark the executors' "
                    + "cores decide");
        }
        if (spark != null) {
            SparkSupport.requireSpark(); // before the data: a clear message, and nothing done
        }
        MnistData data = dataOption.load();
        MemberExecutor executor = spark == null
                ? new LocalMemberExecutor(data.source(), parallel, MemberLauncher.thisProgram())
                : SparkMemberExecutor.connect(SUBMIT_MASTER.equals(spark) ? null : spark, sparkConf, data.source(),
                SparkMemberExecutor.applicationJars(), "MNIST Drill study " + spec.id(), out::println);
        try {
            return run(spec, stores, new StudyRunner(stores.studies, executor), out);
        } finally {
            if (executor instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    System.err.println("warning: " + e.getMessage());
                }
            }
        }
    }

    private int run(StudySpec spec, RunStoreAndStudies stores, StudyRunner runner, PrintStream out) {
        boolean live = progress && System.console() != null;
        out.printf(Locale.ROOT, "Study %s: %s, %d setting(s) x %d seed(s) = %d runs, judged on %s%n", spec.id(),
                Knob.describe(spec.base(), Knob.Style.FULL, Knob.SEED), spec.settings().size(), spec.seeds().size(),
                spec.runCount(), spec.criterion().describe());
        // Ctrl-C stops the members; the JVM's exit waits until the verdict and the resume hint are printed
        return ShutdownCancel.run(runner::cancel, () -> report(spec, stores, runner.run(spec,
                new StudyRunner.Listener() {
                    @Override
                    public void onPlan(StudyRunner.Plan p) {
                        out.printf(Locale.ROOT, "%d kept from before, %d copied from earlier runs, %d set aside, %d to "
                                        + "train: %d at a time, %d native thread(s) each, %s%nruns folder: %s%n%n",
                                p.kept(), p.copied(), p.setAside(), p.toTrain(), p.parallel(), p.threadsPerRun(),
                                p.where(), stores.runs.root());
                    }

                    @Override
                    public void onProgress(StudyRunner.Progress p) {
                        if (live) {
                            System.err.printf(Locale.ROOT, "\r%d/%d done, %d training, %,.0f img/s, ETA %s   ",
                                    p.done(), p.toTrain(), p.running(), p.imagesPerSecond(), eta(p.etaSeconds()));
                        }
                    }

                    @Override
                    public void onMemberFinished(StudySpec.Member m, RunRecord run) {
                        if (live) {
                            System.err.print("\r" + " ".repeat(70) + "\r");
                        }
                        List<Double> acc = run.epochs().stream().map(e -> e.testAccuracy()).toList();
                        boolean held = spec.criterion().held(acc, m.config().epochs(), run.summary().trainableParams());
                        out.printf(Locale.ROOT, "%-9s seed %-4d %-24s last-%d: %s  %s%n",
                                run.summary().status().name().toLowerCase(Locale.ROOT), m.seed(),
                                m.setting().label(), spec.criterion().lastEpochs(),
                                spec.criterion().lastWindow(acc).stream()
                                        .map(a -> String.format(Locale.ROOT, "%.2f", 100 * a))
                                        .reduce((a, b) -> a + " " + b).orElse("-"), held ? "held" : "not held");
                    }

                    @Override
                    public void onMessage(String message) {
                        out.println(message);
                    }
                })));
    }

    private static int report(StudySpec spec, RunStoreAndStudies stores, StudyRunner.Outcome outcome) {
        PrintStream out = System.out;
        out.println();
        StudyVerdict verdict = outcome.verdict();
        out.print(verdict.toTable());
        out.printf(Locale.ROOT, "%n%s after %s; verdict in %s%n", outcome.status(), eta(outcome.seconds()),
                stores.studies.folder(spec.id()));
        for (String f : outcome.failures()) {
            System.err.println("failed: " + f);
        }
        if (outcome.status() == TrainingStatus.CANCELLED) {
            out.println("Resume with: study --resume " + spec.id());
            return 130;
        }
        return outcome.status() == TrainingStatus.COMPLETED ? 0 : 1;
    }

    private StudySpec specFromOptions() {
        if (options.has(Knob.SEED)) {
            throw new IllegalArgumentException("a study takes --seeds (e.g. 1-5), not --seed");
        }
        ExperimentConfig base = options.resolve();
        List<StudySpec.Axis> axes = new ArrayList<>();
        for (String g : grid) {
            axes.add(StudySpec.parseAxis(g));
        }
        if (!(targetPercent > 0 && targetPercent <= 100)) {
            throw new IllegalArgumentException("--target is a percentage above 0 and at most 100");
        }
        return new StudySpec(base, axes, StudySpec.parseSeeds(seeds),
                new DrillCriterion(java.math.BigDecimal.valueOf(targetPercent).movePointLeft(2).doubleValue(),
                        lastEpochs));
    }

    static String eta(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** The run store of --runs and the studies beside it. */
    static final class RunStoreAndStudies {
        final dev.mnistdrill.train.RunStore runs;
        final StudyStore studies;

        RunStoreAndStudies(RunsOption option) {
            runs = option.store();
            studies = new StudyStore(runs);
        }
    }
}
