package dev.mnistdrill.cli;

import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One command line run in this JVM, as a user would run it: its exit code and what it printed. For tests. */
public record CliRun(int exit, String out, String err) {
    public static CliRun of(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            int exit = Cli.execute(args);
            return new CliRun(exit, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** {@code base} followed by {@code more}. */
    public static CliRun of(List<String> base, String... more) {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of(more));
        return of(args.toArray(String[]::new));
    }

    /** The runs stored in a runs folder. */
    public static List<RunRecord> runs(Path runs) {
        return new RunStore(runs).list(p -> { });
    }
}
