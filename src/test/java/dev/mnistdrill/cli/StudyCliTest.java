package dev.mnistdrill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mnistdrill.TestData;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.LocalMemberExecutor;
import dev.mnistdrill.train.StudyStore;
import dev.mnistdrill.train.TrainingStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Studies end to end through the command line: member processes, the verdict, kill and resume, bad input. */
class StudyCliTest {
    /** 2 settings x 2 seeds, 1 epoch on 500 digits (judged on that one epoch): about half a minute. */
    private static final List<String> TINY = List.of("study", "--preset", "code1", "--epochs", "1", "--subset", "500",
            "--seeds", "1-2", "--grid", "dropout=0,0.1", "--last", "1", "--no-progress");

    private static CliRun run(List<String> base, String... more) {
        return CliRun.of(base, more);
    }

    private static List<RunRecord> runs(Path runs) {
        return CliRun.runs(runs);
    }

    @Test
    void aTinyStudyEndsWithFourRunsAndAVerdict(@TempDir Path dir) throws Exception {
        TestData.mnist();
        Path runs = dir.resolve("runs");
        CliRun o = run(TINY, "--runs", runs.toString());
        assertEquals(0, o.exit(), o.out() + o.err());
        List<RunRecord> members = runs(runs);
        assertEquals(4, members.size());
        assertTrue(members.stream().allMatch(r -> r.summary().status() == TrainingStatus.COMPLETED));
        assertTrue(members.stream().allMatch(r -> r.study() != null && r.hasModel()));
        assertTrue(members.stream().allMatch(r -> Integer.valueOf(LocalMemberExecutor.MEMBER_NATIVE_THREADS)
                .equals(r.study().nativeThreads())), "every member records the native threads it trained on");
        assertEquals(2, members.stream().filter(r -> r.config().dropout() == 0.1).count());
        assertTrue(o.out().contains("0 kept from before, 0 copied from earlier runs, 0 set aside, 4 to train"), o.out());
        assertTrue(o.out().contains("dropout=0.1"), o.out());
        assertTrue(o.out().contains("0/2"), "1 epoch on 500 digits is far from 99.4%: " + o.out());
        String studyId = members.get(0).study().studyId();
        Path folder = dir.resolve("studies").resolve(studyId);
        assertTrue(Files.isRegularFile(folder.resolve(StudyStore.MANIFEST_FILE)));
        assertTrue(Files.isRegularFile(folder.resolve(StudyStore.VERDICT_CSV)));
        assertTrue(Files.isRegularFile(folder.resolve(StudyStore.VERDICT_MD)));

        CliRun again = run(TINY, "--runs", runs.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("4 kept from before, 0 copied from earlier runs, 0 set aside, 0 to train"), again.out());
        assertEquals(4, runs(runs).size(), "nothing trained twice");

        // another study that needs some of these runs (same settings, same seeds) copies them instead of training
        CliRun more = run(List.of("study", "--preset", "code1", "--name", "again", "--epochs", "1", "--subset", "500",
                "--seeds", "1-3",
                "--dropout", "0.1", "--last", "1", "--no-progress", "--runs", runs.toString()));
        assertEquals(0, more.exit(), more.out() + more.err());
        assertTrue(more.out().contains("0 kept from before, 2 copied from earlier runs, 0 set aside, 1 to train"),
                more.out());
        List<RunRecord> all = runs(runs);
        assertEquals(4 + 3, all.size());
        RunRecord copy = all.stream().filter(r -> r.study() != null && r.study().copiedFrom() != null).findFirst()
                .orElseThrow();
        RunRecord original = all.stream().filter(r -> r.id().equals(copy.study().copiedFrom())).findFirst()
                .orElseThrow();
        assertEquals(original.epochs(), copy.epochs(), "the copy has the original's metrics");
        assertEquals(copy.id(), copy.summary().runId(), "the copy goes by its own id");
        assertEquals("again", copy.config().name(), "and its study's name");
        assertEquals("again", copy.summary().name());
        assertEquals(original.config().withName("again"), copy.config(), "and nothing else of the config changed");
        assertEquals(original.summary().lastWindowTestAccuracies(), copy.summary().lastWindowTestAccuracies());
        assertEquals(original.study().nativeThreads(), copy.study().nativeThreads());
        assertTrue(more.out().contains("1 at a time, 1 native thread(s) each"),
                "one run left still trains on a member's thread count, whatever the cores: " + more.out());
        assertTrue(copy.hasModel());

        // a member killed before it finished is set aside, and a completed run of its settings is copied in its place
        Path killed = copy.folder();
        Files.writeString(killed.resolve(RunStore.METRICS_FILE),
                Files.readAllLines(killed.resolve(RunStore.METRICS_FILE)).get(0) + "\n");
        Files.writeString(killed.resolve(RunStore.SUMMARY_FILE),
                Files.readString(killed.resolve(RunStore.SUMMARY_FILE)).replace("COMPLETED", "CANCELLED"));
        Files.delete(killed.resolve(RunStore.MODEL_FILE));
        CliRun resumed = run(List.of("study", "--preset", "code1", "--name", "again", "--epochs", "1", "--subset",
                "500", "--seeds", "1-3", "--dropout", "0.1", "--last", "1", "--no-progress", "--runs", runs.toString()));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("2 kept from before, 1 copied from earlier runs, 1 set aside, 0 to train"),
                resumed.out());
        RunRecord recopied = RunStore.read(killed);
        assertEquals(original.epochs(), recopied.epochs(), "copied again from the original, not trained");
        assertTrue(recopied.finishedAllEpochs() && recopied.hasModel());

