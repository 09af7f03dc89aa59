package io.rfs.replication.sim;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EventLogTest
{
    @Test
    void shouldStampVirtualTimeAsTheEnglishFormatWouldWhateverTheValue()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final long[] fixed = { 0, 1, 999_999, 1_000_000, 999_999_999, 1_000_000_000, 123_456_789_012L,
            3_600_000_000_000L };
        for (final long ns : fixed)
        {
            assertThat(EventLog.stamp(ns).toString()).as("%d ns", ns)
                .isEqualTo(String.format(Locale.ENGLISH, "%,14.6f", ns / 1e6));
        }
        for (int i = 0; i < 10_000; i++)
        {
            final long ns = random.nextLong(4_000_000_000_000L);
            assertThat(EventLog.stamp(ns).toString()).as("%d ns", ns)
                .isEqualTo(String.format(Locale.ENGLISH, "%,14.6f", ns / 1e6));
        }
    }
}
