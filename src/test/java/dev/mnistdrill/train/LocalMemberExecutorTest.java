package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocalMemberExecutorTest {
    private static final long GIB = 1L << 30;

    @Test
    void takesMoreRunsThanCoresOnlyWhereThatSavesTheLastRunAlone() {
        // two at a time would train 2 + 2 + 1, the last run alone while a core idles; 3 then 2 keeps both busy
        assertEquals(3, LocalMemberExecutor.parallelRuns(5, null, 2, 24 * GIB));
        assertEquals(3, LocalMemberExecutor.parallelRuns(3, null, 2, 24 * GIB));
        // with more runs the sharing costs more than the one lone round saves
        for (int runs : new int[] {7, 9, 11, 13, 15, 25}) {
            assertEquals(2, LocalMemberExecutor.parallelRuns(runs, null, 2, 24 * GIB), runs + " runs");
        }
        // runs that fill the cores evenly keep one run per core
        assertEquals(2, LocalMemberExecutor.parallelRuns(4, null, 2, 24 * GIB));
        assertEquals(2, LocalMemberExecutor.parallelRuns(10, null, 2, 24 * GIB));
        assertEquals(4, LocalMemberExecutor.parallelRuns(20, null, 4, 24 * GIB));
        // fewer runs than cores, one core, one run
        assertEquals(5, LocalMemberExecutor.parallelRuns(5, null, 8, 24 * GIB));
        assertEquals(1, LocalMemberExecutor.parallelRuns(5, null, 1, 24 * GIB));
        assertEquals(1, LocalMemberExecutor.parallelRuns(1, null, 2, 24 * GIB));
        assertEquals(1, LocalMemberExecutor.parallelRuns(0, null, 2, 24 * GIB));
    }

    @Test
    void memoryBoundsTheSplitAtOneRunPer2GiB() {
        assertEquals(2, LocalMemberExecutor.parallelRuns(5, null, 2, 4 * GIB));
        assertEquals(2, LocalMemberExecutor.parallelRuns(5, null, 8, 5 * GIB));
        assertEquals(1, LocalMemberExecutor.parallelRuns(5, null, 2, GIB));
    }

    @Test
    void theNumberAskedForWinsUpToOnePerRun() {
        assertEquals(2, LocalMemberExecutor.parallelRuns(5, 2, 2, 24 * GIB));
        assertEquals(5, LocalMemberExecutor.parallelRuns(5, 8, 2, 24 * GIB));
        assertEquals(1, LocalMemberExecutor.parallelRuns(5, 1, 8, 24 * GIB));
    }

    @Test
    void theEstimateCountsALoneRoundAsAWholeRunAndSharingAsSlower() {
        // in one run's time on a core of its own: 2, 2, then 1 alone take three of them
        assertEquals(3.0, LocalMemberExecutor.estimatedTime(5, 2, 2), 1e-9);
        // three sharing two cores: 1.5 runs' time, each slower by half a core's worth of sharing; then a pair
        assertEquals(1.5 * (1 + LocalMemberExecutor.SHARING_COST / 2) + 1, LocalMemberExecutor.estimatedTime(5, 3, 2),
                1e-9);
        assertEquals(1.0, LocalMemberExecutor.estimatedTime(2, 2, 4), 1e-9);
        // all five at once on two cores is estimated slower than 3 then 2, as measured
        assertTrue(LocalMemberExecutor.estimatedTime(5, 5, 2) > LocalMemberExecutor.estimatedTime(5, 3, 2));
    }
}
