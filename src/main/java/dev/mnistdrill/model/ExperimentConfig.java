package dev.mnistdrill.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that defines one drill experiment. Immutable, JSON round-trippable, and shared by the CLI, the UI and
 * the tests. Construction accepts any values so that a form can hold a half-edited config; {@link #problems()} says
 * what is wrong and {@link #validated()} refuses to go on with it.
 *
 * @param name         preset name or a user's label
 * @param architecture block spec, see {@link Architecture}
 * @param batchNorm    BatchNorm after every convolution
 * @param dropout      dropout <em>drop</em> rate after every block but the last (0-0.5; DL4J's own dropOut takes the
 *                     retain probability, the network builder converts)
 * @param rotation     training images are rotated uniformly within +-rotation degrees
 * @param translate    and shifted within +-translate pixels (0 = off)
 * @param optimizer    SGD (Nesterov momentum 0.9) or Adam
 * @param learningRate initial learning rate
 * @param lrStep       multiply the learning rate by lrGamma every lrStep epochs; 0 keeps it constant (both unused
 *                     under one cycle)
 * @param lrGamma      the step factor
 * @param batchSize    mini-batch size
 * @param epochs       epochs to train (1-50)
 * @param seed         seed for weights, shuffling, augmentation and dropout
 * @param subset       train on the first N training digits only (0 = all 60,000); the test set is always whole
 * @param ema          0, or the decay of an exponential moving average of the weights that is evaluated and saved
 *                     instead of the weights themselves (left out of the JSON when 0, so that configs and study ids
 *                     written before it existed read the same)
 * @param weightDecay  0, or the L2 coefficient added to the gradient of every convolution and output weight, as
 *                     PyTorch's SGD weight_decay does (BatchNorm's scale and shift are not decayed); left out of the
 *                     JSON when 0, as ema is
 * @param lrSchedule   how the rate moves: by {@code lrStep} and {@code lrGamma}, or in one cycle per run (which ignores
 *                     them); left out of the JSON when it is the step schedule, as ema is when off
 */
public record ExperimentConfig(String name, String architecture, boolean batchNorm, double dropout, double rotation,
                               double translate, Optimizer optimizer, double learningRate, int lrStep,
                               double lrGamma, int batchSize, int epochs, long seed, int subset,
                               @JsonInclude(JsonInclude.Include.NON_DEFAULT) double ema,
                               @JsonInclude(JsonInclude.Include.NON_DEFAULT) double weightDecay,
                               @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = StepSchedule.class)
                               LrSchedule lrSchedule) {

    public static final int MAX_EPOCHS = 50;
    public static final double MAX_DROPOUT = 0.5;
    public static final double MAX_ROTATION = 45;
    public static final double MAX_TRANSLATE = 4;
    public static final int MIN_SUBSET = 100;
    /** MNIST's training set; a subset takes its first digits. */
    public static final int MNIST_TRAINING_DIGITS = 60_000;
    /** Below this nothing is worth a run: 0.5 averages two steps. */
    public static final double MIN_EMA = 0.9;
    public static final double MAX_EMA = 0.9999;
    /** Far above what helps (1e-4 to 5e-4 are usual); more only holds the output layer's weights at zero. */
    public static final double MAX_WEIGHT_DECAY = 0.01;

    public ExperimentConfig {
        ema = ema == 0 ? 0 : ema; // -0 is off as well, and must read and hash as off
        weightDecay = weightDecay == 0 ? 0 : weightDecay;
        lrSchedule = lrSchedule == null ? LrSchedule.STEP : lrSchedule;
    }

    /** Jackson's filter that leaves the step schedule out of the JSON (true means "leave out"). */
    static final class StepSchedule {
        @Override
        public boolean equals(Object value) {
            return value == null || value == LrSchedule.STEP;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Human-readable problems, one per invalid setting, in knob order; empty when the config can be trained. */
    public List<String> problems() {
        return new ArrayList<>(Knob.problems(this).values());
    }

    /** This config, or an exception listing every problem. */
    public ExperimentConfig validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return this;
    }

    /** Whether the run tests and saves a moving average of its weights ({@link #ema}), not the weights. */
    @JsonIgnore
    public boolean averagesWeights() {
        return ema != 0;
    }

    @JsonIgnore
    public Architecture parsedArchitecture() {
        return Architecture.parse(architecture);
    }

    @JsonIgnore
    public Architecture.Summary summary() {
        return parsedArchitecture().summarize(batchNorm);
    }

    /**
     * The decay the weight average uses at training step {@code step} (1-based): the configured one, capped for a
     * warm-up at (1 + n) / (10 + n) as TensorFlow's ExponentialMovingAverage does, so that the random initial weights
     * do not hold the average back. The cap grows slowly: it reaches 0.999 only at step 8,990.
     */
    public static double averagingDecayAt(double ema, long step) {
        return Math.min(ema, (1.0 + step) / (10.0 + step));
    }

    /** The first training step at which the averaging uses its configured decay, not the warm-up's (0 when off). */
    public long averagingFullDecayStep() {
        return averagesWeights() ? averagingFullDecayStep(ema) : 0;
    }

    /** The first training step at which an average of decay {@code ema} is past its warm-up. */
    public static long averagingFullDecayStep(double ema) {
        long n = Math.max(1, (long) Math.ceil((10 * ema - 1) / (1 - ema))); // (1 + n) / (10 + n) >= ema, solved
        while (n > 1 && averagingDecayAt(ema, n - 1) >= ema) { // and made exact in floating point
            n--;
        }
        while (averagingDecayAt(ema, n) < ema) {
            n++;
        }
        return n;
    }

    /** The digits one epoch trains on: the subset, or all of MNIST's training set. */
    @JsonIgnore
    public int trainingDigits() {
        return subset == 0 ? MNIST_TRAINING_DIGITS : Math.min(subset, MNIST_TRAINING_DIGITS);
    }

    /** Training steps per epoch: batches of the training digits, the last one may be short. */
    @JsonIgnore
    public int batchesPerEpoch() {
        return (trainingDigits() + batchSize - 1) / batchSize;
    }

    /** Training steps in the whole run. */
    @JsonIgnore
    public long trainingSteps() {
        return (long) batchesPerEpoch() * epochs;
    }

    /**
     * This config as training sees it: what its schedule ignores (the LR step and gamma under one cycle) set to
     * fixed values, so that two configs that train alike compare equal.
     */
    @JsonIgnore
    public ExperimentConfig asTrained() {
        return changesRateEveryStep() ? withLrSchedule(0, 0.1) : this;
    }

    /** Whether the rate changes every step (one cycle), not only between epochs. */
    @JsonIgnore
    public boolean changesRateEveryStep() {
        return lrSchedule == LrSchedule.ONE_CYCLE;
    }

    /**
     * The learning rate at training step {@code step} (0-based, counted over the whole run): the epoch's under the
     * step schedule, the cycle's under one cycle.
     */
    public double learningRateAtStep(long step) {
        return learningRateAtStep(step, batchesPerEpoch());
    }

    /** As {@link #learningRateAtStep(long)}, for a run whose epochs are {@code stepsPerEpoch} steps. */
    public double learningRateAtStep(long step, int stepsPerEpoch) {
        if (lrSchedule == LrSchedule.ONE_CYCLE) {
            return LrSchedule.oneCycleRate(learningRate, step, (long) stepsPerEpoch * epochs);
        }
        return learningRateAt((int) (step / stepsPerEpoch) + 1);
    }

    /**
     * The learning rate at the start of {@code epoch} (1-based); the whole epoch's under the step schedule. Under one
     * cycle it needs a valid batch size and subset (it counts steps).
     */
    public double learningRateAt(int epoch) {
        if (lrSchedule == LrSchedule.ONE_CYCLE) {
            return learningRateAtStep((long) (epoch - 1) * batchesPerEpoch());
        }
        if (lrStep <= 0) {
            return learningRate;
        }
        return learningRate * Math.pow(lrGamma, (epoch - 1) / lrStep);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses JSON; missing fields take the values of the {@code code4} preset, except averaging, weight decay and the
     * LR schedule: {@link #toJson} leaves those out when off (step), so missing they are off (else every config written
     * before code4 had weight decay would read as having it).
     */
    public static ExperimentConfig fromJson(String json) {
        try {
            ExperimentConfig defaults = Presets.get("code4").withEma(0).withWeightDecay(0)
                    .withLrSchedule(LrSchedule.STEP);
            return JSON.readerForUpdating(new Mutable(defaults)).<Mutable>readValue(json).toConfig();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a valid experiment config: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ExperimentConfig withName(String v) {
        return with(m -> m.name = v);
    }

    public ExperimentConfig withArchitecture(String v) {
        return with(m -> m.architecture = v);
    }

    public ExperimentConfig withBatchNorm(boolean v) {
        return with(m -> m.batchNorm = v);
    }

    public ExperimentConfig withDropout(double v) {
        return with(m -> m.dropout = v);
    }

    public ExperimentConfig withRotation(double v) {
        return with(m -> m.rotation = v);
    }

    public ExperimentConfig withTranslate(double v) {
        return with(m -> m.translate = v);
    }

    public ExperimentConfig withOptimizer(Optimizer v) {
        return with(m -> m.optimizer = v);
    }

    public ExperimentConfig withLearningRate(double v) {
        return with(m -> m.learningRate = v);
    }

    public ExperimentConfig withLrSchedule(int step, double gamma) {
        return with(m -> {
            m.lrStep = step;
            m.lrGamma = gamma;
        });
    }

    public ExperimentConfig withLrSchedule(LrSchedule v) {
        return with(m -> m.lrSchedule = v);
    }

    public ExperimentConfig withBatchSize(int v) {
        return with(m -> m.batchSize = v);
    }

    public ExperimentConfig withEpochs(int v) {
        return with(m -> m.epochs = v);
    }

    public ExperimentConfig withSeed(long v) {
        return with(m -> m.seed = v);
    }

    public ExperimentConfig withSubset(int v) {
        return with(m -> m.subset = v);
    }

    public ExperimentConfig withEma(double v) {
        return with(m -> m.ema = v);
    }

    public ExperimentConfig withWeightDecay(double v) {
        return with(m -> m.weightDecay = v);
    }

    /** A copy with {@code change} applied: the one place that lists every field for the withers. */
    private ExperimentConfig with(java.util.function.Consumer<Mutable> change) {
        Mutable m = new Mutable(this);
        change.accept(m);
        return m.toConfig();
    }

    /** Jackson's target for partial JSON (starts from a full config so absent fields keep their values); withers' too. */
    private static final class Mutable {
        public String name;
        public String architecture;
        public boolean batchNorm;
        public double dropout;
        public double rotation;
        public double translate;
        public Optimizer optimizer;
        public double learningRate;
        public int lrStep;
        public double lrGamma;
        public int batchSize;
        public int epochs;
        public long seed;
        public int subset;
        public double ema;
        public double weightDecay;
        public LrSchedule lrSchedule;

        Mutable(ExperimentConfig c) {
            name = c.name;
            architecture = c.architecture;
            batchNorm = c.batchNorm;
            dropout = c.dropout;
            rotation = c.rotation;
            translate = c.translate;
            optimizer = c.optimizer;
            learningRate = c.learningRate;
            lrStep = c.lrStep;
            lrGamma = c.lrGamma;
            batchSize = c.batchSize;
            epochs = c.epochs;
            seed = c.seed;
            subset = c.subset;
            ema = c.ema;
            weightDecay = c.weightDecay;
            lrSchedule = c.lrSchedule;
        }

        ExperimentConfig toConfig() {
            return new ExperimentConfig(name, architecture, batchNorm, dropout, rotation, translate, optimizer,
                    learningRate, lrStep, lrGamma, batchSize, epochs, seed, subset, ema, weightDecay,
                    lrSchedule);
        }
    }
}
