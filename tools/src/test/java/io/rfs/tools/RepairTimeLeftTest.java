package io.rfs.tools;

import org.junit.jupiter.api.Test;

import static io.rfs.tools.RepairStatusViewTest.MIB;
import static io.rfs.tools.RepairStatusViewTest.SECOND_NS;
import static io.rfs.tools.RepairStatusViewTest.status;
import static org.assertj.core.api.Assertions.assertThat;

class RepairTimeLeftTest
{
    private final RepairTimeLeft timeLeft = new RepairTimeLeft();
    private long nowNs = 500 * SECOND_NS;

    private String pollAfter(final long stepNs, final RepairStatusView status)
    {
        nowNs += stepNs;
        return timeLeft.update(nowNs, status);
    }

    private static long seconds(final String estimate)
    {
        assertThat(estimate).matches("(at least )?about \\d+\\.\\d\\d s left");
        return Math.round(Double.parseDouble(estimate.replaceAll("[^0-9.]", "")));
    }

    @Test
    void shouldFallBackToTheRangeRuleBeforeAnyBytesAreSeenMoving()
    {
        assertThat(pollAfter(0, status(true, 0, SECOND_NS, 6, 0, 0, 0, 0, 0, 0))).isEqualTo("comparing digests");
        // 1 of 4 ranges in 10 s and 8 MiB copied, but one sample is no rate: the range rule says 30 s.
        assertThat(pollAfter(SECOND_NS, status(true, 0, 10 * SECOND_NS, 16, 4, 1, 40, 8, 8 * MIB, 8 * SECOND_NS)))
            .isEqualTo("about 30.00 s left");
    }

    @Test
    void shouldDivideTheBytesLeftByTheRateObservedWhenChunkSizesAreKnown()
    {
        // 2 MiB chunks at 4 MiB/s; 10 of 100 ranges repaired in 5 s would say 45 s by ranges.
        pollAfter(0, status(true, 0, 0, 100, 100, 0, 60, 0, 0, 0));
        final String estimate = pollAfter(5 * SECOND_NS,
            status(true, 0, 5 * SECOND_NS, 100, 100, 10, 60, 10, 20 * MIB, 5 * SECOND_NS));
        // 50 chunks of 2 MiB left at 4 MiB/s.
        assertThat(estimate).isEqualTo("about 25.00 s left");
    }

    @Test
    void shouldSayAtLeastWhileRangesAreStillBeingCompared()
    {
        pollAfter(0, status(true, 0, 0, 4, 2, 0, 10, 0, 0, 0));
        assertThat(pollAfter(4 * SECOND_NS, status(true, 0, 4 * SECOND_NS, 8, 2, 0, 10, 4, 4 * MIB, 4 * SECOND_NS)))
            .isEqualTo("at least about 6.00 s left");
    }

    @Test
    void shouldNotSwingWhenARoundEndsAndTheNextStarts()
    {
        // Polled every 0.5 s, each poll sees one more 0.5 MiB chunk copied: 1 MiB/s. Round 1 copies 40 chunks and
        // ends; round 2 compares digests for 2 s, then schedules 60 more and copies at the same rate.
        final long chunkBytes = MIB / 2;
        for (int polls = 0; polls < 40; polls++)
        {
            final String estimate = pollAfter(SECOND_NS / 2, status(true, 0, polls * SECOND_NS / 2, 16, 2, 0, 40,
                polls, polls * chunkBytes, polls * SECOND_NS / 2));
            if (polls >= 4 && polls <= 36)
            {
                assertThat(seconds(estimate)).as("after %d polls", polls).isEqualTo(Math.round((40 - polls) / 2.0));
            }
        }
        assertThat(pollAfter(SECOND_NS / 2, status(false, 1, 20 * SECOND_NS, 16, 2, 2, 40, 40, 40 * chunkBytes,
            20 * SECOND_NS))).isEqualTo("idle");
        long previous = Long.MAX_VALUE;
        for (int polls = 0; polls < 64; polls++)
        {
            final boolean comparing = polls < 4;
            final long chunks = comparing ? 0 : polls - 4;
            final String estimate = pollAfter(SECOND_NS / 2, status(true, 1, polls * SECOND_NS / 2,
                comparing ? 8 : 16, comparing ? 0 : 3, 0, comparing ? 0 : 60, chunks, chunks * chunkBytes,
                chunks * SECOND_NS / 2));
            if (!comparing && chunks <= 56)
            {
                // The window still holds round 1's copying, so there is an estimate at once (no "estimating"), near
                // the ideal: the 2.5 s without copies lower the rate by at most a quarter for one window.
                final long left = seconds(estimate);
                final long ideal = Math.round((60 - chunks) / 2.0);
                assertThat(left).as("after %d polls of round 2", polls).isBetween(ideal, Math.round(ideal / 0.75));
                assertThat(left).as("after %d polls of round 2", polls).isLessThanOrEqualTo(previous);
                previous = left;
            }
        }
    }

    @Test
    void shouldGrowTheEstimateWhileCopyingStalls()
    {
        for (int s = 0; s <= 10; s++)
        {
            pollAfter(SECOND_NS, status(true, 0, s * SECOND_NS, 16, 1, 0, 40, s, s * MIB, s * SECOND_NS));
        }
        final long before = seconds(timeLeft.update(nowNs, status(true, 0, 10 * SECOND_NS, 16, 1, 0, 40, 10,
            10 * MIB, 10 * SECOND_NS)));
        final long during = seconds(pollAfter(5 * SECOND_NS, status(true, 0, 15 * SECOND_NS, 16, 1, 0, 40, 10,
            10 * MIB, 10 * SECOND_NS)));
        assertThat(before).isEqualTo(30);
        assertThat(during).isGreaterThan(before);
    }
}
