package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Presets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
    private static EpochMetrics epoch(int n, double test) {
        return new EpochMetrics(n, 0.99, 0.03, test, 0.02, 0.01, 30, 2000);
    }

    @Test
    void runKilledMidWayStaysReadable(@TempDir Path root) throws Exception {
        RunStore store = new RunStore(root);
        ExperimentConfig config = Presets.get("code4").withEpochs(3);
        Path folder = store.create(config);
        RunStore.appendMetrics(folder, epoch(1, 0.985));
        RunStore.appendMetrics(folder, epoch(2, 0.991));
        // the process dies while writing the third row
        Files.writeString(folder.resolve(RunStore.METRICS_FILE), "3,0.99", StandardOpenOption.APPEND);
        RunRecord run = RunStore.read(folder);
        assertEquals(config, run.config());
        assertEquals(2, run.epochs().size());
        assertEquals(0.991, run.summary().bestTestAccuracy(), 1e-9);
        assertEquals(TrainingStatus.INTERRUPTED, run.summary().status());
        assertFalse(run.hasModel());
    }

    @Test
    void aRunningRunIsInterruptedOnceNoProcessHoldsIt(@TempDir Path root) {
        RunStore store = new RunStore(root);
        ExperimentConfig config = Presets.get("code2");
        Path folder = store.create(config);
        RunRecorder recorder = new RunRecorder(folder, config);
        recorder.onStart(new TrainingStart(config, 6560, 6712, 60000, 10000, 469, "test", folder));
        assertEquals(TrainingStatus.RUNNING, RunStore.read(folder).summary().status(), "held by this process");
        recorder.onFinish(new TrainingResult(TrainingStatus.CANCELLED, List.of(), 1, null));
        assertEquals(TrainingStatus.CANCELLED, RunStore.read(folder).summary().status());

        // a process killed mid-run leaves summary.json saying RUNNING, and nobody holding the lock
        Path killed = store.create(config.withName("killed"));
        RunStore.writeSummary(killed, RunSummary.of(killed.getFileName().toString(), "killed", TrainingStatus.RUNNING,
                6560, 6712, List.of(epoch(1, 0.98)), 15, 40, "", null));
        RunStore.appendMetrics(killed, epoch(1, 0.98));
        RunRecord record = RunStore.read(killed);
        assertEquals(TrainingStatus.INTERRUPTED, record.summary().status());
        assertEquals(1, record.summary().epochsCompleted());
    }

    @Test
    void removingARunMovesItAsideAndRefusesALiveOne(@TempDir Path home) throws Exception {
        RunStore store = new RunStore(home.resolve("runs"));
        ExperimentConfig config = Presets.get("code1").withEpochs(2);
        Path done = store.create(config);
        RunStore.appendMetrics(done, epoch(1, 0.97));
        Path moved = store.remove(done);
        assertEquals(home.resolve("removed-runs").resolve(done.getFileName()), moved);
        assertFalse(Files.exists(done));
        assertEquals(1, RunStore.read(moved).epochs().size(), "moved whole, readable where it went");
        assertTrue(store.list(p -> { }).isEmpty());

        Path again = Files.createDirectories(done); // a run of the same id, removed too: kept beside the first
        Files.copy(moved.resolve(RunStore.CONFIG_FILE), again.resolve(RunStore.CONFIG_FILE));
        assertEquals(moved.resolveSibling(done.getFileName() + "-2"), store.remove(again));

        Path live = store.create(config);
        RunRecorder recorder = new RunRecorder(live, config);
        recorder.onStart(new TrainingStart(config, 6560, 6712, 60000, 10000, 469, "test", live));
        assertThrows(IllegalStateException.class, () -> store.remove(live));
        assertTrue(Files.isDirectory(live), "a run in training stays");
        recorder.onFinish(new TrainingResult(TrainingStatus.CANCELLED, List.of(), 1, null));

        assertThrows(IllegalArgumentException.class, () -> store.remove(home), "not a run of the store");
        assertThrows(IllegalArgumentException.class, () -> store.remove(moved), "not in the store any more");
    }

    @Test
    void summaryFindsFirstTargetEpochAndHeldWindow() {
        List<EpochMetrics> epochs = new ArrayList<>();
        double[] tests = {0.98, 0.99, 0.9941, 0.993, 0.994, 0.9942, 0.9945, 0.9943, 0.9944};
        for (int i = 0; i < tests.length; i++) {
            epochs.add(epoch(i + 1, tests[i]));
        }
        RunSummary s = RunSummary.of("r", "code4", TrainingStatus.COMPLETED, 6560, 6712, epochs, 9, 100, "", null);
        assertEquals(3, s.firstEpochAtTarget());
        assertEquals(DrillCriterion.DEFAULT_LAST, s.window());
        assertEquals(List.of(0.9945, 0.9943, 0.9944), s.lastWindowTestAccuracies());
        assertTrue(s.targetHeld());
        RunSummary overBudget = RunSummary.of("r", "big", TrainingStatus.COMPLETED, 10_000, 10_100, epochs, 9, 1, "",
                null);
        assertFalse(overBudget.targetHeld(), "10,000 parameters is not fewer than 10,000");
        assertEquals(7, s.bestTestEpoch());
        RunSummary unfinished = RunSummary.of("r", "code4", TrainingStatus.CANCELLED, 1, 1, epochs, 15, 1, "", null);
        assertFalse(unfinished.targetHeld(), "a run that stopped early has not held the target over its last epochs");
        RunSummary never = RunSummary.of("r", "c", TrainingStatus.COMPLETED, 1, 1, epochs.subList(0, 2), 2, 1, "", null);
        assertNull(never.firstEpochAtTarget());
    }

    @Test
    void listSkipsBrokenFoldersAndBrokenModelsGiveAClearMessage(@TempDir Path root) throws Exception {
        RunStore store = new RunStore(root);
        Path good = store.create(Presets.get("code1"));
        RunStore.writeNotes(good, new RunNotes("my target", "my analysis"));
        Files.createDirectories(root.resolve("not-a-run"));
        Path broken = Files.createDirectories(root.resolve("zz-broken"));
        Files.writeString(broken.resolve(RunStore.CONFIG_FILE), "{ this is not json");
        List<String> problems = new ArrayList<>();
        List<RunRecord> runs = store.list(problems::add);
        assertEquals(1, runs.size());
        assertEquals("my analysis", runs.get(0).notes().analysis());
        assertEquals(2, problems.size(), problems.toString());

        Files.writeString(good.resolve(RunStore.MODEL_FILE), "garbage");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunStore.loadModel(good.resolve(RunStore.MODEL_FILE)));
        assertTrue(e.getMessage().contains("is not a readable MNIST Drill model"), e.getMessage());
        assertTrue(Files.exists(good.resolve(RunStore.CONFIG_FILE)), "nothing is deleted");
        assertThrows(IllegalArgumentException.class, () -> store.resolveModel("no-such-run"));
    }
}
