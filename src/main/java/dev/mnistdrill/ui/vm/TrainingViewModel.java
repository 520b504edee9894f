package dev.mnistdrill.ui.vm;

import dev.mnistdrill.data.MnistData;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.train.BatchMetrics;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.LayerStat;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.train.RunRecorder;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.Trainer;
import dev.mnistdrill.train.TrainingListener;
import dev.mnistdrill.train.TrainingResult;
import dev.mnistdrill.train.TrainingStart;
import dev.mnistdrill.train.TrainingStatus;
import dev.mnistdrill.ui.util.Formats;
import dev.mnistdrill.ui.util.FrameQueue;
import dev.mnistdrill.ui.util.LossDownsampler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;

/**
 * One training at a time, run as a {@link Task} on its own thread. The engine reports every batch (~20 per second);
 * this model coalesces them so that the FX thread sees at most ten updates a second, and the loss curve arrives
 * already downsampled.
 */
public final class TrainingViewModel {
    public enum State { IDLE, PREPARING, RUNNING, PAUSED, STOPPING }

    /** Loss chart points per run. */
    static final int LOSS_POINTS = 400;
    /** Minimum time between two batch updates handed to the FX thread. */
    static final long FLUSH_NANOS = 100_000_000L;
    /**
     * Minimum time between two additions to the loss curve: each addition lays the loss chart out and repaints it
     * (all its series, overlays included), too much work to do ten times a second beside a training.
     */
    static final long LOSS_FLUSH_NANOS = 1_000_000_000L;

    private final DataService data;
    private final RunStore store;
    private final ExecutorService executor;

    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Ready");
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper speedText = new ReadOnlyStringWrapper(this, "speedText", "");
    private final ReadOnlyStringWrapper etaText = new ReadOnlyStringWrapper(this, "etaText", "");
    private final ReadOnlyDoubleWrapper epochProgress = new ReadOnlyDoubleWrapper(this, "epochProgress");
    private final ReadOnlyDoubleWrapper runProgress = new ReadOnlyDoubleWrapper(this, "runProgress");
    private final ReadOnlyLongWrapper iterations = new ReadOnlyLongWrapper(this, "iterations");
    private final ReadOnlyObjectWrapper<ExperimentConfig> config = new ReadOnlyObjectWrapper<>(this, "config");
    private final ReadOnlyObjectWrapper<Path> runFolder = new ReadOnlyObjectWrapper<>(this, "runFolder");
    private final ReadOnlyObjectWrapper<Predictor> snapshot = new ReadOnlyObjectWrapper<>(this, "snapshot");
    private final ReadOnlyObjectWrapper<TrainingResult> result = new ReadOnlyObjectWrapper<>(this, "result");
    private final ObservableList<EpochMetrics> epochs = FXCollections.observableArrayList();
    private final ObservableList<LossDownsampler.Point> loss = FXCollections.observableArrayList();
    private final ObservableList<LayerStat> layerStats = FXCollections.observableArrayList();
    private final List<Consumer<TrainingResult>> finishedHandlers = new ArrayList<>();
    /**
     * The window's queue of one change per frame ({@link FrameQueue}): an epoch's end, and a run's, reach the window
     * through it in order, and the training thread starts behind what the Start queued there.
     */
    private final FrameQueue frames;

    private volatile Trainer trainer;
    private volatile Task<TrainingResult> task;
    /** Whether {@link #task} was handed to the training thread (it is a few frames after the Start). */
    private volatile boolean submitted;
    private volatile boolean pauseRequested;
    private volatile boolean stopRequested;
    private Bridge bridge;
    private TrainingStart start;
    private long startedNanos;

    public TrainingViewModel(DataService data, RunStore store, ExecutorService executor, FrameQueue frames) {
        this.data = data;
        this.store = store;
        this.executor = executor;
        this.frames = frames;
    }

    /** One binding for everyone: listeners alone would not keep a fresh binding per call from being collected. */
    private final BooleanBinding busy = state.isNotEqualTo(State.IDLE);

