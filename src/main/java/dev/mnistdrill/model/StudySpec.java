package dev.mnistdrill.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A study: every setting of a grid, each trained on every seed, judged as one unit by a {@link DrillCriterion}.
 * Pure description: which runs a study is made of and what they are called; training them is the study runner's job.
 *
 * @param base      the config every setting starts from (its seed is ignored: the seeds below replace it)
 * @param grid      the knobs varied, in order; empty for a plain repeat of {@code base} over the seeds
 * @param seeds     the seeds, each used for every setting
 * @param criterion how each run is judged
 */
public record StudySpec(ExperimentConfig base, List<Axis> grid, List<Long> seeds, DrillCriterion criterion) {
    /** Above this many runs a study asks for confirmation ({@code --yes}). */
    public static final int CONFIRM_ABOVE_RUNS = 200;
    /** Seeds are numbered from 0 up to this (a typo like 1-50000 is caught, not trained). */
    public static final long MAX_SEED = 1_000_000;

    /** One knob of the grid and the values it takes, as given. */
    public record Axis(Knob knob, List<String> values) {
        public Axis {
            values = List.copyOf(values);
        }
    }

    /**
     * One point of the grid: the knob values it sets (in grid order) and the config they make.
     *
     * @param values empty for a study without a grid
     */
    public record Setting(Map<Knob, String> values, ExperimentConfig config) {
        /** The label and key of the one setting of a study without a grid. */
        public static final String BASE = "base";

        /** "dropout=0.05 rotation=7", or "base" without a grid. */
        public String label() {
            return values.isEmpty() ? BASE : values.entrySet().stream()
                    .map(e -> e.getKey().cliName() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }

        /** The label as a file-name part: "dropout0.05_rotation7". */
        public String key() {
            return values.isEmpty() ? BASE : values.entrySet().stream()
                    .map(e -> e.getKey().cliName() + e.getValue().replaceAll("[^A-Za-z0-9.-]+", "-"))
                    .collect(Collectors.joining("_"));
        }
    }

    /** One run of the study: a setting on a seed, with the config to train. */
    public record Member(Setting setting, long seed, ExperimentConfig config) {
    }

    public StudySpec {
        grid = List.copyOf(grid);
        seeds = List.copyOf(seeds);
    }

    /** The settings of the grid's cross product, the first knob varying slowest. */
    public List<Setting> settings() {
        List<Setting> settings = new ArrayList<>();
        expand(0, new LinkedHashMap<>(), base, settings);
        return settings;
    }

