package dev.mnistdrill.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LocalMemberExecutorTest {
    private static final long GIB = 1L << 30;

    @Test
    void takesTheFewestRunsAtOnceThatKeepEveryCoreBusyToTheEnd() {
        // two at a time would train 2 + 2 + 1, the last run alone while a core idles; 3 then 2 keeps both busy
        assertEquals(3, LocalMemberExecutor.parallelRuns(5, null, 2, 24 * GIB));
        assertEquals(3, LocalMemberExecutor.parallelRuns(3, null, 2, 24 * GIB));
        assertEquals(4, LocalMemberExecutor.parallelRuns(7, null, 2, 24 * GIB));
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
    void coreWavesCountsARoundOfFewerRunsThanCoresAsOneRunAlone() {
        assertEquals(6, LocalMemberExecutor.coreWaves(5, 2, 2)); // 2, 2, then 1 alone: 3 run-times of 2 cores
        assertEquals(5, LocalMemberExecutor.coreWaves(5, 3, 2)); // 3 sharing 2 cores (1.5), then 2 (1)
        assertEquals(5, LocalMemberExecutor.coreWaves(5, 5, 2));
        assertEquals(4, LocalMemberExecutor.coreWaves(2, 2, 4)); // two runs on four cores take one run-time
    }
}
