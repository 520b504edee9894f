package dev.mnistdrill.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mnistdrill.model.DrillCriterion;
import dev.mnistdrill.model.ExperimentConfig;
import dev.mnistdrill.model.Knob;
import dev.mnistdrill.model.StudySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Studies on disk: a folder each beside the runs folder ({@code studies/ID/}), with the manifest {@code study.json}
 * (base config, grid, seeds, criterion, created, status) and, once judged, {@code verdict.csv} and
 * {@code verdict.md}. The member runs live in the run store under their deterministic ids, tagged with the study.
 */
public final class StudyStore {
    public static final String MANIFEST_FILE = "study.json";
    public static final String VERDICT_CSV = "verdict.csv";
    public static final String VERDICT_MD = "verdict.md";

    /** A study as stored: its spec and bookkeeping. {@code status} is read back INTERRUPTED for a dead runner. */
    public record Manifest(String id, StudySpec spec, String created, TrainingStatus status, Path folder) {
    }

    private final RunStore runs;
    private final Path root;

    public StudyStore(RunStore runs) {
        this.runs = runs;
        this.root = runs.root().toAbsolutePath().normalize().resolveSibling("studies");
    }

    public RunStore runs() {
        return runs;
    }

    public Path root() {
        return root;
    }

    public Path folder(String studyId) {
        return root.resolve(studyId);
    }

    /** Writes the manifest of {@code spec} with {@code status}, keeping the creation time of an existing one. */
    public Manifest save(StudySpec spec, TrainingStatus status) {
        String id = spec.id();
        Path folder = folder(id);
        try {
            Files.createDirectories(folder);
            String created = Files.isRegularFile(folder.resolve(MANIFEST_FILE)) ? read(folder).created()
                    : LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            ObjectNode json = RunStore.JSON.createObjectNode();
            json.put("id", id);
            json.put("created", created);
            json.put("status", status.name());
            json.put("runs", spec.runCount());
            json.set("base", RunStore.JSON.readTree(spec.base().toJson()));
            ArrayNode grid = json.putArray("grid");
            for (StudySpec.Axis a : spec.grid()) {
                ObjectNode axis = grid.addObject();
                axis.put("knob", a.knob().cliName());
                ArrayNode values = axis.putArray("values");
                a.values().forEach(values::add);
            }
            ArrayNode seeds = json.putArray("seeds");
            spec.seeds().forEach(seeds::add);
            ObjectNode criterion = json.putObject("criterion");
            criterion.put("target", spec.criterion().target());
            criterion.put("lastEpochs", spec.criterion().lastEpochs());
            criterion.put("maxEpochs", DrillCriterion.MAX_EPOCHS);
            criterion.put("paramBudget", DrillCriterion.PARAM_BUDGET);
            RunStore.writeAtomically(folder.resolve(MANIFEST_FILE), RunStore.JSON.writeValueAsString(json));
            return new Manifest(id, spec, created, status, folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write study " + id + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Reads a study by id; a missing or broken manifest is an IllegalArgumentException that says which. */
    public Manifest read(String studyId) {
        Path folder = folder(studyId);
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no study '" + studyId + "' in " + root
                    + " (list them with: studies)");
        }
        return read(folder);
    }

    /** Reads the study in {@code folder}: one in a store, or a copy kept elsewhere (e.g. under docs/results). */
    public static Manifest read(Path folder) {
        Path file = folder.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(folder.getFileName() + " is not a study (no " + MANIFEST_FILE + ")");
        }
        try {
            JsonNode json = RunStore.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            ExperimentConfig base = ExperimentConfig.fromJson(json.required("base").toString());
            List<StudySpec.Axis> grid = new ArrayList<>();
            for (JsonNode axis : json.path("grid")) {
                List<String> values = new ArrayList<>();
                axis.required("values").forEach(v -> values.add(v.asText()));
                grid.add(new StudySpec.Axis(Knob.byName(axis.required("knob").asText()), values));
            }
            List<Long> seeds = new ArrayList<>();
            json.required("seeds").forEach(s -> seeds.add(s.asLong()));
            JsonNode c = json.required("criterion");
            DrillCriterion criterion = new DrillCriterion(c.required("target").asDouble(),
                    c.required("lastEpochs").asInt());
            StudySpec spec = new StudySpec(base, grid, seeds, criterion);
            TrainingStatus status = TrainingStatus.valueOf(json.required("status").asText());
            if (status == TrainingStatus.RUNNING && !RunStore.LiveLock.isHeld(folder)) {
                status = TrainingStatus.INTERRUPTED;
            }
            return new Manifest(json.path("id").asText(folder.getFileName().toString()), spec,
                    json.path("created").asText(""), status, folder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("study " + folder.getFileName() + " has an unreadable "
                    + MANIFEST_FILE + " (" + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("")) + ")", e);
        }
    }

    /** Every study, newest first; unreadable folders are reported to {@code problems}, not hidden. */
    public List<Manifest> list(Consumer<String> problems) {
        List<Manifest> studies = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return studies;
        }
        try (var folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                try {
                    studies.add(read(folder));
                } catch (IllegalArgumentException e) {
                    problems.accept(e.getMessage());
                }
            }
        } catch (IOException e) {
            problems.accept("cannot list " + root + ": " + e.getMessage());
        }
        studies.sort(Comparator.comparing(Manifest::created).reversed());
        return studies;
    }

    /**
     * The stored runs of a study's members, in member order; a member not trained yet, or whose folder cannot be
     * read, is absent (its problem goes to {@code problems}).
     */
    public List<RunRecord> memberRuns(StudySpec spec, Consumer<String> problems) {
        List<RunRecord> records = new ArrayList<>();
        for (StudySpec.Member m : spec.members()) {
            Path folder = runs.root().resolve(spec.runId(m));
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try {
                records.add(RunStore.read(folder));
            } catch (RuntimeException e) {
                problems.accept(folder.getFileName() + ": " + e.getMessage());
            }
        }
        return records;
    }

    /** Writes the verdict's CSV and Markdown beside the manifest. */
    public void writeVerdict(Manifest study, StudyVerdict verdict) {
        try {
            RunStore.writeAtomically(study.folder().resolve(VERDICT_CSV), verdict.toCsv());
            RunStore.writeAtomically(study.folder().resolve(VERDICT_MD), verdict.toMarkdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verdict of " + study.id() + ": " + e.getMessage(), e);
        }
    }

    /** Holds the study's lock while a runner works on it, so that a second runner and the listing know. */
    RunStore.LiveLock lock(Manifest study) {
        return RunStore.LiveLock.acquire(study.folder());
    }
}