    public BooleanBinding busyProperty() {
        return busy;
    }

    /** Starts training {@code experiment}; ignored unless idle. Loads MNIST first when needed. */
    public void start(ExperimentConfig experiment) {
        if (state.get() != State.IDLE || experiment == null) {
            return;
        }
        ExperimentConfig valid = experiment.validated();
        epochs.clear();
        loss.clear();
        layerStats.clear();
        iterations.set(0);
        epochProgress.set(0);
        runProgress.set(0);
        progressText.set("");
        speedText.set("");
        etaText.set("");
        result.set(null);
        runFolder.set(null);
        config.set(null); // a new run of an equal config still announces itself
        config.set(valid);
        pauseRequested = false;
        stopRequested = false;
        trainer = null;
        start = null;
        startedNanos = System.nanoTime();
        Bridge b = new Bridge(valid);
        bridge = b;
        state.set(State.PREPARING);
        status.set("Preparing " + valid.name() + "…");
        var dataFuture = data.load();
        Task<TrainingResult> task = new Task<>() {
            @Override
            protected TrainingResult call() {
                MnistData mnist = dataFuture.join();
                Path folder = store.create(valid);
                Trainer t = new Trainer(valid, mnist, folder);
                trainer = t;
                if (pauseRequested) {
                    t.pause();
                }
                if (stopRequested) {
                    t.cancel();
                }
                Platform.runLater(() -> runFolder.set(folder));
                return t.run(TrainingListener.all(new RunRecorder(folder, valid), b));
            }
        };
        this.task = task;
        // behind the last epoch's updates, which may still wait for their frame
        task.setOnSucceeded(e -> frames.submit(() -> finished(b, task.getValue())));
        task.setOnFailed(e -> frames.submit(() -> finished(b, new TrainingResult(TrainingStatus.FAILED,
                List.copyOf(epochs), (System.nanoTime() - startedNanos) / 1e9, Fx.message(task.getException())))));
        // The training thread starts behind the frames the Start queued (the state change above made the window
        // queue its form lock, a frame after the click's: ExperimentController): those are then laid out while the
        // cores are still free; once started, the run's set-up and the JIT compiling its code take both, and the
        // Start frame took 60-120 ms beside them. One empty frame more, for the render thread to paint the last.
        submitted = false;
        frames.skipFrames(1);
        frames.submit(() -> {
            if (this.task != task) {
                return;
            }
            if (stopRequested) { // stopped within those frames: nothing ran, nothing to store
                finished(b, new TrainingResult(TrainingStatus.CANCELLED, List.of(), 0, null));
                return;
            }
            submitted = true;
            executor.execute(task);
        });
    }

    public void togglePause() {
        if (state.get() == State.RUNNING || state.get() == State.PREPARING) {
            pauseRequested = true;
            Trainer t = trainer;
            if (t != null) {
                t.pause();
            }
            state.set(State.PAUSED);
            status.set("Paused — the window stays usable; Resume continues from the same batch");
        } else if (state.get() == State.PAUSED) {
            pauseRequested = false;
            Trainer t = trainer;
            if (t != null) {
                t.resume();
            }
            state.set(start == null ? State.PREPARING : State.RUNNING);
            status.set("Training " + config.get().name() + "…");
        }
    }

    public void stop() {
        State s = state.get();
        if (s == State.IDLE || s == State.STOPPING) {
            return;
        }
        stopRequested = true;
        Trainer t = trainer;
        if (t != null) {
            t.cancel();
        }
        state.set(State.STOPPING);
        status.set("Stopping after the current batch…");
    }

