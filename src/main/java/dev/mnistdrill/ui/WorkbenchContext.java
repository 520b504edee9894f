package dev.mnistdrill.ui;

import dev.mnistdrill.data.AppDirs;
import dev.mnistdrill.data.DataProgress;
import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.data.MnistRepository;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.ui.util.BackgroundPriority;
import dev.mnistdrill.ui.util.FrameQueue;
import dev.mnistdrill.ui.util.StalledCpuGuard;
import dev.mnistdrill.ui.vm.DataService;
import dev.mnistdrill.ui.vm.DrawViewModel;
import dev.mnistdrill.ui.vm.ExperimentViewModel;
import dev.mnistdrill.ui.vm.RunsViewModel;
import dev.mnistdrill.ui.vm.SamplesViewModel;
import dev.mnistdrill.ui.vm.StudiesViewModel;
import dev.mnistdrill.ui.vm.TrainingViewModel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The workbench's services and view models, wired together. Everything the views need comes from here, so tests
 * can build one with their own runs folder (and the app one with the user's).
 */
public final class WorkbenchContext implements AutoCloseable {
    /** What the user asked for and waits for: loading MNIST, evaluating a run, loading a model, a report, notes. */
    private final ExecutorService io = Executors.newCachedThreadPool(daemon("mnistdrill-io"));
    /**
     * What nobody waits for frame by frame: listing the runs after each epoch, warming up the drawing pad's new
     * models, preloading classes, encoding PNGs; niced like the training, so that it does not take a core from the
     * window's frames.
     */
    private final ExecutorService background = Executors.newCachedThreadPool(niced(daemon("mnistdrill-background")));
    /** Training runs niced: the window keeps a core whenever it needs one (see {@link BackgroundPriority}). */
    private final ExecutorService trainingThread = Executors.newSingleThreadExecutor(
            niced(daemon("mnistdrill-training")));
    private final ExecutorService predictThread = Executors.newSingleThreadExecutor(daemon("mnistdrill-predict"));
    /**
     * A study's runner waits here for its member processes, niced: the processes it starts inherit the nice value, so
     * that a study training on every core still leaves the window a core whenever it needs one.
     */
    private final ExecutorService studyThread = Executors.newSingleThreadExecutor(niced(daemon("mnistdrill-study")));

    private final RunStore store;
    private volatile boolean closed;
    private final DataService data;
    private final ExperimentViewModel experiment = new ExperimentViewModel();
    private final TrainingViewModel training;
    private final DrawViewModel draw;
    private final SamplesViewModel samples = new SamplesViewModel();
    private final RunsViewModel runs;
    private final StudiesViewModel studies;
    /** The window's changes that each want a frame of their own, in one order (see {@link FrameQueue}). */
    private final FrameQueue frames = new FrameQueue();
    /** While a run is on, moves the window's threads off a CPU the host has stopped (see {@link StalledCpuGuard}). */
    private final StalledCpuGuard cpuGuard = StalledCpuGuard.forThisMachine(javafx.application.Platform::runLater);

    public WorkbenchContext(Path runsRoot, Function<DataProgress, MnistData> loader) {
        store = new RunStore(runsRoot);
        data = new DataService(loader, io);
        training = new TrainingViewModel(data, store, trainingThread, frames);
        draw = new DrawViewModel(predictThread, background);
        runs = new RunsViewModel(store, data, io, background, draw);
        // studies live beside the runs folder, their member runs in it
        studies = new StudiesViewModel(new StudyStore(store), data, io, background, studyThread,
                training.busyProperty());
        // Load the classes a run's start needs now, off the FX thread: loading them in the Start click's frame
        // made that frame longer (javafx.concurrent alone is a dozen classes).
        background.execute(WorkbenchContext::preloadRunClasses);

        samples.dataProperty().bind(data.dataProperty());
        samples.rotationProperty().bind(experiment.rotationProperty());
        samples.translateProperty().bind(experiment.translateProperty());
        experiment.draftProperty().addListener((o, was, now) -> samples.subsetProperty().set(now.subset()));
        samples.subsetProperty().set(experiment.draftProperty().get().subset());

        training.snapshotProperty().addListener((o, was, snapshot) -> {
            ExperimentConfig c = training.configProperty().get();
            if (snapshot != null && c != null) {
                draw.offerTrainingSnapshot(snapshot, "Live: " + c.name() + ", snapshot after epoch "
                        + snapshot.epoch() + " of " + c.epochs());
            }
        });
        training.stateProperty().addListener((o, was, now) -> {
            if (now == TrainingViewModel.State.PREPARING) {
                draw.forgetTrainingSnapshot();
            }
        });
        training.onFinished(result -> refreshRuns());
        // a new run shows up in the table as soon as its folder exists
        training.stateProperty().addListener((o, was, now) -> {
            if (was == TrainingViewModel.State.PREPARING && now == TrainingViewModel.State.RUNNING) {
                refreshRuns();
            }
            guardWhileTraining();
        });
        training.epochs().addListener((javafx.collections.ListChangeListener<Object>) c -> refreshRuns());
        runs.setLiveRun(training.runFolderProperty());
        // a study's finished run joins the runs table; its member processes load the cores like a training does
        studies.onMemberFinished(run -> refreshRuns());
        studies.busyProperty().addListener((o, was, now) -> guardWhileTraining());
    }

    /** The window animates while a run or a study is on (charts, progress); idle, it has no frames to keep. */
    private void guardWhileTraining() {
        if (closed || (training.state() == TrainingViewModel.State.IDLE && !studies.busyProperty().get())) {
            cpuGuard.stop();
        } else {
            cpuGuard.start();
        }
    }

    private static void preloadRunClasses() {
        for (String name : java.util.List.of(javafx.concurrent.Task.class.getName(), "javafx.concurrent.Task$TaskCallable",
                javafx.concurrent.Worker.State.class.getName(), dev.mnistdrill.train.Trainer.class.getName(),
                dev.mnistdrill.train.RunRecorder.class.getName(), dev.mnistdrill.train.TrainingListener.class.getName(),
                TrainingViewModel.class.getName() + "$Bridge")) {
            try {
                Class.forName(name, true, WorkbenchContext.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // only a head start: the run loads what it needs anyway
            }
        }
    }

    private void refreshRuns() {
        if (!closed) {
            runs.refresh();
        }
    }

    /** The user's runs folder and the standard MNIST lookup (cache, then download). */
    public static WorkbenchContext standard() {
        return new WorkbenchContext(AppDirs.runs(), standardLoader());
    }

    /** MNIST from the cache, or downloaded into it. */
    public static Function<DataProgress, MnistData> standardLoader() {
        return progress -> MnistRepository.standard(null, progress).load();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static ThreadFactory niced(ThreadFactory factory) {
        return r -> factory.newThread(() -> {
            BackgroundPriority.lowerCurrentThread();
            r.run();
        });
    }

    public RunStore store() {
        return store;
    }

    public DataService data() {
        return data;
    }

    public ExperimentViewModel experiment() {
        return experiment;
    }

    public TrainingViewModel training() {
        return training;
    }

    public DrawViewModel draw() {
        return draw;
    }

    public SamplesViewModel samples() {
        return samples;
    }

    public StalledCpuGuard cpuGuard() {
        return cpuGuard;
    }

    public FrameQueue frames() {
        return frames;
    }

    public RunsViewModel runs() {
        return runs;
    }

    public StudiesViewModel studies() {
        return studies;
    }

    public ExecutorService io() {
        return io;
    }

    /** The niced pool, for work nobody waits for. */
    public ExecutorService background() {
        return background;
    }

    /** Stops any training or study and the worker threads (the window is closing). */
    @Override
    public void close() {
        training.stopAndWait(5_000);
        studies.stopAndWait(5_000);
        closed = true;
        cpuGuard.stop();
        io.shutdownNow();
        background.shutdownNow();
        trainingThread.shutdownNow();
        predictThread.shutdownNow();
        studyThread.shutdownNow();
    }
}
