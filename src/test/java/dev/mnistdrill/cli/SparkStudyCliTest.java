package dev.mnistdrill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.train.EpochMetrics;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.TrainingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Studies on Apache Spark, embedded (local mode): the same runs as a local study, and clear refusals. */
class SparkStudyCliTest {
    /** 2 settings x 1 seed, 1 epoch on 500 digits. */
    private static final List<String> TINY = List.of("study", "--preset", "code1", "--epochs", "1", "--subset", "500",
            "--seeds", "1", "--grid", "dropout=0,0.1", "--last", "1", "--no-progress");

    @Test
    void aStudyOnSparkGivesTheLocalStudysRunsMetricForMetric(@TempDir Path dir) {
        TestData.mnist();
        Path localRuns = dir.resolve("local").resolve("runs");
        Path sparkRuns = dir.resolve("spark").resolve("runs");
        CliRun local = CliRun.of(TINY, "--runs", localRuns.toString());
        assertEquals(0, local.exit(), local.out() + local.err());
        CliRun spark = CliRun.of(TINY, "--runs", sparkRuns.toString(), "--spark", "local[2]",
                "--spark-conf", "spark.ui.enabled=false");
        assertEquals(0, spark.exit(), spark.out() + spark.err());
        assertTrue(spark.out().contains("on Spark at local[2]"), spark.out());

        Map<String, RunRecord> byId = CliRun.runs(localRuns).stream()
                .collect(Collectors.toMap(RunRecord::id, Function.identity()));
        List<RunRecord> onSpark = CliRun.runs(sparkRuns);
        assertEquals(2, onSpark.size());
        assertEquals(byId.keySet(), onSpark.stream().map(RunRecord::id).collect(Collectors.toSet()),
                "the same deterministic member ids");
        for (RunRecord s : onSpark) {
            RunRecord l = byId.get(s.id());
            assertEquals(TrainingStatus.COMPLETED, s.summary().status());
            assertTrue(s.hasModel(), "the model came back from the executor");
            assertEquals(l.config(), s.config());
            assertEquals(1, s.epochs().size());
            EpochMetrics a = l.epochs().get(0);
            EpochMetrics b = s.epochs().get(0);
            // same engine, seed and thread count: the same floats, not merely close ones
            assertEquals(a.trainAccuracy(), b.trainAccuracy(), 0.0, s.id());
            assertEquals(a.trainLoss(), b.trainLoss(), 0.0, s.id());
            assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0, s.id());
            assertEquals(a.testLoss(), b.testLoss(), 0.0, s.id());
            assertEquals(l.study().nativeThreads(), s.study().nativeThreads());
            assertEquals(l.study().seed(), s.study().seed());
        }
        String studyId = onSpark.get(0).study().studyId();
        Path verdict = dir.resolve("spark").resolve("studies").resolve(studyId).resolve(StudyStore.VERDICT_CSV);
        assertTrue(Files.isRegularFile(verdict));

        CliRun again = CliRun.of(TINY, "--runs", sparkRuns.toString(), "--spark", "local[1]",
                "--spark-conf", "spark.ui.enabled=false");
        assertEquals(0, again.exit(), again.out() + again.err());
        assertTrue(again.out().contains("2 kept from before"), again.out());
    }

    @Test
    void sparkProblemsGetAReasonAndTrainNothing(@TempDir Path dir) {
        TestData.mnist();
        Path runs = dir.resolve("runs");
        CliRun unreachable = CliRun.of(TINY, "--runs", runs.toString(), "--spark", "spark://127.0.0.1:1");
        assertEquals(1, unreachable.exit(), unreachable.out());
        assertTrue(unreachable.err().contains("cannot reach the Spark master at 127.0.0.1:1"), unreachable.err());

        CliRun badConf = CliRun.of(TINY, "--runs", runs.toString(), "--spark", "local[1]", "--spark-conf", "nokey");
        assertEquals(2, badConf.exit());
        assertTrue(badConf.err().contains("KEY=VALUE"), badConf.err());
        CliRun badCpus = CliRun.of(TINY, "--runs", runs.toString(), "--spark", "local[1]", "--spark-conf",
                "spark.task.cpus=two");
        assertEquals(2, badCpus.exit());
        assertTrue(badCpus.err().contains("spark.task.cpus must be a whole number of at least 1"), badCpus.err());

        CliRun parallel = CliRun.of(TINY, "--runs", runs.toString(), "--spark", "local[1]", "--parallel", "2");
        assertEquals(2, parallel.exit());
        assertTrue(parallel.err().contains("--parallel is for a study on this machine"), parallel.err());

        assertFalse(Files.exists(runs) && CliRun.runs(runs).size() > 0, "nothing was trained");
    }
}
