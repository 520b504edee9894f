package dev.mnistdrill.ui.util;

import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.StudySpec;
import dev.mnistdrill.train.RunRecord;
import dev.mnistdrill.train.StudyTag;
import java.util.Locale;

/** Number and duration formatting shared by the views and the report. */
public final class Formats {
    private Formats() {
    }

    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** 75 s -> "1:15", 3700 s -> "1:01:40"; negative or unknown -> "--:--". */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "--:--";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static final java.util.regex.Pattern RUN_ID =
            java.util.regex.Pattern.compile("(\\d{4})(\\d{2})(\\d{2})-(\\d{2})(\\d{2})(\\d{2})-.*");
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /**
     * "best · 29 Nov 22:45" for the run 20261129-224528-best named best: what a person tells runs apart by, where
     * the id is too long (chart legends). An id not of the run store's form is shown as it is.
     */
    public static String runLabel(String id, String name) {
        return runLabel(id, name, false);
    }

    /**
     * A run's label for legends and lists: a study's member by its setting and seed ("code4 · seed 3", "scr-ema
     * ema=0.999 · seed 3"), since its id is long and its start time says nothing; any other run as
     * {@link #runLabel(String, String)}. With {@code precise}, what tells two such labels apart: the seconds, or a
     * member's id.
     */
    public static String runLabel(RunRecord r, boolean precise) {
        StudyTag tag = r.study();
        if (tag == null) {
            return runLabel(r.id(), r.config().name(), precise);
        }
        if (precise) {
            return r.id();
        }
        String setting = tag.setting() == null || tag.setting().isBlank()
                || tag.setting().equals(StudySpec.Setting.BASE) ? "" : " " + tag.setting();
        return r.config().name() + setting + " · seed " + tag.seed();
    }

    /** {@link #runLabel(String, String)}, with the seconds ("best · 29 Nov 22:45:28") when {@code seconds}. */
    public static String runLabel(String id, String name, boolean seconds) {
        java.util.regex.Matcher m = RUN_ID.matcher(id);
        int month = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (month < 1 || month > 12) {
            return id;
        }
        return name + " · " + Integer.parseInt(m.group(3)) + " " + MONTHS[month - 1] + " " + m.group(4) + ":"
                + m.group(5) + (seconds ? ":" + m.group(6) : "");
    }

    /** The settings that differ between drill steps, on one line (a table cell's worth). */
    public static String settings(ExperimentConfig c) {
        return Knob.describe(c, Knob.Style.BRIEF);
    }

    /**
     * A layer's name as the narrow table shows it ("Conv 3x3", "BatchNorm", "Linear"); its tooltip has the whole
     * name ("Conv2d 3x3 + ReLU", "Linear (1x1 conv), no bias + softmax"), as the command line's summary prints it.
     */
    public static String compactLayerName(String name) {
        String s = name.replace("Conv2d", "Conv").replace("MaxPool2d", "MaxPool").replace("BatchNorm2d", "BatchNorm");
        int plus = s.indexOf(" +");
        s = plus > 0 ? s.substring(0, plus) : s;
        int paren = s.indexOf(" (");
        return paren > 0 ? s.substring(0, paren) : s;
    }

    /** A compact number without trailing zeros: 0.0500 -> "0.05". */
    public static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) {
            return s;
        }
        if (s.indexOf('.') >= 0) { // no regex: chart axes call this for every tick label
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        return s;
    }
}