    private void expand(int axis, LinkedHashMap<Knob, String> chosen, ExperimentConfig config, List<Setting> out) {
        if (axis == grid.size()) {
            out.add(new Setting(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chosen)), config));
            return;
        }
        Axis a = grid.get(axis);
        for (String value : a.values()) {
            chosen.put(a.knob(), value.trim());
            expand(axis + 1, chosen, a.knob().apply(config, value), out);
            chosen.remove(a.knob());
        }
    }

    /** Every run: each setting on each seed, setting by setting. */
    public List<Member> members() {
        List<Member> members = new ArrayList<>();
        for (Setting s : settings()) {
            for (long seed : seeds) {
                members.add(new Member(s, seed, s.config().withSeed(seed)));
            }
        }
        return members;
    }

    public int runCount() {
        int settings = 1;
        for (Axis a : grid) {
            settings *= a.values().size();
        }
        return settings * seeds.size();
    }

    /**
     * Everything wrong with this study, before anything trains: empty or repeated grid values, a knob given twice, no
     * seeds, a repeated seed, and each setting's config problems (named by its setting).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<Knob> knobs = EnumSet.noneOf(Knob.class);
        for (Axis a : grid) {
            if (!knobs.add(a.knob())) {
                problems.add("--grid " + a.knob().cliName() + " is given twice; put all its values in one --grid");
            }
            if (a.values().isEmpty() || a.values().stream().anyMatch(String::isBlank)) {
                problems.add("--grid " + a.knob().cliName() + " has an empty value");
            } else if (new LinkedHashSet<>(a.values().stream().map(String::trim).toList()).size()
                    < a.values().size()) {
                problems.add("--grid " + a.knob().cliName() + " repeats a value");
            }
        }
        if (seeds.isEmpty()) {
            problems.add("no seeds: give --seeds, e.g. 1-5");
        } else if (new LinkedHashSet<>(seeds).size() < seeds.size()) {
            problems.add("--seeds repeats a seed");
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        try {
            java.util.Map<ExperimentConfig, String> seen = new java.util.HashMap<>();
            java.util.Map<String, String> keys = new java.util.HashMap<>();
            for (Setting s : settings()) {
                String where = grid.isEmpty() ? "" : s.label() + ": ";
                for (String p : s.config().problems()) {
                    problems.add(where + p);
                }
                if (s.config().epochs() < criterion.lastEpochs()) {
                    problems.add(where + "runs of " + s.config().epochs() + " epoch(s) can never hold over the last "
                            + criterion.lastEpochs() + "; judge them with --last " + s.config().epochs()
                            + " or train longer");
                }
                String same = seen.putIfAbsent(s.config().asTrained(), s.label());
                if (same != null) {
                    problems.add(s.label() + " is the same setting as " + same + "; give each value once");
                }
                // run ids name the setting; folders on Windows and macOS ignore case
                String key = keys.putIfAbsent(s.key().toLowerCase(java.util.Locale.ROOT), s.label());
                if (key != null && same == null) {
                    problems.add(s.label() + " and " + key + " would share a run folder name; write them alike");
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    /** This spec, or an exception listing every problem. */
    public StudySpec validated() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return this;
    }

    /**
     * The study's id: its name and a hash of what it trains (base config without its seed, grid, seeds, criterion),
     * so that the same command names the same study again and resumes it instead of starting over.
     */
    public String id() {
        String canonical = base.withSeed(0).toJson() + "|" + grid.stream()
                .map(a -> a.knob().cliName() + "=" + a.values().stream().map(String::trim)
                        .collect(Collectors.joining(",")))
                .collect(Collectors.joining(";")) + "|" + seeds + "|" + criterion.target() + "/"
                + criterion.lastEpochs();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return slug(base.name()) + "-" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deterministic run id of a member: study id, setting and seed. */
    public String runId(Member m) {
        return id() + "_" + m.setting().key() + "_seed" + m.seed();
    }

    static String slug(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]+", "_");
        return s.isEmpty() ? "study" : s;
    }

    /**
     * Parses seeds like "1-5", "1,3,7" or "1-3,10": ascending ranges, each seed at most once, 0 to {@link #MAX_SEED}.
     */
    public static List<Long> parseSeeds(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--seeds is empty; give e.g. 1-5 or 1,2,3");
        }
        List<Long> seeds = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("--seeds '" + text + "' has an empty entry");
            }
            try {
                int dash = p.indexOf('-', 1);
                long from = Long.parseLong(dash < 0 ? p : p.substring(0, dash).trim());
                long to = dash < 0 ? from : Long.parseLong(p.substring(dash + 1).trim());
                if (from < 0 || to > MAX_SEED) {
                    throw new IllegalArgumentException("--seeds: seeds are 0 to " + MAX_SEED + ", not '" + p + "'");
                }
                if (to < from) {
                    throw new IllegalArgumentException("--seeds: '" + p + "' runs backwards; write " + to + "-" + from);
                }
                if (to - from >= CONFIRM_ABOVE_RUNS * 10L) {
                    throw new IllegalArgumentException("--seeds: '" + p + "' is too many seeds");
                }
                for (long s = from; s <= to; s++) {
                    if (seeds.contains(s)) {
                        throw new IllegalArgumentException("--seeds: seed " + s + " is given twice");
                    }
                    seeds.add(s);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seeds: '" + p + "' is not a seed or a range like 1-5");
            }
        }
        return seeds;
    }

    /** Parses one {@code --grid KNOB=V1,V2,...}. */
    public static Axis parseAxis(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--grid '" + text + "' should be KNOB=V1,V2,... e.g. dropout=0,0.05,0.1");
        }
        Knob knob = Knob.byName(text.substring(0, eq));
        if (!knob.isStudyKnob()) {
            throw new IllegalArgumentException("--grid " + knob.cliName() + ": " + (knob == Knob.SEED
                    ? "a study repeats every setting over its seeds; give them with --seeds"
                    : "the name labels the study; give it with --name"));
        }
        String values = text.substring(eq + 1);
        if (values.isBlank()) {
            throw new IllegalArgumentException("--grid " + knob.cliName() + " has no values");
        }
        List<String> list = new ArrayList<>();
        for (String v : values.split(",", -1)) {
            if (v.isBlank()) {
                throw new IllegalArgumentException("--grid " + knob.cliName() + " has an empty value in '" + values
                        + "'");
            }
            list.add(v.trim());
        }
        // each value must parse on its own: "--grid bn=maybe" fails here, before anything trains
        for (String v : list) {
            knob.apply(Presets.get("code4"), v);
        }
        return new Axis(knob, list);
    }
}
