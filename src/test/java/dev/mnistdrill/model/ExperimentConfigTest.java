package dev.mnistdrill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentConfigTest {
    @Test
    void jsonRoundTripKeepsEveryField() {
        ExperimentConfig c = Presets.get("best").withSeed(99).withSubset(5000).withOptimizer(Optimizer.ADAM);
        String json = c.toJson();
        assertTrue(json.contains("\"dropout\""), json);
        assertEquals(c, ExperimentConfig.fromJson(json));
    }

    @Test
    void partialJsonTakesDefaultsFromCode4() {
        ExperimentConfig c = ExperimentConfig.fromJson("{\"name\":\"mine\",\"rotation\":5,\"unknownField\":1}");
        assertEquals("mine", c.name());
        assertEquals(5, c.rotation());
        assertEquals(Presets.get("code4").learningRate(), c.learningRate());
        assertEquals(0, c.weightDecay(), "left out means off, as toJson leaves it out when off");
        ExperimentConfig best = Presets.get("best");
        assertEquals(best, ExperimentConfig.fromJson(best.toJson()), "weight decay and averaging written, read back");
        ExperimentConfig plain = best.withWeightDecay(0).withEma(0);
        assertEquals(plain, ExperimentConfig.fromJson(plain.toJson()), "both left out when off, and read as off");
    }

    @Test
    void brokenJsonIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.fromJson("{\"dropout\": \"lots\"}"));
        assertTrue(e.getMessage().startsWith("not a valid experiment config"), e.getMessage());
    }

    @Test
    void everyInvalidSettingIsNamed() {
        ExperimentConfig bad = new ExperimentConfig("x", "c8 p p p p p gap", true, 0.7, -1, 9, null, 0, -1, 2, 4, 0,
                1, 50, 1, -1, null);
        List<String> problems = bad.problems();
        assertEquals(13, problems.size(), problems.toString());
        assertTrue(problems.contains(AVERAGING_PROBLEM), problems.toString());
        assertTrue(problems.get(0).startsWith("Architecture: the image shrinks to nothing"), problems.get(0));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("Dropout rate must be between 0 and 0.5")));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, bad::validated);
        assertEquals(problems, e.problems());
        assertTrue(e.getMessage().contains("Epochs must be 1 to 50"));
    }

    @Test
    void presetsAreValid() {
        for (String name : Presets.names()) {
            assertTrue(Presets.get(name).problems().isEmpty(), name);
        }
        assertThrows(IllegalArgumentException.class, () -> Presets.get("code9"));
    }

    @Test
    void stepScheduleDecaysEveryStepEpochs() {
        ExperimentConfig c = Presets.get("code4").withLearningRate(0.1).withLrSchedule(6, 0.1);
        assertEquals(0.1, c.learningRateAt(1), 1e-12);
        assertEquals(0.1, c.learningRateAt(6), 1e-12);
        assertEquals(0.01, c.learningRateAt(7), 1e-12);
        assertEquals(0.001, c.learningRateAt(13), 1e-12);
        assertEquals(0.1, c.withLrSchedule(0, 0.1).learningRateAt(15), 1e-12);
    }
    @Test
    void changesFromItsPresetAreListedWithBothValues() {
        ExperimentConfig code3 = Presets.get("code3");
        assertEquals(List.of(), Presets.changes(code3));
        assertEquals(List.of(), Presets.changes(code3.withSeed(7)), "another seed repeats the experiment");
        assertEquals(List.of("dropout 0.1 (preset 0.05)", "subset 2000 (preset all)"),
                Presets.changes(code3.withDropout(0.1).withSubset(2000)));
        assertEquals(List.of("BatchNorm off (preset on)", "optimizer adam (preset sgd)"),
                Presets.changes(code3.withBatchNorm(false).withOptimizer(Optimizer.ADAM)));
        assertEquals(List.of(), Presets.changes(code3.withName("mine").withDropout(0.3)), "not named after a preset");
    }

    private static final String AVERAGING_PROBLEM = "Averaging must be 0 (off) or a decay from 0.9 to 0.9999";

    @Test
    void weightDecayIsOffOrUpToOnePercent() {
        ExperimentConfig code4 = Presets.get("code4").withWeightDecay(0);
        assertFalse(code4.toJson().contains("weightDecay"), "left out when off: configs and study ids stay as before");
        ExperimentConfig decayed = code4.withWeightDecay(0.0005);
        assertTrue(decayed.toJson().contains("\"weightDecay\" : 5.0E-4"), decayed.toJson());
        assertEquals(decayed, ExperimentConfig.fromJson(decayed.toJson()));
        for (double ok : new double[] {0, 1e-5, 0.0005, 0.01}) {
            assertTrue(code4.withWeightDecay(ok).problems().isEmpty(), ok + " " + code4.withWeightDecay(ok).problems());
        }
        for (double bad : new double[] {-1e-4, 0.011, 1, Double.NaN}) {
            assertEquals(List.of("Weight decay must be 0 (off) to 0.01"), code4.withWeightDecay(bad).problems());
        }
        assertEquals(code4.toJson(), code4.withWeightDecay(-0.0).toJson());
        assertEquals("weight decay 0.0005", Knob.WEIGHT_DECAY.phrase(decayed, Knob.Style.FULL));
        assertEquals(List.of("weight decay 0 (preset 0.0005)"), Presets.changes(code4));
        assertTrue(Presets.changes(decayed).isEmpty(), "code4 as shipped");
    }

    @Test
    void averagingIsOffOrARealAverage() {
        ExperimentConfig code4 = Presets.get("code4");
        for (double ok : new double[] {0, 0.9, 0.999, 0.9999}) {
            assertTrue(code4.withEma(ok).problems().isEmpty(), ok + " " + code4.withEma(ok).problems());
        }
        for (double bad : new double[] {1e-9, 0.5, 0.89, 0.99995, 1, -0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertEquals(List.of(AVERAGING_PROBLEM), code4.withEma(bad).problems(), "ema " + bad);
        }
        ExperimentConfig minusZero = code4.withEma(-0.0);
        assertFalse(minusZero.averagesWeights());
        assertEquals(code4, minusZero, "-0 is off, and the same experiment as 0");
        assertEquals(code4.toJson(), minusZero.toJson(), "so it names the same study");
    }

    @Test
    void theAveragingWarmUpOutlastsBestsRun() {
        ExperimentConfig best = Presets.get("best");
        assertEquals(469L * 15, best.trainingSteps(), "60,000 digits in batches of 128, the last one short");
        assertEquals(8_990, best.averagingFullDecayStep(), "(1 + n) / (10 + n) reaches 0.999 at n = 8,990");
        assertTrue(best.averagingFullDecayStep() > best.trainingSteps());
        assertEquals(0.99872, ExperimentConfig.averagingDecayAt(best.ema(), best.trainingSteps()), 1e-5);
        // so every decay from about 0.9988 up averages alike in that run: 0.9995 is 0.999 there
        for (long n = 1; n <= best.trainingSteps(); n++) {
            assertEquals(ExperimentConfig.averagingDecayAt(0.999, n), ExperimentConfig.averagingDecayAt(0.9995, n));
        }
        for (double d : new double[] {0.9, 0.99, 0.995, 0.999, 0.9995, 0.9999}) {
            long n = best.withEma(d).averagingFullDecayStep();
            assertTrue(ExperimentConfig.averagingDecayAt(d, n) >= d && ExperimentConfig.averagingDecayAt(d, n - 1) < d,
                    d + ": the first step at the full decay, " + n);
        }
        assertEquals(0, best.withEma(0).averagingFullDecayStep());
        assertEquals(4 * 15, best.withSubset(500).trainingSteps());
    }

    /** PyTorch's OneCycleLR(max_lr, total_steps) with its defaults, at the points its formula pins down. */
    @Test
    void oneCycleClimbsToItsPeakInThirtyPercentAndAnnealsToNearlyZero() {
        ExperimentConfig c = Presets.get("code4").withLrSchedule(LrSchedule.ONE_CYCLE).withLearningRate(0.1)
                .withSubset(1000).withEpochs(10); // 8 steps an epoch, 80 in all; warm-up ends at 0.3 * 80 - 1 = 23
        assertEquals(80, c.trainingSteps());
        assertEquals(0.1 / 25, c.learningRateAtStep(0), 1e-15);
        assertEquals(0.1, c.learningRateAtStep(23), 1e-15);
        assertEquals(0.1 / 25 / 1e4, c.learningRateAtStep(79), 1e-15);
        double quarterUp = 0.1 / 25 + (0.1 - 0.1 / 25) * (1 - Math.cos(Math.PI / 4)) / 2; // a cosine, not a line
        assertEquals(quarterUp, LrSchedule.oneCycleRate(0.1, 5, 70), 1e-15, "70 steps: 5 is a quarter of 0.3 * 70 - 1");
        for (long step = 1; step < 80; step++) {
            double before = c.learningRateAtStep(step - 1);
            double now = c.learningRateAtStep(step);
            assertTrue(step <= 23 ? now > before : now < before, "up to the peak, then down, at step " + step);
        }
        assertEquals(c.learningRateAtStep(16), c.learningRateAt(3), "an epoch's rate is its first step's");
        assertEquals(0.1, c.withLrSchedule(LrSchedule.STEP).withLrSchedule(0, 0.1).learningRateAtStep(79));
    }

    @Test
    void theStepScheduleLeavesTheJsonAsBeforeOneCycleExisted() {
        ExperimentConfig code4 = Presets.get("code4");
        assertFalse(code4.toJson().contains("lrSchedule"), code4.toJson());
        ExperimentConfig cycled = code4.withLrSchedule(LrSchedule.ONE_CYCLE);
        assertTrue(cycled.toJson().contains("\"lrSchedule\" : \"onecycle\""), cycled.toJson());
        assertEquals(cycled, ExperimentConfig.fromJson(cycled.toJson()));
        assertEquals(LrSchedule.STEP, ExperimentConfig.fromJson("{\"name\": \"old\"}").lrSchedule());
        assertTrue(cycled.withLrSchedule(0, 7).problems().isEmpty(), "its step and gamma are unused, not wrong");
        assertEquals(cycled.withLrSchedule(5, 0.2).asTrained(), cycled.withLrSchedule(7, 0.1).asTrained());
        assertEquals(List.of("lr-step=7 is the same setting as lr-step=5; give each value once"), new StudySpec(
                cycled, List.of(new StudySpec.Axis(Knob.LR_STEP, List.of("5", "7"))), List.of(1L),
                DrillCriterion.STANDARD).problems());
        assertThrows(IllegalArgumentException.class,
                () -> ExperimentConfig.fromJson("{\"lrSchedule\": \"cosine\"}"));
    }

    @Test
    void weightAveragingOffLeavesTheJsonAndStudyIdsAsBeforeItExisted() {
        ExperimentConfig code4 = Presets.get("code4");
        assertFalse(code4.toJson().contains("ema"), code4.toJson());
        // the committed five-seed study of code3 (docs/results/studies/code3-3671dce1) keeps its id
        assertEquals("code3-3671dce1", new StudySpec(Presets.get("code3"), List.of(), StudySpec.parseSeeds("1-5"),
                DrillCriterion.STANDARD).id());
        ExperimentConfig averaged = code4.withEma(0.999);
        assertTrue(averaged.toJson().contains("\"ema\" : 0.999"), averaged.toJson());
        assertEquals(averaged, ExperimentConfig.fromJson(averaged.toJson()));
        assertEquals(0, ExperimentConfig.fromJson("{\"name\": \"old\"}").ema(), "a config from before reads as off");
    }
}
