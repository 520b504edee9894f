package dev.mnistdrill.cli;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the command line in this JVM and captures what it prints, for the CLI tests. */
record CliRun(int exit, String out, String err) {

    static CliRun of(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int exit = Cli.execute(args.toArray(String[]::new));
            return new CliRun(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The runs in a runs folder. */
    static List<RunRecord> runs(Path runs) {
        return new RunStore(runs).list(p -> { });
    }
}
