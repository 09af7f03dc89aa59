package io.rfs.replication.cluster;

import io.rfs.store.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhiAccrualFailureDetectorTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int PEER = 7;

    private static PhiAccrualFailureDetector detector()
    {
        return new PhiAccrualFailureDetector(100, 100 * MS, 25 * MS, 150 * MS, 3.0, 8.0);
    }

    /**
     * Feeds {@code count} heartbeats at {@code intervalMs} plus uniform jitter of up to {@code jitterMs} either way.
     *
     * @return time of the last one.
     */
    private static long feed(
        final PhiAccrualFailureDetector detector, final long startNs, final int count, final long intervalMs,
        final long jitterMs, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        long now = startNs;
        for (int i = 0; i < count; i++)
        {
            now += intervalMs * MS + (jitterMs == 0 ? 0 : random.nextLong(-jitterMs * MS, jitterMs * MS + 1));
            detector.heartbeat(PEER, now);
        }
        return now;
    }

    private static long timeToState(
        final PhiAccrualFailureDetector detector, final long lastNs, final MemberState state)
    {
        long elapsed = 0;
        while (detector.state(PEER, lastNs + elapsed) != state)
        {
            elapsed += MS;
        }
        return elapsed / MS;
    }

    @Test
    void shouldKnowNothingOfAPeerNeverHeard()
    {
        final PhiAccrualFailureDetector detector = detector();

        assertThat(detector.state(PEER, 0)).isEqualTo(MemberState.UNKNOWN);
        assertThat(detector.phi(PEER, 10_000 * MS)).isZero();
        assertThat(detector.lastArrivalNs(PEER)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldKeepASteadyPeerUpBetweenHeartbeatsAndThroughAPauseWithinTheAllowance()
    {
        final PhiAccrualFailureDetector detector = detector();
        final long last = feed(detector, 0, 200, 100, 0, 1);

        assertThat(detector.state(PEER, last + 100 * MS)).isEqualTo(MemberState.UP);
        assertThat(detector.phi(PEER, last + 100 * MS)).isLessThan(0.01);
        assertThat(detector.state(PEER, last + 250 * MS)).as("one interval plus the acceptable pause")
            .isEqualTo(MemberState.UP);
        assertThat(detector.meanIntervalNs(PEER)).isEqualTo(100.0 * MS);
    }

    @Test
    void shouldSuspectThenDeclareDownAStoppedPeerAtTheExpectedDelay()
    {
        final PhiAccrualFailureDetector detector = detector();
        final long last = feed(detector, 0, 200, 100, 0, 1);

        final long suspectMs = timeToState(detector, last, MemberState.SUSPECT);
        final long downMs = timeToState(detector, last, MemberState.DOWN);

        // mean 100 + pause 150 + quantile * min deviation 25: about 3.1 sigma for phi 3, 5.2 sigma for phi 8.
        assertThat(suspectMs).as("suspect after %d ms", suspectMs).isBetween(310L, 340L);
        assertThat(downMs).as("down after %d ms", downMs).isBetween(380L, 400L);
        assertThat(detector.phi(PEER, last + 10_000 * MS)).as("grows without bound").isGreaterThan(100.0);
    }

    @Test
    void shouldGiveAJitteryPeerMoreTimeThanASteadyOne()
    {
        final long seed = 4242;
        final PhiAccrualFailureDetector steady = detector();
        final PhiAccrualFailureDetector jittery = detector();
        final long steadyLast = feed(steady, 0, 100, 100, 0, seed);
        final long jitteryLast = feed(jittery, 0, 100, 100, 90, seed);

        final long steadyDownMs = timeToState(steady, steadyLast, MemberState.DOWN);
        final long jitteryDownMs = timeToState(jittery, jitteryLast, MemberState.DOWN);

        assertThat(jitteryDownMs).as("seed %d: jittery %d ms, steady %d ms", seed, jitteryDownMs, steadyDownMs)
            .isGreaterThan(steadyDownMs + 50);
        assertThat(jittery.state(PEER, jitteryLast + 300 * MS)).as("seed %d", seed).isEqualTo(MemberState.UP);
    }

    @Test
    void shouldBringAResumedPeerBackUpAndForgetTheGapAfterAWindow()
    {
        final PhiAccrualFailureDetector detector = detector();
        long last = feed(detector, 0, 100, 100, 0, 1);
        assertThat(detector.state(PEER, last + 2_000 * MS)).isEqualTo(MemberState.DOWN);

        detector.heartbeat(PEER, last + 2_000 * MS);
        last += 2_000 * MS;
        assertThat(detector.state(PEER, last + 50 * MS)).as("heard again").isEqualTo(MemberState.UP);
        assertThat(detector.meanIntervalNs(PEER)).as("the gap is one sample of the window")
            .isEqualTo((99 * 100.0 + 2_000) / 100 * MS);

        last = feed(detector, last, 100, 100, 0, 1);
        assertThat(detector.meanIntervalNs(PEER)).as("a window later the gap is gone").isEqualTo(100.0 * MS);
        assertThat(timeToState(detector, last, MemberState.DOWN)).isBetween(380L, 400L);
    }

    @Test
    void shouldIgnoreADuplicateArrivingInTheSameInstant()
    {
        final PhiAccrualFailureDetector detector = detector();
        final long last = feed(detector, 0, 10, 100, 0, 1);
        detector.heartbeat(PEER, last);

        assertThat(detector.meanIntervalNs(PEER)).isEqualTo(100.0 * MS);
    }

    @Test
    void shouldForgetARemovedPeer()
    {
        final PhiAccrualFailureDetector detector = detector();
        feed(detector, 0, 10, 100, 0, 1);
        detector.remove(PEER);

        assertThat(detector.state(PEER, 2_000 * MS)).isEqualTo(MemberState.UNKNOWN);
    }

    @Test
    void shouldMatchTheNormalTailClosely()
    {
        // phi = -log10(P(X > t)); for y = 3 sigma the exact tail is 1.35e-3, phi 2.87.
        assertThat(PhiAccrualFailureDetector.phi(400, 100, 100)).isCloseTo(2.87, org.assertj.core.data.Offset
            .offset(0.05));
        assertThat(PhiAccrualFailureDetector.phi(100, 100, 100)).isCloseTo(Math.log10(2), org.assertj.core.data
            .Offset.offset(0.001));
        assertThat(PhiAccrualFailureDetector.phi(0, 100, 10)).isCloseTo(0.0, org.assertj.core.data.Offset
            .offset(1e-6));
    }

    @Test
    void shouldAllocateNothingPerHeartbeatOrQueryOnceAPeerIsKnown()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final PhiAccrualFailureDetector detector = detector();
        long now = feed(detector, 0, 20_000, 100, 5, 3);
        double sink = 0;
        for (int i = 0; i < 20_000; i++)
        {
            sink += detector.phi(PEER, now + i) + detector.state(PEER, now + i).ordinal();
        }

        final long thread = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 10_000; i++)
        {
            now += 100 * MS;
            detector.heartbeat(PEER, now);
            sink += detector.phi(PEER, now + 50 * MS) + detector.state(PEER, now + 50 * MS).ordinal();
        }
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated by 10,000 heartbeats and queries (sink %s)", sink)
            .isLessThan(1024);
    }

    @Test
    void shouldRefuseSettingsThatCannotWork()
    {
        assertThatThrownBy(() -> new PhiAccrualFailureDetector(1, 1, 1, 0, 1, 2))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("windowSize=1");
        assertThatThrownBy(() -> new PhiAccrualFailureDetector(10, 1, 1, 0, 5, 2))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("downThreshold=2.0");
        assertThatThrownBy(() -> new PhiAccrualFailureDetector(10, 1, 0, 0, 1, 2))
            .isInstanceOf(ConfigurationException.class).hasMessageContaining("minStdDevNs=0");
    }
}
