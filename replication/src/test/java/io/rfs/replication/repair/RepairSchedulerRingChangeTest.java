package io.rfs.replication.repair;

import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeCounters;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repair round plans for the ring it compared; these drive one scheduler by hand through a channel that records
 * requests and answers none, and change the ring in force under it.
 */
class RepairSchedulerRingChangeTest
{
    private static final long INTERVAL_NS = TimeUnit.MINUTES.toNanos(10);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final NodeCounters counters = new NodeCounters();
    private Ring ring = Ring.empty(3, 8)
        .withNode(RingNode.of(1, "a:1")).withNode(RingNode.of(2, "b:1")).withNode(RingNode.of(3, "c:1"));

    private final RecordingRequestChannel channel = new RecordingRequestChannel();
    private final List<Integer> destinations = channel.destinations;

    private final RepairScheduler scheduler = new RepairScheduler(
        new RepairContext().intervalNs(INTERVAL_NS).conclude(), clock, channel, () -> true, () -> 1, () -> ring,
        new RingInForce(null), counters, (id, replicas) -> { });

    @Test
    void shouldAbandonARoundWhoseRingIsNoLongerInForceAndStartOneForTheNewRingAtOnce()
    {
        scheduler.runNow();
        scheduler.doWork();
        assertThat(scheduler.isRoundInProgress()).isTrue();
        assertThat(destinations).contains(1, 2, 3).doesNotContain(4);
        assertThat(counters.get(NodeCounter.REPAIR_ROUNDS)).isEqualTo(1);

        destinations.clear();
        ring = ring.withoutNode(3).withNode(RingNode.of(4, "d:1"));
        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        scheduler.doWork();

        assertThat(counters.get(NodeCounter.REPAIR_ROUNDS)).as("a new round, not the next interval's").isEqualTo(2);
        assertThat(destinations).contains(1, 2, 4).doesNotContain(3);
        assertThat(scheduler.rangeCount()).isEqualTo(ring.tokenCount());
        assertThat(scheduler.roundsCompleted()).as("the abandoned round did not complete").isZero();
        assertThat(channel.types).containsOnly(MessageTypes.RANGE_DIGEST_REQUEST);
    }

    @Test
    void shouldKeepARoundGoingWhileItsRingStaysInForce()
    {
        scheduler.runNow();
        scheduler.doWork();
        final int sent = destinations.size();

        clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
        scheduler.doWork();

        assertThat(counters.get(NodeCounter.REPAIR_ROUNDS)).isEqualTo(1);
        assertThat(destinations).hasSize(sent);
        assertThat(scheduler.isRoundInProgress()).isTrue();
        assertThat(channel.types).containsOnly(MessageTypes.RANGE_DIGEST_REQUEST);
    }
}
