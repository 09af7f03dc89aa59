package io.rfs.tools;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RepairStatusViewTest
{
    static final long SECOND_NS = 1_000_000_000L;
    static final long MIB = 1024 * 1024;

    /**
     * A leader's status in a round; the fields a test does not name are those of a quiet three-node cluster.
     */
    static RepairStatusView status(
        final boolean inProgress, final long roundsCompleted, final long elapsedNs, final long rangesCompared,
        final long rangesDifferent, final long rangesRepaired, final long chunksScheduled, final long chunksCopied,
        final long bytesCopied, final long copyingNs)
    {
        return new RepairStatusView(1, true, inProgress, true, 1, 3, 64 * MIB, roundsCompleted, elapsedNs, 16,
            rangesCompared, rangesDifferent, rangesRepaired, chunksScheduled, chunksCopied, bytesCopied, 0, 0,
            copyingNs, 0);
    }

    @Test
    void shouldSayIdleWhenNoRoundIsInProgress()
    {
        assertThat(status(false, 4, 3 * SECOND_NS, 16, 2, 2, 10, 10, 10 * MIB, SECOND_NS).timeLeft())
            .isEqualTo("idle");
    }

    @Test
    void shouldSayComparingDigestsWhileComparingAndNoRangeDiffersYet()
    {
        assertThat(status(true, 0, SECOND_NS, 5, 0, 0, 0, 0, 0, 0).timeLeft()).isEqualTo("comparing digests");
    }

    @Test
    void shouldSayEstimatingUntilADifferingRangeIsRepaired()
    {
        assertThat(status(true, 0, 5 * SECOND_NS, 16, 4, 0, 40, 3, 3 * MIB, SECOND_NS).timeLeft())
            .isEqualTo("estimating");
    }

    @Test
    void shouldScaleTheElapsedTimeByTheShareOfDifferingRangesLeft()
    {
        // 1 of 4 differing ranges in 10 s: 3 more take 30 s.
        assertThat(status(true, 0, 10 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, 8 * SECOND_NS).timeLeft())
            .isEqualTo("about 30.00 s left");
    }

    @Test
    void shouldSayFinishingRatherThanZeroWhenLessThanASecondIsLeft()
    {
        // 99 of 100 in 10 s: 0.1 s left.
        final RepairStatusView status = new RepairStatusView(1, true, true, true, 1, 3, 64 * MIB, 0,
            10 * SECOND_NS, 128, 128, 100, 99, 100, 99, 99 * MIB, 0, 0, 9 * SECOND_NS, 0);
        assertThat(status.timeLeft()).isEqualTo("finishing");
    }

    @Test
    void shouldDescribeRangesChunksBytesRateAndTimeLeftInOneLine()
    {
        assertThat(status(true, 2, 10 * SECOND_NS, 16, 4, 1, 40, 10, 10 * MIB, 5 * SECOND_NS).describe())
            .isEqualTo("leader 1 term 3: round in progress, 10.00 s: 16 of 16 ranges compared, 4 different, " +
                "1 repaired; 10 of 40 chunks (10.0 MiB) copied at 2.0 MiB/s; about 30.00 s left");
    }

    @Test
    void shouldLeaveOutTheRateUntilSomethingIsCopiedAndShowFailures()
    {
        final RepairStatusView status = new RepairStatusView(2, true, true, true, 2, 7, 64 * MIB, 0,
            SECOND_NS, 16, 16, 1, 0, 3, 0, 0, 2, 0, 0, 0);
        assertThat(status.describe())
            .isEqualTo("leader 2 term 7: round in progress, 1.00 s: 16 of 16 ranges compared, 1 different, " +
                "0 repaired; 0 of 3 chunks (0 B) copied, 2 failed; estimating");
    }

    @Test
    void shouldCallAFinishedRoundTheLastRound()
    {
        assertThat(status(false, 5, 2 * SECOND_NS, 16, 0, 0, 0, 0, 0, 0).describe())
            .startsWith("leader 1 term 3: last round, 2.00 s: ").endsWith("; idle");
    }
}
