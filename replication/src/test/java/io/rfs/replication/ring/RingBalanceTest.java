package io.rfs.replication.ring;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue's targets at default settings (N = 3, {@link Ring#DEFAULT_VNODES} vnodes), on rings grown the way a
 * cluster grows, one node at a time. Prints the measured figures (see
 * {@code target/surefire-reports/*RingBalanceTest-output.txt}); docs/RING.md quotes them.
 */
class RingBalanceTest
{
    private static final Set<Integer> SIZES = Set.of(3, 5, 10, 30, 100);

    @Test
    void shouldKeepTheMostLoadedOfEqualNodesWithin5PercentOfTheMeanAndMovementWithinATenthOfIdeal()
    {
        Ring ring = Ring.empty();
        for (int id = 1; id <= 100; id++)
        {
            ring = ring.withNode(Rings.node(id));
            if (SIZES.contains(id))
            {
                final RingPlanReport report = RingPlanner.report(ring);
                final RingPlanReport add = RingPlanner.report(ring, ring.withNode(Rings.node(1000)));
                final RingPlanReport remove = RingPlanner.report(ring, ring.withoutNode(1 + id / 2));
                System.out.printf(Locale.ROOT, "nodes=%3d maxLoadOverMean=%.4f minLoadOverIdeal=%.4f | add: " +
                        "moved=%.5f ideal=%.5f ratio=%.4f shifts=%d other=%d | remove: moved=%.5f ideal=%.5f " +
                        "ratio=%.4f other=%d%n",
                    id, report.maxLoadOverMean(), report.minLoadOverIdeal(), add.change().movedFraction(),
                    add.change().idealFraction(), add.change().movedOverIdeal(), add.change().replicaShifts(),
                    add.change().otherMoves(), remove.change().movedFraction(), remove.change().idealFraction(),
                    remove.change().movedOverIdeal(), remove.change().otherMoves());

                assertThat(report.maxLoadOverMean()).as("nodes=%d", id).isLessThanOrEqualTo(1.05);
                assertThat(add.change().movedOverIdeal()).as("add to %d", id).isLessThanOrEqualTo(1.1);
                assertThat(remove.change().movedOverIdeal()).as("remove from %d", id).isLessThanOrEqualTo(1.1);
                assertThat(add.change().otherMoves() + remove.change().otherMoves()).isZero();
            }
        }
    }

    @Test
    void shouldGiveWeightedNodesLoadWithin5PercentOfTheirShare()
    {
        final int[] weights = { 100, 50, 200, 150, 300, 100, 75, 250 };
        Ring ring = Ring.empty();
        for (int id = 1; id <= 24; id++)
        {
            ring = ring.withNode(Rings.node(id, weights[id % weights.length], RingNode.DEFAULT_ZONE));
            if (id >= 8)
            {
                final RingPlanReport report = RingPlanner.report(ring);
                assertThat(report.maxDeviation()).as("nodes=%d", id).isLessThanOrEqualTo(0.05);
                if (id % 8 == 0)
                {
                    System.out.printf(Locale.ROOT, "weighted nodes=%d load/ideal %.4f..%.4f%n", id,
                        report.minLoadOverIdeal(), report.maxLoadOverIdeal());
                }
            }
        }
    }

    @Test
    void shouldNeverPutTwoReplicasInOneZoneAndBalanceWithinZones()
    {
        for (final int zones : new int[]{ 3, 4, 5 })
        {
            final Ring ring = Rings.equalNodes(30, Ring.DEFAULT_VNODES, 3, zones);
            final RingPlanReport report = RingPlanner.report(ring);
            System.out.printf(Locale.ROOT, "zones=%d nodes=30 violations=%.6f load/ideal %.4f..%.4f%n", zones,
                report.zoneViolationFraction(), report.minLoadOverIdeal(), report.maxLoadOverIdeal());

            assertThat(report.zoneRuleApplies()).isTrue();
            assertThat(report.zoneViolationFraction()).isZero();
            assertThat(report.maxDeviation()).isLessThanOrEqualTo(0.05);
        }
    }
}
