package io.rfs.store.manifest;

import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HybridLogicalClockTest
{
    @Test
    void shouldFollowPhysicalTimeWhenItAdvances()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        final HybridLogicalClock hlc = new HybridLogicalClock(clock);

        assertThat(new Version(hlc.now(), 1).physicalMs()).isEqualTo(1_000);
        clock.update(2_000);
        assertThat(new Version(hlc.now(), 1).physicalMs()).isEqualTo(2_000);
    }

    @Test
    void shouldNeverGoBackwardsWhenPhysicalTimeStallsOrRegresses()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(5_000);
        final HybridLogicalClock hlc = new HybridLogicalClock(clock);
        long previous = hlc.now();
        for (int i = 0; i < 100; i++)
        {
            clock.update(5_000 - i * 10L);
            final long next = hlc.now();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    @Test
    void shouldOrderAfterObservedRemoteTimestamps()
    {
        final CachedEpochClock clock = new CachedEpochClock();
        clock.update(1_000);
        final HybridLogicalClock hlc = new HybridLogicalClock(clock);
        final long remote = (10_000L << HybridLogicalClock.LOGICAL_BITS) + 7;

        hlc.observe(remote);

        assertThat(hlc.now()).isGreaterThan(remote);
    }

    @Test
    void shouldBreakTimestampTiesByNodeId()
    {
        assertThat(new Version(5, 2).isNewerThan(new Version(5, 1))).isTrue();
        assertThat(new Version(6, 1).isNewerThan(new Version(5, 2))).isTrue();
        assertThat(Version.ZERO.isNewerThan(new Version(0, 0))).isFalse();
    }
}
