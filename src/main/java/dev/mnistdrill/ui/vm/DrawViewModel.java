package dev.mnistdrill.ui.vm;

import dev.mnistdrill.data.Batches;
import dev.mnistdrill.data.DigitPreprocessor;
import dev.mnistdrill.engine.PlainForward;
import dev.mnistdrill.model.Architecture;
import dev.mnistdrill.model.Presets;
import dev.mnistdrill.train.LearnedFilters;
import dev.mnistdrill.train.OcclusionSaliency;
import dev.mnistdrill.train.Predictor;
import dev.mnistdrill.ui.util.StrokeRasterizer.Point;
import dev.mnistdrill.ui.util.StrokeRasterizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The "draw a digit" pad: strokes in, the MNIST-style 28x28 image and ten probabilities out. Each change of the
 * drawing asks for a prediction; a single worker thread serves only the newest request, so fast drawing never
 * queues work and the FX thread never waits for the network.
 *
 * <p>The network runs as a {@link dev.mnistdrill.engine.PlainForward} (plain Java, single-threaded) whenever it
 * supports the model, which every preset's network is: DL4J's {@code output()} for one image took a median ~9 ms
 * and up to ~35 ms beside a training, mostly ND4J per-op overhead and OpenMP threads competing with the
 * training's. A model it does not support is asked through DL4J as before.
 *
 * <p>A new model (a training snapshot or a saved run's network) is warmed up on another thread before it replaces
 * the current one: its plain pass is built (weights copied) and run a few times (the code itself is usually
 * compiled by then: {@link #warmUpCode()} runs at start-up, ~1.5 s), or, on the DL4J path, its first
 * {@code output()} initialises DL4J's layers and workspaces (50-120 ms for the first model).
 * Meanwhile drawings are answered by the previous model, so nobody waits for the warm-up.
 *
 * <p>Inside the network: the pass that answers a drawing keeps every convolution block's output
 * ({@link PlainForward#trace}), so the feature maps shown are those of the very prediction shown. The
 * {@link OcclusionSaliency} maps of that digit (a few hundred plain passes, 100-300 ms) follow on the niced pool, one
 * sweep at a time and only for the newest drawing: a newer drawing stops the sweep within a few passes, and the
 * predictions never wait for one. A model's {@link LearnedFilters} are copied during its warm-up.
 */
public final class DrawViewModel {
    /** Side of the drawing canvas in pixels. */
    public static final int CANVAS = 280;
    /** Pen diameter: about a seventh of a digit drawn across most of the canvas, like MNIST's strokes. */
    public static final double PEN = 22;
    /** Plain-pass predictions of a blank image when a model arrives, before it answers drawings. */
    private static final int WARM_UP_PLAIN_RUNS = 30;
    private static final int WARM_UP_DRAWINGS = 200;
    /** Passes of the plain network code before any model: by 200 every step was compiled by C2. */
    private static final int WARM_UP_PLAIN_PASSES = 300;

    private final Executor executor;
    /** Warm-ups run beside the predictions, at the background's priority: nobody waits for them. */
    private final Executor warmUps;
    private final AtomicReference<Request> pending = new AtomicReference<>();
    private final AtomicBoolean working = new AtomicBoolean();

    private final ReadOnlyObjectWrapper<Predictor> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyStringWrapper modelDescription = new ReadOnlyStringWrapper(this, "modelDescription",
            "No model yet: train one (a snapshot arrives after every epoch) or pick a saved run.");
    private final BooleanProperty followTraining = new SimpleBooleanProperty(this, "followTraining", true);
    private final ReadOnlyObjectWrapper<float[]> preview = new ReadOnlyObjectWrapper<>(this, "preview");
    private final ReadOnlyObjectWrapper<double[]> probabilities = new ReadOnlyObjectWrapper<>(this, "probabilities");
    private final ReadOnlyIntegerWrapper predicted = new ReadOnlyIntegerWrapper(this, "predicted", -1);
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper(this, "hint");
    private final ReadOnlyDoubleWrapper lastMillis = new ReadOnlyDoubleWrapper(this, "lastMillis", Double.NaN);
    private final ReadOnlyIntegerWrapper predictions = new ReadOnlyIntegerWrapper(this, "predictions");
    private final ReadOnlyObjectWrapper<PlainForward.Trace> trace = new ReadOnlyObjectWrapper<>(this, "trace");
    private final ReadOnlyObjectWrapper<OcclusionSaliency.Maps> saliency = new ReadOnlyObjectWrapper<>(this,
            "saliency");
    /** The class whose saliency map is shown; -1 for the predicted one. */
    private final IntegerProperty saliencyDigit = new SimpleIntegerProperty(this, "saliencyDigit", -1);
    private final ReadOnlyStringWrapper saliencyNote = new ReadOnlyStringWrapper(this, "saliencyNote", "");
    private final ReadOnlyObjectWrapper<LearnedFilters> filters = new ReadOnlyObjectWrapper<>(this, "filters");
    private final ReadOnlyStringWrapper filtersProblem = new ReadOnlyStringWrapper(this, "filtersProblem");
    /** The request whose prediction is shown (FX thread): its saliency may follow. */
    private Request shownRequest;
    /** The request the prediction worker took last: a sweep for an older one stops. */
    private volatile Request newest;
    private final AtomicReference<Sweep> pendingSweep = new AtomicReference<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();

    /** A saliency sweep to run: {@code digit} through {@code plain}, for {@code request}. */
    private record Sweep(Request request, PlainForward plain, float[] digit) {
    }
    /** Told of every prediction's, warm-up's and sweep's time; none in the app (measurement tools install one). */
    private volatile TimingListener timingListener = TimingListener.NONE;
    private List<List<Point>> strokes = List.of();
    /** The model most recently offered (FX thread); an older one that finishes its warm-up later is dropped. */
    private Predictor offered;

    private record Request(List<List<Point>> strokes, Predictor model, long requestedNanos) {
    }

    /**
     * One answered drawing's times in ms: the worker's (rasterise, preprocess, network), the network's share of it
     * (the plain pass with its feature maps, or DL4J's), and the latency the user sees (from the drawing change until
     * its probabilities are being shown on the FX thread, waits included); and when the worker began, in wall-clock
     * ms (to find a slow one in a scheduler recording).
     */
    public record PredictionTiming(double millis, double networkMillis, double latencyMillis, long startedAtMillis) {
    }

    /** What a measurement tool (the responsiveness demo, the UI tests' reports) learns of the pad, on the FX thread. */
    public interface TimingListener {
        /** Listens to nothing: the app's own. */
        TimingListener NONE = new TimingListener() {
        };

        /** A drawing was answered. */
        default void onPrediction(PredictionTiming timing) {
        }

        /**
         * A model was warmed up, in {@code millis}: its plain pass built and {@code WARM_UP_PLAIN_RUNS} (30)
         * predictions of a blank image, or three through DL4J for a model the plain pass does not support.
         */
        default void onWarmUp(double millis) {
        }

        /** A saliency sweep was completed and shown, in {@code millis}. */
        default void onSaliency(double millis) {
        }
    }

    /** Tells {@code listener} of every timing from now on (on the FX thread); null for none. */
    public void setTimingListener(TimingListener listener) {
        timingListener = listener == null ? TimingListener.NONE : listener;
    }

    /**
     * {@code predictions} answers drawings, one at a time; {@code warmUps} warms new models up (a niced pool in the
     * window: at an epoch's end a warm-up at the window's priority took the CPU from its frames, and a drawing's
     * prediction goes before it).
     */
    public DrawViewModel(Executor predictions, Executor warmUps) {
        this.executor = predictions;
        this.warmUps = warmUps;
        updateHint();
        warmUps.execute(DrawViewModel::warmUpCode);
        // ticking "follow" again goes back to the training's newest snapshot at once, not at the next epoch's end
        followTraining.addListener((o, was, now) -> {
            if (now && latestSnapshot != null) {
                setModel(latestSnapshot, latestSnapshotDescription);
            }
        });
    }

    /**
     * Runs the prediction's code before the first stroke and the first model, so that the JIT has compiled it (its
     * compiled code serves every thread and every model). The pure-Java half (rasteriser, MNIST preprocessing) took
     * 20-30 ms a pass cold and ~200 passes to settle at ~1 ms. The plain pass is run on two untrained networks laid
     * out like the presets', with and without BatchNorm: a model's own warm-up (30 passes) ended before C2 had
     * compiled it, so a run's first drawings ran C1's profiling code (network 9-14 ms, up to 46 ms, beside a
     * training); after 200 passes every step is C2's. Short pauses between passes leave the cores to the window,
     * which is starting meanwhile.
     */
    private static void warmUpCode() {
        List<List<Point>> dummy = List.of(List.of(new Point(60, 60), new Point(200, 220), new Point(90, 240)));
        Optional<float[]> image = Optional.empty();
        for (int i = 0; i < WARM_UP_DRAWINGS; i++) {
            image = DigitPreprocessor.toMnist(StrokeRasterizer.rasterize(dummy, CANVAS, CANVAS, PEN), CANVAS);
            if (!pause()) {
                return;
            }
        }
        float[] input = Batches.normalised(image.orElse(new float[Architecture.INPUT_SIDE * Architecture.INPUT_SIDE]));
        List<PlainForward> passes = List.of(
                PlainForward.untrained(Architecture.parse(Presets.DRILL_ARCHITECTURE), false, 1),
                PlainForward.untrained(Architecture.parse(Presets.DEEPER_ARCHITECTURE), true, 2));
        double[] probabilities = new double[Architecture.CLASSES];
        for (int i = 0; i < WARM_UP_PLAIN_PASSES; i++) {
            for (PlainForward pass : passes) {
                pass.output(input, probabilities);
            }
            if (!pause()) {
                return;
            }
        }
    }

    /** Sleeps 2 ms; false when interrupted (the pool is shutting down). */
    private static boolean pause() {
        try {
            Thread.sleep(2);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The drawing changed (FX thread): {@code current} is copied. */
    public void update(List<List<Point>> current) {
        List<List<Point>> copy = new ArrayList<>(current.size());
        for (List<Point> s : current) {
            copy.add(List.copyOf(s));
        }
        strokes = List.copyOf(copy);
        request();
    }

    /** The newest snapshot of the training and its description, to go back to when "follow" is ticked again. */
    private Predictor latestSnapshot;
    private String latestSnapshotDescription;

    /** A new run starts: the last run's snapshot is no longer the training's to go back to. */
    public void forgetTrainingSnapshot() {
        latestSnapshot = null;
        latestSnapshotDescription = null;
    }

    /** A snapshot of the model in training (follows it unless the user picked a saved run). */
    public void offerTrainingSnapshot(Predictor snapshot, String description) {
        if (snapshot == null) {
            return;
        }
        latestSnapshot = snapshot;
        latestSnapshotDescription = description;
        if (followTraining.get()) {
            setModel(snapshot, description);
        }
    }

    /** A saved run's model, chosen by the user: stops following the training. */
    public void useSavedModel(Predictor predictor, String description) {
        followTraining.set(false);
        setModel(predictor, description);
    }

    /**
     * Warms {@code predictor} up, then (FX thread) makes it the model unless a newer one came. The plain pass is
     * built and compiled on the warm-up pool (compiled code serves every thread); a model only DL4J runs is warmed up
     * on the prediction thread itself, since DL4J's workspaces are per thread.
     */
    private void setModel(Predictor predictor, String description) {
        offered = predictor;
        if (predictor == model.get()) { // the current model again: warm already
            modelDescription.set(description);
            return;
        }
        warmUps.execute(() -> {
            long t0 = System.nanoTime();
            boolean plain;
            try {
                plain = predictor.plainForward().isPresent();
            } catch (RuntimeException e) {
                plain = false; // DL4J's own pass then, which reports what is wrong with the model
            }
            if (plain) {
                warmUp(predictor, description, WARM_UP_PLAIN_RUNS, t0);
            } else {
                executor.execute(() -> warmUp(predictor, description, 3, System.nanoTime()));
            }
        });
    }

    /** {@code runs} predictions of a blank image, then the model takes over (FX thread) unless a newer one came. */
    private void warmUp(Predictor predictor, String description, int runs, long t0) {
        try {
            float[] blank = new float[28 * 28];
            blank[14 * 28 + 14] = 1;
            float[] input = Batches.normalised(blank);
            for (int i = 0; i < runs; i++) {
                predictor.predictOne(input);
            }
        } catch (RuntimeException e) {
            // a broken model shows its error on the first real prediction
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        LearnedFilters learned;
        String problem;
        try {
            learned = LearnedFilters.of(predictor.network());
            problem = null;
        } catch (RuntimeException e) {
            learned = null;
            problem = "No filters to show: " + Fx.message(e);
        }
        LearnedFilters modelFilters = learned;
        String filtersMessage = problem;
        Fx.run(() -> {
            timingListener.onWarmUp(millis);
            if (offered == predictor) {
                model.set(predictor);
                modelDescription.set(description);
                filters.set(modelFilters);
                filtersProblem.set(filtersMessage);
                request();
            }
        });
    }

    private void request() {
        updateHint();
        pending.set(new Request(strokes, model.get(), System.nanoTime()));
        if (working.compareAndSet(false, true)) {
            executor.execute(this::work);
        }
    }

    private void work() {
        while (true) {
            Request r = pending.getAndSet(null);
            if (r == null) {
                working.set(false);
                // a request may have slipped in between the poll and the flag
                if (pending.get() != null && working.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            try {
                predict(r);
            } catch (RuntimeException e) {
                String message = Fx.message(e);
                Fx.run(() -> hint.set("Prediction failed: " + message));
            }
        }
    }

    private void predict(Request r) {
        newest = r;
        long wallClock = System.currentTimeMillis();
        long t0 = System.nanoTime();
        float[] ink = StrokeRasterizer.rasterize(r.strokes(), CANVAS, CANVAS, PEN);
        Optional<float[]> mnist = DigitPreprocessor.toMnist(ink, CANVAS);
        if (mnist.isEmpty() || r.model() == null) {
            float[] image = mnist.orElse(null);
            Fx.run(() -> publish(r, image, null, null, Double.NaN, Double.NaN, wallClock));
            return;
        }
        float[] input = Batches.normalised(mnist.get());
        long t1 = System.nanoTime();
        // the plain pass when the model supports it (then t2 - t1 is that pass alone, with the feature maps it
        // computed on the way), else DL4J's output() and feedForward()
        PlainForward.Trace traced = r.model().trace(input);
        double[] p = traced.probabilities();
        long t2 = System.nanoTime();
        Fx.run(() -> publish(r, mnist.get(), p, traced, (t2 - t0) / 1e6, (t2 - t1) / 1e6, wallClock));
        Optional<PlainForward> plain = r.model().plainForward();
        if (plain.isEmpty()) {
            Fx.run(() -> saliencyNote.set("No saliency map for this model: it needs the plain forward pass, "
                    + "which does not support every layer of it."));
            return;
        }
        pendingSweep.set(new Sweep(r, plain.get(), mnist.get()));
        if (sweeping.compareAndSet(false, true)) {
            warmUps.execute(this::sweep);
        }
    }

    /** Runs the newest pending saliency sweep, then any that came meanwhile (one at a time, on the niced pool). */
    private void sweep() {
        while (true) {
            Sweep s = pendingSweep.getAndSet(null);
            if (s == null) {
                sweeping.set(false);
                if (pendingSweep.get() != null && sweeping.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            if (newest != s.request() || pending.get() != null) {
                continue; // a newer drawing came: its own sweep follows
            }
            try {
                long t0 = System.nanoTime();
                OcclusionSaliency.Maps maps = OcclusionSaliency.of(s.plain(), s.digit(),
                        () -> newest != s.request() || pending.get() != null);
                if (maps != null) {
                    double millis = (System.nanoTime() - t0) / 1e6;
                    Fx.run(() -> {
                        if (shownRequest == s.request()) {
                            timingListener.onSaliency(millis);
                            saliency.set(maps);
                            saliencyNote.set("");
                        }
                    });
                }
            } catch (RuntimeException e) {
                String message = Fx.message(e);
                Fx.run(() -> saliencyNote.set("No saliency map: " + message));
            }
        }
    }

    private void publish(Request r, float[] image, double[] p, PlainForward.Trace traced, double millis,
                         double networkMillis, long wallClock) {
        shownRequest = r;
        long requestedNanos = r.requestedNanos();
        int best = -1;
        if (p != null) {
            best = 0;
            for (int i = 1; i < p.length; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
            lastMillis.set(millis);
            timingListener.onPrediction(new PredictionTiming(millis, networkMillis,
                    (System.nanoTime() - requestedNanos) / 1e6, wallClock));
        }
        if (p == null) {
            saliencyDigit.set(-1); // a new digit starts with its predicted class's map
        }
        saliency.set(null); // the maps of the digit before; this one's follow
        predicted.set(best);
        preview.set(image);
        trace.set(traced);
        probabilities.set(p);
        if (p != null) {
            predictions.set(predictions.get() + 1);
        }
        updateHint();
    }

    private void updateHint() {
        boolean empty = strokes.stream().allMatch(List::isEmpty);
        if (empty) {
            hint.set("Draw a digit from 0 to 9 in the black square — large, like on paper. "
                    + "The network's guess appears here as you draw.");
        } else if (model.get() == null) {
            hint.set("No model to ask yet. Start a training (a snapshot arrives after each epoch) or open a saved "
                    + "run and choose \"Use its model\".");
        } else {
            hint.set(null);
        }
    }

    public ReadOnlyObjectProperty<Predictor> modelProperty() {
        return model.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty modelDescriptionProperty() {
        return modelDescription.getReadOnlyProperty();
    }

    public BooleanProperty followTrainingProperty() {
        return followTraining;
    }

    public ReadOnlyObjectProperty<float[]> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<double[]> probabilitiesProperty() {
        return probabilities.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty predictedProperty() {
        return predicted.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty lastMillisProperty() {
        return lastMillis.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty predictionsProperty() {
        return predictions.getReadOnlyProperty();
    }

    /** The feature maps of the digit shown (from the pass that gave its probabilities), or null. */
    public ReadOnlyObjectProperty<PlainForward.Trace> traceProperty() {
        return trace.getReadOnlyProperty();
    }

    /** The occlusion maps of the digit shown, every class's, or null until they are swept. */
    public ReadOnlyObjectProperty<OcclusionSaliency.Maps> saliencyProperty() {
        return saliency.getReadOnlyProperty();
    }

    /** The class whose saliency map to show; -1 (the default, and after a clear) for the predicted one. */
    public IntegerProperty saliencyDigitProperty() {
        return saliencyDigit;
    }

    /** Why there is no saliency map, when there cannot be one; empty otherwise. */
    public ReadOnlyStringProperty saliencyNoteProperty() {
        return saliencyNote.getReadOnlyProperty();
    }

    /** The class whose map is shown: the one picked, else the predicted one (-1 without a prediction). */
    public int shownSaliencyDigit() {
        return saliencyDigit.get() >= 0 ? saliencyDigit.get() : predicted.get();
    }

    /** What the model's filters learned, or null (no model, or one whose first layer cannot be shown). */
    public ReadOnlyObjectProperty<LearnedFilters> filtersProperty() {
        return filters.getReadOnlyProperty();
    }

    /** Why the model has no filters to show, or null. */
    public ReadOnlyStringProperty filtersProblemProperty() {
        return filtersProblem.getReadOnlyProperty();
    }
}
