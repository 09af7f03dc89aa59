package io.rfs.tools;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link RebalancePlan} against answers worked out by hand from the rings' tokens, never from {@code RingDiff}: with
 * N = 1 a node's share is the width of the ranges its tokens end, and only the changed node's tokens change, so every
 * other node's loss (or gain) is the changed node's gain (or loss), range for range; with N = 2 and three nodes of one
 * token each, a node holds every range but the one after its own token, which the other two hold.
 */
class RebalancePlanTest
{
    private static final long BANDWIDTH = 10L << 20;
    private static final double KEY_SPACE = 0x1p64;

    @Test
    void shouldCopyTheAddedNodesShareToItFromTheNodesThatLoseItAndTimeTheBusiestNode()
    {
        final Ring before = ring(1, 4, 1, 2, 3);
        final Ring after = before.withNode(node(4));
        final Map<Integer, Long> held = Map.of(1, 3_000_000_000L, 2, 1_000_000_000L, 3, 2_000_000_000L);
        final double distinct = 6_000_000_000.0;

        final RebalancePlan plan = RebalancePlan.of(before, after, held, Set.of(), id -> false, BANDWIDTH);

        final double gained = share(after, 4) * distinct;
        assertThat(gained).as("the new node takes something").isPositive();
        final Map<Integer, RebalancePlan.Flow> flows = byId(plan);
        assertThat(flows.keySet()).containsExactly(1, 2, 3, 4);
        assertFlow(flows.get(4), 0, gained, 0);
        for (final int id : new int[]{1, 2, 3})
        {
            assertFlow(flows.get(id), held.get(id), 0, (share(before, id) - share(after, id)) * distinct);
        }
        assertThat((double)plan.copiedBytes()).isCloseTo(gained, within(1.0));
        assertThat(plan.movedFraction()).isCloseTo(share(after, 4), within(1e-12));
        assertEstimate(plan, gained);
    }

    @Test
    void shouldSplitAnUpRemovedNodesRangesBetweenItsTwoOldReplicas()
    {
        final Ring before = ring(2, 1, 1, 2, 3);
        final Ring after = before.withoutNode(2);
        final Map<Integer, Long> held = Map.of(1, 4_000_000_000L, 2, 4_000_000_000L, 3, 4_000_000_000L);
        final double distinct = 12_000_000_000.0 / 2;

        final RebalancePlan plan = RebalancePlan.of(before, after, held, Set.of(), id -> false, BANDWIDTH);

        // N = 2 on two nodes: each receives the one range it lacked, from the two others in equal parts
        final double toOne = lackedByThreeSingleTokenNodes(before, 1) * distinct;
        final double toThree = lackedByThreeSingleTokenNodes(before, 3) * distinct;
        final Map<Integer, RebalancePlan.Flow> flows = byId(plan);
        assertFlow(flows.get(1), held.get(1), toOne, toThree / 2);
        assertFlow(flows.get(3), held.get(3), toThree, toOne / 2);
        assertFlow(flows.get(2), held.get(2), 0, (toOne + toThree) / 2);
        assertThat(flows.get(2).down()).isFalse();
        assertThat((double)plan.copiedBytes()).isCloseTo(toOne + toThree, within(1.0));
        assertThat(plan.movedFraction()).isCloseTo((toOne + toThree) / (2 * distinct), within(1e-12));
        assertEstimate(plan, Math.max(toOne + toThree / 2, Math.max(toThree + toOne / 2, (toOne + toThree) / 2)));
    }

    @Test
    void shouldLeaveAllTheSendingToTheOtherReplicaWhenTheRemovedNodeIsDown()
    {
        final Ring before = ring(2, 1, 1, 2, 3);
        final Ring after = before.withoutNode(2);
        final Map<Integer, Long> held = Map.of(1, 4_000_000_000L, 3, 4_000_000_000L);
        final double distinct = 8_000_000_000.0 / 2;

        final RebalancePlan plan = RebalancePlan.of(before, after, held, Set.of(), id -> id == 2, BANDWIDTH);

        final double toOne = lackedByThreeSingleTokenNodes(before, 1) * distinct;
        final double toThree = lackedByThreeSingleTokenNodes(before, 3) * distinct;
        final Map<Integer, RebalancePlan.Flow> flows = byId(plan);
        assertFlow(flows.get(1), held.get(1), toOne, toThree);
        assertFlow(flows.get(3), held.get(3), toThree, toOne);
        assertFlow(flows.get(2), 0, 0, 0);
        assertThat(flows.get(2).down()).isTrue();
        assertEstimate(plan, toOne + toThree);
    }

    @Test
    void shouldMarkTheHeldBytesOfANodeThatDidNotReportItsChunkRecordsAsEstimatedFromDiskUsage()
    {
        final Ring before = ring(2, 1, 1, 2, 3);
        final Ring after = before.withoutNode(2);
        final Map<Integer, Long> held = Map.of(1, 4_000_000_000L, 2, 7_000_000_000L, 3, 4_000_000_000L);

        final RebalancePlan plan = RebalancePlan.of(before, after, held, Set.of(2), id -> id == 2, BANDWIDTH);

        final Map<Integer, RebalancePlan.Flow> flows = byId(plan);
        assertThat(flows.get(2).heldFromDiskUsage()).isTrue();
        assertThat(flows.get(1).heldFromDiskUsage()).isFalse();
        assertThat(flows.get(3).heldFromDiskUsage()).isFalse();
        final List<String> lines = plan.toText().lines().toList();
        assertThat(lines).filteredOn(line -> line.contains("estimated from disk usage")).singleElement()
            .asString().startsWith("2 ");
        assertThat(Json.rebalancePlan(plan).get("nodes").findValuesAsText("heldFromDiskUsage"))
            .containsExactly("false", "true", "false");
    }

