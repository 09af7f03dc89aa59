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

    @Test
    void shouldPreferTheReplicaWithFewestOutstandingRequestsWeightedByLatency()
    {
        final LeastOutstandingBalancer balancer = new LeastOutstandingBalancer();
        balancer.onRequest(1);
        balancer.onResponse(1, 1_000);
        balancer.onRequest(2);
        balancer.onResponse(2, 1_000);
        balancer.onRequest(3);
        balancer.onResponse(3, 50_000);

        assertThat(balancer.select(CANDIDATES, 3)).as("ties go to the ring's order").isZero();
        balancer.onRequest(1);
        assertThat(balancer.select(CANDIDATES, 3)).as("node 1 busy").isEqualTo(1);
        balancer.onRequest(2);
        balancer.onRequest(1);
        balancer.onRequest(2);
        assertThat(balancer.select(CANDIDATES, 3)).as("two in flight at 1 us beat none at 50 us").isZero();
        assertThat(balancer.outstanding(1)).isEqualTo(2);
    }

    @Test
    void shouldTryAReplicaWithNoHistoryAtTheFastestKnownLatency()
    {
        final LeastOutstandingBalancer balancer = new LeastOutstandingBalancer();
        balancer.onRequest(1);
        balancer.onResponse(1, 10_000);
        balancer.onRequest(1);

        assertThat(balancer.select(CANDIDATES, 3)).isEqualTo(1);
    }

    @Test
    void shouldMoveTheLatencyAverageTowardsNewSamples()
    {
        final LeastOutstandingBalancer balancer = new LeastOutstandingBalancer(0.5);
        balancer.onRequest(1);
        balancer.onResponse(1, 1_000);
        balancer.onRequest(2);
        balancer.onResponse(2, 2_000);
        assertThat(balancer.select(CANDIDATES, 2)).isZero();

        balancer.onRequest(1);
        balancer.onResponse(1, 5_000);   // ewma 3000 > 2000

        assertThat(balancer.select(CANDIDATES, 2)).isEqualTo(1);
    }

    @Test
    void shouldTakeCandidatesInTurn()
    {
        final RoundRobinBalancer balancer = new RoundRobinBalancer();
        final int[] picks = new int[6];
        for (int i = 0; i < picks.length; i++)
        {
            picks[i] = balancer.select(CANDIDATES, 3);
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
            picks[i] = CANDIDATES[balancer.select(CANDIDATES, 3)];
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
}
