package dev.mnistdrill.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
