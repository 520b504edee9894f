package dev.mnistdrill.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's results table says what the committed study logs say, no more. */
class ResultsTableTest {
    @Test
    void readmeTableIsTheOneMadeFromTheCommittedStudies() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String expected = ResultsTable.table(ResultsTable.find(Path.of("docs/results/studies")));
        assertTrue(expected.lines().count() > 2, "no preset has a committed 5-seed study");
        assertEquals(ResultsTable.withTable(readme, expected), readme,
                "README's results table differs from the committed studies: run tools/results/results-table.sh");
    }

    @Test
    void theWorstOfTheLastFiveIsTheLowestAnySeedScoredInItsLastFiveEpochs() throws Exception {
        for (ResultsTable.PresetStudy p : ResultsTable.find(Path.of("docs/results/studies"))) {
            double lowest = Double.MAX_VALUE;
            try (var runs = Files.list(p.study().folder().resolve("runs"))) {
                for (Path run : runs.toList()) {
                    List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
                    for (String row : rows.subList(rows.size() - 5, rows.size())) { // epochs 11-15, header skipped
                        lowest = Math.min(lowest, Double.parseDouble(row.split(",")[3]));
                    }
                }
            }
            assertEquals(lowest, ResultsTable.worstOfLast(p.verdict().settings().get(0), 5), 1e-12, p.preset());
        }
    }
}
