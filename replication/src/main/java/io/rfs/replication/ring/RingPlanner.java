package io.rfs.replication.ring;

import io.rfs.store.ConfigurationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's planner behind {@code rfs ring plan}, in the spirit of swift-ring-builder: builds the ring a cluster
 * of a given shape would have, and reports its balance and what adding or removing nodes would move.
 * <pre>{@code
 * RingPlanReport report = new RingPlanner()
 *     .nodes(10).vnodes(256).replicationFactor(3).zones(3)   // rfs ring plan --nodes 10 --vnodes 256 --rf 3 --zones 3
 *     .add(1)                                                // --add 1   (or .remove(4) for --remove 4)
 *     .plan();
 * System.out.print(report.toText());                         // or write report.toMap() as JSON for --json
 * }</pre>
 * The planned cluster has nodes {@code 1..n} at {@code node-<id>:7000}, built as a real cluster grows: added one at a
 * time in id order. With {@code zones(k)} node {@code i} is in zone {@code z<((i - 1) mod k) + 1>}; without, all
 * share one zone. Added nodes take the next ids and continue the zone rotation. Weights are relative, 1.0 being a
 * standard node. Setters validate when {@link #plan()} runs, throwing {@link ConfigurationException} naming the
 * setting and value (a usage error for a command line).
 * <p>
 * {@link #report(Ring)} and {@link #report(Ring, Ring)} do the same for real rings. Not thread safe.
 */
public final class RingPlanner
{
    /** Node count unless set. */
    public static final int NODES_DEFAULT = 10;
    /** Port of the planned nodes' addresses. */
    public static final int PORT = 7000;

    private int nodes = NODES_DEFAULT;
    private int vnodes = Ring.DEFAULT_VNODES;
    private int replicationFactor = Ring.DEFAULT_REPLICATION_FACTOR;
    private int zones;
    private double[] weights = new double[0];
    private int add;
    private double addWeight = 1.0;
    private int[] remove = new int[0];

    /**
     * @param nodes nodes in the planned cluster, 1 to {@link Ring#MAX_NODES}; default {@link #NODES_DEFAULT}.
     * @return this planner.
     */
    public RingPlanner nodes(final int nodes)
    {
        this.nodes = nodes;
        return this;
    }

    /**
     * @param vnodes virtual nodes of a standard node; default {@link Ring#DEFAULT_VNODES}.
     * @return this planner.
     */
    public RingPlanner vnodes(final int vnodes)
    {
        this.vnodes = vnodes;
        return this;
    }

    /**
     * @param replicationFactor N; default {@link Ring#DEFAULT_REPLICATION_FACTOR}.
     * @return this planner.
     */
    public RingPlanner replicationFactor(final int replicationFactor)
    {
        this.replicationFactor = replicationFactor;
        return this;
    }

    /**
     * @param zones number of zones the nodes rotate through; 0 (the default) for none.
     * @return this planner.
     */
    public RingPlanner zones(final int zones)
    {
        this.zones = zones;
        return this;
    }

    /**
     * @param weights relative weight of each node in id order (1.0 is standard, 0.01 to 100 in steps of 0.01): one per
     *                node, one for all, or none for all standard.
     * @return this planner.
     */
    public RingPlanner weights(final double... weights)
    {
        this.weights = weights.clone();
        return this;
    }

    /**
     * @param count nodes to plan adding; 0 (the default) for none.
     * @return this planner.
     */
    public RingPlanner add(final int count)
    {
        this.add = count;
        return this;
    }

    /**
     * @param weight relative weight of the added nodes; default 1.0.
     * @return this planner.
     */
    public RingPlanner addWeight(final double weight)
    {
        this.addWeight = weight;
        return this;
    }

    /**
     * @param ids nodes to plan removing (after any additions).
     * @return this planner.
     */
    public RingPlanner remove(final int... ids)
    {
        this.remove = ids.clone();
        return this;
    }

    /**
     * @return the planned cluster's ring before any change.
     * @throws ConfigurationException if a setting is out of range.
     */
    public Ring ring()
    {
        validate();
        Ring ring = Ring.empty(replicationFactor, vnodes);
        for (int id = 1; id <= nodes; id++)
        {
            ring = ring.withNode(node(id, weightOf(id)));
        }
        return ring;
    }

    /**
     * Builds the planned ring, applies the planned change if any, and reports.
     *
     * @return the report.
     * @throws ConfigurationException if a setting is out of range.
     */
    public RingPlanReport plan()
    {
        final Ring before = ring();
        if (add == 0 && remove.length == 0)
        {
            return report(before);
        }
        Ring after = before;
        for (int i = 1; i <= add; i++)
        {
            after = after.withNode(node(nodes + i, addWeight));
        }
        for (final int id : remove)
        {
            after = after.withoutNode(id);
        }
        return report(before, after);
    }

    /**
     * @param ring a ring.
     * @return its balance.
     */
    public static RingPlanReport report(final Ring ring)
    {
        return report(ring, null);
    }

    /**
     * @param before a ring.
     * @param after  the ring after a change; null to report {@code before} alone.
     * @return the balance of {@code after} and what the change moves.
     */
    public static RingPlanReport report(final Ring before, final Ring after)
    {
        final Ring ring = after == null ? before : after;
        final RingLoads loads = RingLoads.of(ring);
        final double[] targets = targets(ring);
        final int n = ring.nodeCount();
        double totalLoad = 0;
        double totalTarget = 0;
        double maxLoad = 0;
        double maxOverIdeal = n == 0 ? 1 : 0;
        double minOverIdeal = n == 0 ? 1 : Double.MAX_VALUE;
        for (int i = 0; i < n; i++)
        {
            totalLoad += loads.replica()[i];
            totalTarget += targets[i];
            maxLoad = Math.max(maxLoad, loads.replica()[i]);
            final double overIdeal = loads.replica()[i] / targets[i];
            maxOverIdeal = Math.max(maxOverIdeal, overIdeal);
            minOverIdeal = Math.min(minOverIdeal, overIdeal);
        }
        final int[] tokenCounts = new int[n];
        for (final int owner : ring.ownerArray())
        {
            tokenCounts[owner]++;
        }
        final List<RingPlanReport.NodeRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
        {
            final RingNode node = ring.nodeArray()[i];
            final double replicaShare = loads.replica()[i] / totalLoad;
            final double idealShare = targets[i] / totalTarget;
            rows.add(new RingPlanReport.NodeRow(node.id(), node.address(), node.zone(), node.weight(),
                tokenCounts[i], loads.primary()[i], replicaShare, idealShare, replicaShare / idealShare - 1));
        }
        final double maxLoadOverMean = n == 0 ? 1 : maxLoad / (totalLoad / n);
        final RingPlanReport.Change change = after == null ? null : change(before, after);
        return new RingPlanReport(ring, rows, maxLoadOverMean, maxOverIdeal, minOverIdeal,
            zoneViolationFraction(ring), change);
    }

    private static RingPlanReport.Change change(final Ring before, final Ring after)
    {
        final List<Integer> added = new ArrayList<>();
        final List<Integer> removed = new ArrayList<>();
        final List<Integer> reweighted = new ArrayList<>();
        for (final RingNode node : after.nodeArray())
        {
            if (!before.contains(node.id()))
            {
                added.add(node.id());
            }
            else if (before.node(node.id()).weight() != node.weight())
            {
                reweighted.add(node.id());
            }
        }
        for (final RingNode node : before.nodeArray())
        {
            if (!after.contains(node.id()))
            {
                removed.add(node.id());
            }
        }

        final RingDiff diff = RingDiff.between(before, after);
        final double stored = Math.max(before.nodeCount() == 0 ? 0 : before.replicaCount(),
            after.nodeCount() == 0 ? 0 : after.replicaCount());
        final Map<Long, Double> byPair = new TreeMap<>();
        double primary = 0;
        double shifts = 0;
        double other = 0;
        int shiftCount = 0;
        int otherCount = 0;
        for (final RangeMove move : diff.moves())
        {
            final int[] from = move.fromArray();
            final int[] to = move.toArray();
            final int[] joined = move.joined();
            final int[] left = move.left();
            final double fraction = move.fraction() / stored;
            for (int k = 0; k < joined.length; k++)
            {
                final int source = k < left.length ? left[k] : (from.length > 0 ? from[0] : -1);
                final int target = joined[k];
                byPair.merge(((long)source << 32) | (target & 0xFFFFFFFFL), fraction, Double::sum);
                final boolean sourceChanged = removed.contains(source) || reweighted.contains(source);
                final boolean targetChanged = added.contains(target) || reweighted.contains(target);
                if (!sourceChanged && !targetChanged)
                {
                    other += fraction;
                    otherCount++;
                }
                else if ((targetChanged && to[0] == target) || (sourceChanged && from.length > 0 && from[0] == source))
                {
                    primary += fraction;
                }
                else
                {
                    shifts += fraction;
                    shiftCount++;
                }
            }
        }
        final List<RingPlanReport.PairMove> moves = new ArrayList<>(byPair.size());
        for (final Map.Entry<Long, Double> entry : byPair.entrySet())
        {
            moves.add(new RingPlanReport.PairMove((int)(entry.getKey() >> 32), (int)(long)entry.getKey(),
                entry.getValue()));
        }
        moves.sort(Comparator.comparingDouble(RingPlanReport.PairMove::fraction).reversed()
            .thenComparingInt(RingPlanReport.PairMove::from).thenComparingInt(RingPlanReport.PairMove::to));

        return new RingPlanReport.Change(List.copyOf(added), List.copyOf(removed), List.copyOf(reweighted),
            report(before).maxLoadOverMean(), diff.movedFraction(), idealFraction(before, after, stored),
            diff.moves().size(), primary, shiftCount, shifts, otherCount, other, List.copyOf(moves));
    }

    /**
     * The least data any placement must move for a change: every node whose ideal load grows must receive at least
     * the growth.
     */
    private static double idealFraction(final Ring before, final Ring after, final double stored)
    {
        if (stored == 0)
        {
            return 0;
        }
        final double[] targetsBefore = targets(before);
        final double[] targetsAfter = targets(after);
        double growth = 0;
        for (int i = 0; i < after.nodeCount(); i++)
        {
            final int index = before.indexOfNode(after.nodeArray()[i].id());
            final double was = index < 0 ? 0 : targetsBefore[index];
            growth += Math.max(0, targetsAfter[i] - was);
        }
        return growth / stored;
    }

    private static double[] targets(final Ring ring)
    {
        final int[] weights = new int[ring.nodeCount()];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = ring.nodeArray()[i].weight();
        }
        return LoadTargets.replicaTargets(ring.replicationFactor(), weights, ring.zoneOfNode(), ring.zoneCount());
    }

    private static double zoneViolationFraction(final Ring ring)
    {
        if (ring.zoneCount() < ring.replicationFactor())
        {
            return 0;
        }
        final int[] set = new int[ring.replicationFactor()];
        final int[] zoneOfNode = ring.zoneOfNode();
        final long[] tokens = ring.tokenArray();
        double violation = 0;
        for (int i = 0; i < tokens.length; i++)
        {
            final int count = ring.replicasAt(i, set);
            boolean repeated = false;
            for (int a = 0; a < count && !repeated; a++)
            {
                for (int b = a + 1; b < count; b++)
                {
                    if (zoneOfNode[ring.indexOfNode(set[a])] == zoneOfNode[ring.indexOfNode(set[b])])
                    {
                        repeated = true;
                        break;
                    }
                }
            }
            if (repeated)
            {
                violation += ring.rangeFraction(i);
            }
        }
        return violation;
    }

    private RingNode node(final int id, final double weight)
    {
        final String zone = zones == 0 ? RingNode.DEFAULT_ZONE : "z" + ((id - 1) % zones + 1);
        return new RingNode(id, "node-" + id + ":" + PORT, toWeight(weight), zone);
    }

    private double weightOf(final int id)
    {
        return weights.length == 0 ? 1.0 : weights[weights.length == 1 ? 0 : id - 1];
    }

    private static int toWeight(final double relative)
    {
        return (int)Math.round(relative * RingNode.STANDARD_WEIGHT);
    }

    private void validate()
    {
        if (nodes < 1 || nodes > Ring.MAX_NODES)
        {
            throw new ConfigurationException("nodes", nodes, "must be 1 to " + Ring.MAX_NODES);
        }
        if (vnodes < 1 || vnodes > Ring.MAX_VNODES)
        {
            throw new ConfigurationException("vnodes", vnodes, "must be 1 to " + Ring.MAX_VNODES);
        }
        if (replicationFactor < 1 || replicationFactor > Ring.MAX_REPLICATION_FACTOR)
        {
            throw new ConfigurationException("rf", replicationFactor, "must be 1 to " + Ring.MAX_REPLICATION_FACTOR);
        }
        if (zones < 0 || zones > Ring.MAX_NODES)
        {
            throw new ConfigurationException("zones", zones, "must be 0 (none) to " + Ring.MAX_NODES);
        }
        if (weights.length > 1 && weights.length != nodes)
        {
            throw new ConfigurationException("weights", Arrays.toString(weights),
                "needs one weight per node (" + nodes + "), or one for all");
        }
        for (final double weight : weights)
        {
            checkWeight("weights", weight);
        }
        checkWeight("addWeight", addWeight);
        if (add < 0 || nodes + add > Ring.MAX_NODES)
        {
            throw new ConfigurationException("add", add, "must be 0 to " + (Ring.MAX_NODES - nodes));
        }
        final boolean[] seen = new boolean[nodes + add + 1];
        for (final int id : remove)
        {
            if (id < 1 || id > nodes + add)
            {
                throw new ConfigurationException(
                    "remove", id, "is not a node of the plan (1 to " + (nodes + add) + ")");
            }
            if (seen[id])
            {
                throw new ConfigurationException("remove", id, "is listed twice");
            }
            seen[id] = true;
        }
        if (remove.length >= nodes + add)
        {
            throw new ConfigurationException("remove", Arrays.toString(remove), "would leave no node");
        }
        long tokens = (long)add * Ring.vnodesFor(vnodes, toWeight(addWeight));
        for (int id = 1; id <= nodes; id++)
        {
            tokens += Ring.vnodesFor(vnodes, toWeight(weightOf(id)));
        }
        if (tokens > Ring.MAX_TOKENS)
        {
            throw new ConfigurationException("vnodes", vnodes, "with these nodes and weights gives " + tokens +
                " tokens, more than " + Ring.MAX_TOKENS);
        }
    }

    private static void checkWeight(final String name, final double weight)
    {
        final long hundredths = Math.round(weight * RingNode.STANDARD_WEIGHT);
        if (!(weight > 0) || hundredths < 1 || hundredths > RingNode.MAX_WEIGHT)
        {
            throw new ConfigurationException(name, weight, "must be 0.01 to " +
                (RingNode.MAX_WEIGHT / RingNode.STANDARD_WEIGHT) + " (1.0 is a standard node)");
        }
    }
}
