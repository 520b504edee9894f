package dev.mnistdrill.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** spark.task.cpus, the native threads of each member on an executor: a whole number of at least 1. */
class TaskCpusTest {
    @Test
    void wholeNumbersFromOneAreTaken() {
        assertEquals(1, SparkMemberExecutor.taskCpus("1"));
        assertEquals(2, SparkMemberExecutor.taskCpus(" 2 "));
    }

    @Test
    void anythingElseIsRefusedWithWhatItIsFor() {
        for (String bad : new String[] {"0", "-1", "1.5", "two", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SparkMemberExecutor.taskCpus(bad), bad);
            assertTrue(e.getMessage().contains("native threads each run trains on") && e.getMessage().contains(
                    "'" + bad + "'"), e.getMessage());
        }
    }
}
