package dev.mnistdrill.cli;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import dev.mnistdrill.train.RunSummary;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "runs", description = "List stored runs.")
public final class RunsCommand implements Callable<Integer> {
    @Mixin
    RunsOption runs;

    @Override
    public Integer call() {
        RunStore store = runs.store();
        List<String> unreadable = new java.util.ArrayList<>();
        List<RunRecord> runs = store.list(unreadable::add);
        if (runs.isEmpty() && unreadable.isEmpty()) {
            System.out.println("No runs in " + store.root() + " yet. Start one with: train --preset code1");
            return 0;
        }
        System.out.printf("%-32s %-8s %-10s %7s %7s %9s %9s %7s %6s %8s%n", "run", "preset", "status", "params",
                "epochs", "best test", "last test", ">=99.4@", "held", "minutes");
        for (RunRecord r : runs) {
            RunSummary s = r.summary();
            System.out.printf(Locale.ROOT, "%-32s %-8s %-10s %,7d %3d/%-3d %8.2f%% %8.2f%% %7s %6s %8.1f%n", r.id(),
                    s.name(), s.status(), s.trainableParams(), s.epochsCompleted(), s.epochsPlanned(),
                    100 * s.bestTestAccuracy(), 100 * s.lastTestAccuracy(),
                    s.firstEpochAtTarget() == null ? "-" : s.firstEpochAtTarget(), s.targetHeld() ? "yes" : "no",
                    s.seconds() / 60);
        }
        // a folder that cannot be read is listed as such, not left out: the user can see it and repair or remove it
        for (String problem : unreadable) {
            int colon = problem.indexOf(": ");
            System.out.printf(Locale.ROOT, "%-32s %-8s %-10s %s%n", colon < 0 ? problem : problem.substring(0, colon),
                    "?", "UNREADABLE", colon < 0 ? "" : problem.substring(colon + 2));
        }
        System.out.println("\n(runs folder: " + store.root() + ")");
        return 0;
    }
}