        CliRun list = run(List.of("studies", "--runs", runs.toString()));
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains(studyId) && list.out().contains("completed") && list.out().contains("4/4"),
                list.out());
        CliRun csv = run(List.of("studies", "--runs", runs.toString(), "--show", studyId, "--csv"));
        assertEquals(0, csv.exit(), csv.err());
        assertEquals(3, csv.out().lines().count(), csv.out());
        CliRun md = run(List.of("studies", "--runs", runs.toString(), "--show", studyId, "--markdown"));
        assertTrue(md.out().contains("**Results.** Held on 0 of 2 seeds"), md.out());
    }

    @Test
    void aStudyWithNoRunCompleteHasNoVerdictYet(@TempDir Path dir) {
        Path runs = dir.resolve("runs");
        var spec = new dev.mnistdrill.model.StudySpec(dev.mnistdrill.model.Presets.get("code4"), List.of(),
                dev.mnistdrill.model.StudySpec.parseSeeds("1-5"), dev.mnistdrill.model.DrillCriterion.STANDARD);
        new StudyStore(new RunStore(runs)).save(spec, TrainingStatus.RUNNING);
        CliRun list = run(List.of("studies", "--runs", runs.toString()));
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains(spec.id()) && list.out().contains("0/5")
                && list.out().contains("- (no run complete yet)") && !list.out().contains("0/5  -"), list.out());
    }

    @Test
    void aStudyKilledAfterItsFirstRunResumesWithTheMissingRunsOnly(@TempDir Path dir) throws Exception {
        TestData.mnist();
        Path runs = dir.resolve("runs");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dmnistdrill.mirrors=none", "-cp", System.getProperty("java.class.path"),
                "dev.mnistdrill.app.Main"));
        cmd.addAll(TINY);
        cmd.addAll(List.of("--runs", runs.toString(), "--parallel", "1"));
        Process study = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("study.log").toFile()).start();
        Path first = null;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (first == null && System.nanoTime() < deadline && study.isAlive()) {
            first = runs(runs).stream().filter(r -> r.summary().status() == TrainingStatus.COMPLETED)
                    .map(RunRecord::folder).findFirst().orElse(null);
            Thread.sleep(100);
        }
        assertTrue(first != null, "no run completed: " + Files.readString(dir.resolve("study.log")));
        study.destroyForcibly(); // kill -9: no shutdown hook, no last word
        assertTrue(study.waitFor(30, TimeUnit.SECONDS));
        FileTime firstModel = Files.getLastModifiedTime(first.resolve(RunStore.MODEL_FILE));
        long completedBefore = runs(runs).stream().filter(r -> r.summary().status() == TrainingStatus.COMPLETED)
                .count();
        assertEquals(1, completedBefore, "killed after its first run");

        String studyId = runs(runs).get(0).study().studyId();
        CliRun status = run(List.of("studies", "--runs", runs.toString()));
        assertTrue(status.out().contains("interrupted"), status.out());

        CliRun resumed = run(List.of("study", "--resume", studyId, "--runs", runs.toString(), "--no-progress"));
        assertEquals(0, resumed.exit(), resumed.out() + resumed.err());
        assertTrue(resumed.out().contains("1 kept from before"), resumed.out());
        assertTrue(resumed.out().contains("3 to train"), resumed.out());
        List<RunRecord> after = runs(runs);
        assertEquals(4, after.size());
        assertTrue(after.stream().allMatch(r -> r.summary().status() == TrainingStatus.COMPLETED));
        assertEquals(firstModel, Files.getLastModifiedTime(first.resolve(RunStore.MODEL_FILE)),
                "the completed run was kept as it was");
        try (Stream<Path> aside = Files.exists(dir.resolve("removed-runs")) ? Files.list(dir.resolve("removed-runs"))
                : Stream.empty()) {
            assertTrue(aside.count() <= 1, "at most the one interrupted run was set aside");
        }
    }

    @Test
    void badStudyArgumentsExitWithTwoBeforeTraining(@TempDir Path dir) {
        Path runs = dir.resolve("runs");
        String[][] bad = {
            {"--grid", "colour=red,blue"},
            {"--grid", "dropout=0,,0.1"},
            {"--grid", "dropout="},
            {"--grid", "dropout=0.1,0.9"},
            {"--seeds", "5-1"},
            {"--seed", "3"},
            {"--seeds", "1-201"},
            {"--last", "0"},
            {"--epochs", "2"},
            {"--grid", "dropout=0.1,0.10"},
            {"--grid", "seed=1,2"},
            {"--parallel", "0"},
        };
        String[] expected = {"unknown knob 'colour'", "empty value", "has no values", "Dropout rate must be between",
            "runs backwards", "not --seed", "add --yes", "window must be 1 to 15", "can never hold over the last 3",
            "is the same setting as dropout=0.1", "give them with --seeds", "--parallel must be 1 to"};
        for (int i = 0; i < bad.length; i++) {
            List<String> args = new ArrayList<>(List.of("study", "--preset", "code1", "--runs", runs.toString()));
            args.addAll(List.of(bad[i]));
            CliRun o = run(args);
            assertEquals(2, o.exit(), String.join(" ", bad[i]) + ": " + o.err());
            assertTrue(o.err().contains(expected[i]), String.join(" ", bad[i]) + ": " + o.err());
        }
        assertFalse(Files.exists(runs), "nothing trained, nothing created");
        CliRun unknown = run(List.of("study", "--resume", "nope-12345678", "--runs", runs.toString()));
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no study 'nope-12345678'"), unknown.err());
        CliRun help = run(List.of("study", "--help"));
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--grid") && help.out().contains("--resume"), help.out());
    }
}
