package io.rfs.replication.repair;

import org.junit.jupiter.api.RepeatedTest;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RepairThrottleTest
{
    @RepeatedTest(20)
    void shouldBoundEachNodesBytesByTheRateTimesTheSpanPlusOneSecondPlusOneCopy()
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final long rate = 1 + random.nextLong(100_000_000);
        final long largestCopy = 1 + random.nextLong(2 * rate);
        final int nodes = 2 + random.nextInt(5);
        final RepairThrottle throttle = new RepairThrottle(rate, nodes, 0);
        final long[] moved = new long[nodes];
        long nowNs = 0;
        long started = 0;
        for (int step = 0; step < 20_000; step++)
        {
            nowNs += random.nextLong(TimeUnit.MILLISECONDS.toNanos(50));
            throttle.refill(nowNs);
            final int source = random.nextInt(nodes);
            final int target = (source + 1 + random.nextInt(nodes - 1)) % nodes;
            if (throttle.mayStart(source, target))
            {
                final long bytes = 1 + random.nextLong(largestCopy);
                throttle.take(source, target, bytes);
                moved[source] += bytes;
                moved[target] += bytes;
                started++;
            }
            final double seconds = nowNs / 1e9;
            for (int node = 0; node < nodes; node++)
            {
                assertThat((double)moved[node]).as("node %d at %.3f s (seed %d)", node, seconds, seed)
                    .isLessThanOrEqualTo(rate * (seconds + 1) + largestCopy);
            }
        }
        assertThat(started).as("copies started (seed %d)", seed).isGreaterThan(100);
        final long recoverNs = TimeUnit.SECONDS.toNanos(1) + (long)(1e9 * (2.0 * largestCopy / rate)) + 1;
        throttle.refill(nowNs + recoverNs);
        for (int node = 1; node < nodes; node++)
        {
            assertThat(throttle.mayStart(0, node)).as("idle long enough, node %d may copy (seed %d)", node, seed)
                .isTrue();
        }
    }
}