    @Test
    void shouldCopyOnlyToANodeWhoseWeightIsRaisedAndOnlyFromOneWhoseWeightIsLowered()
    {
        final Ring ring = ring(1, 4, 1, 2, 3, 4);
        final Map<Integer, Long> held = Map.of(1, 1_000_000_000L, 2, 1_000_000_000L, 3, 1_000_000_000L,
            4, 1_000_000_000L);
        final double distinct = 4_000_000_000.0;

        final Ring heavier = ring.withWeight(2, 200);
        final RebalancePlan raised = RebalancePlan.of(ring, heavier, held, Set.of(), id -> false, BANDWIDTH);
        final double gained = (share(heavier, 2) - share(ring, 2)) * distinct;
        assertThat(gained).isPositive();
        final Map<Integer, RebalancePlan.Flow> raisedFlows = byId(raised);
        assertFlow(raisedFlows.get(2), held.get(2), gained, 0);
        for (final int id : new int[]{1, 3, 4})
        {
            assertFlow(raisedFlows.get(id), held.get(id), 0, (share(ring, id) - share(heavier, id)) * distinct);
        }
        assertEstimate(raised, gained);

        final Ring lighter = ring.withWeight(2, 50);
        final RebalancePlan lowered = RebalancePlan.of(ring, lighter, held, Set.of(), id -> false, BANDWIDTH);
        final double lost = (share(ring, 2) - share(lighter, 2)) * distinct;
        assertThat(lost).isPositive();
        final Map<Integer, RebalancePlan.Flow> loweredFlows = byId(lowered);
        assertFlow(loweredFlows.get(2), held.get(2), 0, lost);
        for (final int id : new int[]{1, 3, 4})
        {
            assertFlow(loweredFlows.get(id), held.get(id), (share(lighter, id) - share(ring, id)) * distinct, 0);
        }
        assertThat((double)lowered.copiedBytes()).isCloseTo(lost, within(1.0));
        assertEstimate(lowered, lost);
    }

    private static Ring ring(final int replicationFactor, final int vnodes, final int... ids)
    {
        Ring ring = Ring.empty(replicationFactor, vnodes);
        for (final int id : ids)
        {
            ring = ring.withNode(node(id));
        }
        return ring;
    }

    private static RingNode node(final int id)
    {
        return RingNode.of(id, "127.0.0.1:" + (7000 + id));
    }

    /**
     * @return with N = 1, the share of the key space the node's tokens end: each token's range reaches back to the
     * token before it, wrapping.
     */
    private static double share(final Ring ring, final int id)
    {
        double share = 0;
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            if (ring.tokenOwner(i) == id)
            {
                share += width(ring.token(i == 0 ? ring.tokenCount() - 1 : i - 1), ring.token(i));
            }
        }
        return share;
    }

    /**
     * @return with N = 2 and three nodes of one token each, the range a node does not hold: from its token to the next
     * one, which that token's owner and the one after it hold.
     */
    private static double lackedByThreeSingleTokenNodes(final Ring ring, final int id)
    {
        assertThat(ring.tokenCount()).isEqualTo(3);
        for (int i = 0; i < 3; i++)
        {
            if (ring.tokenOwner(i) == id)
            {
                return width(ring.token(i), ring.token((i + 1) % 3));
            }
        }
        throw new AssertionError("node " + id + " has no token");
    }

    /**
     * @return the share of the key space in {@code (start, end]}, unsigned and wrapping.
     */
    private static double width(final long start, final long end)
    {
        final BigInteger span = new BigInteger(Long.toUnsignedString(end))
            .subtract(new BigInteger(Long.toUnsignedString(start))).mod(BigInteger.ONE.shiftLeft(64));
        return span.doubleValue() / KEY_SPACE;
    }

    private static Map<Integer, RebalancePlan.Flow> byId(final RebalancePlan plan)
    {
        final Map<Integer, RebalancePlan.Flow> flows = new TreeMap<>();
        plan.flows().forEach(flow -> flows.put(flow.id(), flow));
        return flows;
    }

    private static void assertFlow(final RebalancePlan.Flow flow, final long held, final double in, final double out)
    {
        assertThat(flow.heldBytes()).as("node %d holds", flow.id()).isEqualTo(held);
        assertThat((double)flow.inBytes()).as("node %d receives", flow.id()).isCloseTo(in, within(1.0));
        assertThat((double)flow.outBytes()).as("node %d sends", flow.id()).isCloseTo(out, within(1.0));
    }

    /**
     * One token bucket per node covers what it sends and receives, so the busiest node's bytes in and out set the time.
     */
    private static void assertEstimate(final RebalancePlan plan, final double busiestBytes)
    {
        assertThat(plan.bandwidth()).isEqualTo(BANDWIDTH);
        assertThat((double)plan.estimatedNs()).isCloseTo(busiestBytes / BANDWIDTH * 1e9, within(2.0));
    }
}