    /**
     * Stops the run and waits up to {@code millis} for it to end, so that its folder records how it ended (used when
     * the window closes).
     */
    public void stopAndWait(long millis) {
        stop();
        Task<TrainingResult> t = task;
        if (t != null && submitted) { // one never started has nothing to record
            try {
                t.get(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // gone or too slow: the run folder keeps every completed epoch either way
            }
        }
    }

    /** Called (FX thread) when a run ends, however it ends. */
    public void onFinished(Consumer<TrainingResult> handler) {
        finishedHandlers.add(handler);
    }

    private void finished(Bridge b, TrainingResult r) {
        if (b != bridge) {
            return;
        }
        b.drain(true);
        trainer = null;
        result.set(r);
        state.set(State.IDLE);
        String where = runFolder.get() == null ? "" : " — saved as " + runFolder.get().getFileName();
        switch (r.status()) {
            case COMPLETED -> {
                double best = r.epochs().stream().mapToDouble(EpochMetrics::testAccuracy).max().orElse(0);
                status.set(String.format(Locale.ROOT, "Completed %d epochs in %s, best test %s%s", r.epochs().size(),
                        Formats.duration(r.seconds()), Formats.percent(best), where));
                epochProgress.set(1);
                runProgress.set(1);
            }
            case CANCELLED -> status.set("Stopped after " + r.epochs().size() + " of " + config.get().epochs()
                    + " epochs" + where);
            default -> status.set("Training failed: " + r.error() + where);
        }
        etaText.set("");
        for (Consumer<TrainingResult> h : finishedHandlers) {
            h.accept(r);
        }
    }

    private void applyStart(TrainingStart s) {
        start = s;
        if (state.get() == State.PREPARING) {
            state.set(State.RUNNING);
        }
        if (state.get() == State.RUNNING) {
            status.set(String.format(Locale.ROOT, "Training %s: %,d trainable parameters, %,d training digits",
                    s.config().name(), s.trainableParams(), s.trainSize()));
        }
        progressText.set("Epoch 1/" + s.config().epochs());
    }

    private void applyBatch(BatchMetrics m) {
        TrainingStart s = start;
        if (s == null) {
            return;
        }
        int planned = s.config().epochs();
        iterations.set(m.iteration());
        epochProgress.set(m.epochProgress());
        runProgress.set((m.epoch() - 1 + m.epochProgress()) / planned);
        progressText.set(String.format(Locale.ROOT, "Epoch %d/%d · batch %d/%d · loss %.4f · train acc %s",
                m.epoch(), planned, m.batch(), m.batchesPerEpoch(), m.loss(), Formats.percent(m.runningAccuracy())));
        double ips = m.imagesPerSecond();
        speedText.set(String.format(Locale.ROOT, "%,.0f img/s", ips));
        if (ips > 0) {
            int batchSize = s.config().batchSize();
            double trainRemaining = Math.max(0, (m.batchesPerEpoch() - m.batch()) * (double) batchSize / ips);
            double eval = evalSeconds(s, ips);
            double epochEta = trainRemaining + eval;
            double perEpoch = epochs.isEmpty() ? s.trainSize() / ips + eval : epochs.get(epochs.size() - 1).seconds();
            double runEta = epochEta + (planned - m.epoch()) * perEpoch;
            etaText.set("epoch ETA " + Formats.duration(epochEta) + " · run ETA " + Formats.duration(runEta)
                    + " · elapsed " + Formats.duration((System.nanoTime() - startedNanos) / 1e9));
        }
    }

    /** Seconds the evaluation of the test set takes, measured from the last epoch or estimated. */
    private double evalSeconds(TrainingStart s, double ips) {
        if (!epochs.isEmpty()) {
            EpochMetrics last = epochs.get(epochs.size() - 1);
            return Math.max(0, last.seconds() - s.trainSize() / last.imagesPerSecond());
        }
        return s.testSize() / (3 * ips);
    }

    /** Hands the engine's reports to the FX thread: coalesced, throttled and downsampled. */
    private final class Bridge implements TrainingListener {
        private final ExperimentConfig experiment;
        private final AtomicReference<BatchMetrics> latest = new AtomicReference<>();
        private final ConcurrentLinkedQueue<LossDownsampler.Point> points = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private LossDownsampler downsampler;
        private long lastIteration;
        private volatile long lastFlush;
        /** FX thread only. */
        private long lastLossFlush;

        Bridge(ExperimentConfig experiment) {
            this.experiment = experiment;
        }

        @Override
        public void onStart(TrainingStart s) {
            downsampler = new LossDownsampler(s.batchesPerEpoch() * experiment.epochs(), s.batchesPerEpoch(),
                    LOSS_POINTS, 0.3);
            Platform.runLater(() -> {
                if (bridge == this) {
                    // The first loss points then join the chart a second into the run, not in the same frame as
                    // the run's other first changes (status, new runs-table row, progress), whose layout and CSS
                    // together made one 90-170 ms frame.
                    lastLossFlush = System.nanoTime();
                    applyStart(s);
                }
            });
        }

        @Override
        public void onBatch(BatchMetrics m) {
            lastIteration = m.iteration();
            LossDownsampler.Point p = downsampler.add(m.iteration(), m.loss());
            if (p != null) {
                points.add(p);
            }
            latest.set(m);
            long now = System.nanoTime();
            if (now - lastFlush >= FLUSH_NANOS && scheduled.compareAndSet(false, true)) {
                lastFlush = now;
                Platform.runLater(() -> drain(false));
            }
        }

        @Override
        public void onLayerStats(List<LayerStat> stats) {
            // a frame of its own, ahead of the epoch's (onEpoch comes next)
            Platform.runLater(() -> frames.submit(() -> {
                if (bridge == this) {
                    layerStats.addAll(stats);
                }
            }));
        }

        @Override
        public void onEpoch(EpochMetrics m, Predictor predictor) {
            LossDownsampler.Point p = downsampler.flush(lastIteration);
            if (p != null) {
                points.add(p);
            }
            Platform.runLater(() -> {
                // the loss curve and progress, then the epoch's charts and label, then the drawing pad's new
                // model: each in its own frame
                frames.submit(() -> drain(true));
                frames.submit(() -> {
                    if (bridge == this) {
                        epochs.add(m);
                    }
                });
                frames.submit(() -> {
                    if (bridge == this) {
                        snapshot.set(predictor);
                    }
                });
            });
        }

        /** FX thread: applies the latest batch, and the new loss points once a second or when {@code all}. */
        void drain(boolean all) {
            scheduled.set(false);
            if (bridge != this) {
                return;
            }
            BatchMetrics m = latest.getAndSet(null);
            if (m != null) {
                applyBatch(m);
            }
            long now = System.nanoTime();
            if (!all && now - lastLossFlush < LOSS_FLUSH_NANOS) {
                return;
            }
            lastLossFlush = now;
            List<LossDownsampler.Point> fresh = new ArrayList<>();
            for (LossDownsampler.Point p; (p = points.poll()) != null; ) {
                fresh.add(p);
            }
            if (!fresh.isEmpty()) {
                loss.addAll(fresh);
            }
        }
    }

    // --- properties -------------------------------------------------------------------------------------------

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public State state() {
        return state.get();
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty speedTextProperty() {
        return speedText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty etaTextProperty() {
        return etaText.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty epochProgressProperty() {
        return epochProgress.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty runProgressProperty() {
        return runProgress.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty iterationsProperty() {
        return iterations.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<ExperimentConfig> configProperty() {
        return config.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Path> runFolderProperty() {
        return runFolder.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Predictor> snapshotProperty() {
        return snapshot.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<TrainingResult> resultProperty() {
        return result.getReadOnlyProperty();
    }

    public ObservableList<EpochMetrics> epochs() {
        return epochs;
    }

    public ObservableList<LossDownsampler.Point> loss() {
        return loss;
    }

    /** The live run's layer statistics, a row per convolution and epoch, added at each epoch's end. */
    public ObservableList<LayerStat> layerStats() {
        return layerStats;
    }

    /** True while a run can be paused or resumed. */
    public BooleanBinding pausableProperty() {
        return Bindings.createBooleanBinding(() -> state.get() == State.RUNNING || state.get() == State.PAUSED
                || state.get() == State.PREPARING, state);
    }
}
