package io.rfs.replication.client;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BalancerTest
{
    private static final int[] CANDIDATES = {1, 2, 3};
    private static final long KEY = 0x1234_5678_9ABC_DEF0L;
    private static final long CHUNK = 1 << 20;

    @Test
    void shouldPreferTheReplicaWithFewestOutstandingRequestsWeightedByLatency()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_OUTSTANDING);
        served(balancer, 1, 1_000);
        served(balancer, 2, 1_000);
        served(balancer, 3, 50_000);

        assertThat(balancer.select(KEY, CANDIDATES, 3)).as("ties go to the ring's order").isZero();
        balancer.onRequest(1, CHUNK);
        assertThat(balancer.select(KEY, CANDIDATES, 3)).as("node 1 busy").isEqualTo(1);
        balancer.onRequest(2, CHUNK);
        balancer.onRequest(1, CHUNK);
        balancer.onRequest(2, CHUNK);
        assertThat(balancer.select(KEY, CANDIDATES, 3)).as("two in flight at 1 us beat none at 50 us").isZero();
        assertThat(balancer.outstanding(1)).isEqualTo(2);
    }

    @Test
    void shouldTryAReplicaWithNoHistoryAtTheFastestKnownLatency()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_OUTSTANDING);
        served(balancer, 1, 10_000);
        balancer.onRequest(1, CHUNK);

        assertThat(balancer.select(KEY, CANDIDATES, 3)).isEqualTo(1);
    }

    @Test
    void shouldMoveTheLatencyAverageTowardsNewSamples()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_OUTSTANDING, 0.5);
        served(balancer, 1, 1_000);
        served(balancer, 2, 2_000);
        assertThat(balancer.select(KEY, CANDIDATES, 2)).isZero();

        served(balancer, 1, 5_000);   // ewma 3000 > 2000

        assertThat(balancer.select(KEY, CANDIDATES, 2)).isEqualTo(1);
    }

    @Test
    void shouldTakeCandidatesInTurn()
    {
        final RoundRobinBalancer balancer = new RoundRobinBalancer();
        final int[] picks = new int[6];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = balancer.select(KEY, CANDIDATES, 3);
        }
        assertThat(picks).containsExactly(0, 1, 2, 0, 1, 2);
    }

    @Test
    void shouldPickInProportionToRingWeightInterleaved()
    {
        final Ring ring = Ring.empty(3, 8)
            .withNode(RingNode.of(1, "h:1").withWeight(200))
            .withNode(RingNode.of(2, "h:2"))
            .withNode(RingNode.of(3, "h:3"));
        final WeightedRoundRobinBalancer balancer = new WeightedRoundRobinBalancer(ring);
        final Map<Integer, Integer> counts = new HashMap<>();
        final int[] picks = new int[400];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = CANDIDATES[balancer.select(KEY, CANDIDATES, 3)];
            counts.merge(picks[i], 1, Integer::sum);
        }

        assertThat(counts).containsEntry(1, 200).containsEntry(2, 100).containsEntry(3, 100);
        for (int i = 0; i + 4 <= picks.length; i++)
        {
            final Map<Integer, Integer> window = new HashMap<>();
            for (int j = i; j < i + 4; j++)
            {
                window.merge(picks[j], 1, Integer::sum);
            }
            assertThat(window).as("smooth: every 4 picks from %s", i).containsEntry(1, 2).containsEntry(2, 1)
                .containsEntry(3, 1);
        }
    }

    @Test
    void shouldPreferFewestRequestsInFlightWhateverTheLatencyUnderLeastConnections()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_CONNECTIONS);
        served(balancer, 1, 1_000);
        served(balancer, 2, 90_000);
        balancer.onRequest(1, CHUNK);

        assertThat(balancer.select(KEY, CANDIDATES, 2)).as("slow but idle beats fast and busy").isEqualTo(1);
        balancer.onRequest(2, CHUNK);
        assertThat(balancer.select(KEY, CANDIDATES, 2)).as("ties go to the ring's order").isZero();
    }

    @Test
    void shouldPreferTheLowestLatencyWhateverIsInFlightUnderLeastResponseTime()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_RESPONSE_TIME);
        served(balancer, 1, 90_000);
        served(balancer, 2, 1_000);
        for (int i = 0; i < 5; i++)
        {
            balancer.onRequest(2, CHUNK);
        }

        assertThat(balancer.select(KEY, CANDIDATES, 2)).as("fast though busy").isEqualTo(1);
        assertThat(balancer.select(KEY, CANDIDATES, 3)).as("no history: the fastest known latency, then ring order")
            .isEqualTo(1);
    }

    @Test
    void shouldPreferFewestBytesInFlightUnderLeastBandwidth()
    {
        final LoadAwareBalancer balancer = new LoadAwareBalancer(LoadScore.LEAST_BANDWIDTH);
        balancer.onRequest(1, 4 << 20);
        balancer.onRequest(2, 4096);
        balancer.onRequest(2, 4096);
        balancer.onRequest(2, 4096);

        assertThat(balancer.select(KEY, CANDIDATES, 2)).as("three small beat one large").isEqualTo(1);
        balancer.onResponse(1, 4 << 20, 1_000);
        assertThat(balancer.select(KEY, CANDIDATES, 2)).isZero();
        assertThat(balancer.outstanding(2)).isEqualTo(3);
    }

    @Test
    void shouldPinEachKeyToOneReplicaAndMoveOnlyTheKeysOfACandidateThatDropsOut()
    {
        final KeyHashBalancer balancer = new KeyHashBalancer();
        final Map<Integer, Integer> counts = new HashMap<>();
        int moved = 0;
        for (long key = 0; key < 3000; key++)
        {
            final long position = key * 0x9E3779B97F4A7C15L;
            final int first = CANDIDATES[balancer.select(position, CANDIDATES, 3)];
            assertThat(CANDIDATES[balancer.select(position, CANDIDATES, 3)]).as("the same every time").isEqualTo(first);
            counts.merge(first, 1, Integer::sum);

            final int[] withoutThree = {1, 2};
            final int second = withoutThree[balancer.select(position, withoutThree, 2)];
            if (first != 3)
            {
                assertThat(second).as("a key not pinned to node 3 stays where it was").isEqualTo(first);
            }
            else
            {
                moved++;
            }
        }
        assertThat(counts.values()).as("spread over the replicas: %s", counts).allMatch(n -> n > 900 && n < 1100);
        assertThat(moved).isEqualTo(counts.get(3));
    }

    @Test
    void shouldMakeEveryNamedPolicy()
    {
        final Ring ring = Ring.empty(3, 8).withNode(RingNode.of(1, "h:1"));
        for (final BalancerKind kind : BalancerKind.values())
        {
            final ReplicaBalancer balancer = kind.newBalancer(ring);
            assertThat(balancer.select(KEY, CANDIDATES, 3)).as("%s", kind).isBetween(0, 2);
        }
        assertThat(BalancerKind.KEY_HASH.newBalancer(ring)).isInstanceOf(KeyHashBalancer.class);
    }

    @Test
    void shouldEjectANodeAfterConsecutiveFailuresUntilTheBackoffPasses()
    {
        final NodeHealth health = new NodeHealth(2, 1_000);
        health.onFailure(1, 0);
        health.onSuccess(1);
        health.onFailure(1, 10);
        assertThat(health.isUp(1, 10)).as("a success in between resets the count").isTrue();

        health.onFailure(1, 20);
        assertThat(health.isUp(1, 20)).isFalse();
        assertThat(health.isUp(1, 1_019)).isFalse();
        assertThat(health.isUp(1, 1_020)).isTrue();
        assertThat(health.isUp(2, 20)).isTrue();

        health.markDown(2, 500);
        assertThat(health.isUp(2, 499)).isFalse();
        health.onSuccess(2);
        assertThat(health.isUp(2, 499)).as("an answer clears it").isTrue();
    }

    /** A request to the node that ended after {@code latencyNs}. */
    private static void served(final ReplicaBalancer balancer, final int nodeId, final long latencyNs)
    {
        balancer.onRequest(nodeId, CHUNK);
        balancer.onResponse(nodeId, CHUNK, latencyNs);
    }
}
