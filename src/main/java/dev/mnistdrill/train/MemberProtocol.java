package dev.mnistdrill.train;

import java.util.Locale;

/**
 * The lines a member process prints on its standard output for the study runner: how many training images it has
 * done and at what rate. Everything else it prints is ignored. Kept as plain text so that any runner (local, or a
 * cluster task's log) can read it.
 */
public final class MemberProtocol {
    static final String PREFIX = "@member ";

    /** Progress of one member: training images done so far (all epochs) and the current images/s. */
    public record Report(long imagesDone, double imagesPerSecond) {
    }

    private MemberProtocol() {
    }

    public static String format(long imagesDone, double imagesPerSecond) {
        return String.format(Locale.ROOT, "%s%d %.1f", PREFIX, imagesDone, imagesPerSecond);
    }

    /** The report in {@code line}, or null for any other line. */
    public static Report parse(String line) {
        if (line == null || !line.startsWith(PREFIX)) {
            return null;
        }
        String[] f = line.substring(PREFIX.length()).trim().split("\\s+");
        try {
            return new Report(Long.parseLong(f[0]), Double.parseDouble(f[1]));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
