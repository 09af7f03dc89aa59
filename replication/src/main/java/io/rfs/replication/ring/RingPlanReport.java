package io.rfs.replication.ring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code rfs ring plan} prints: how evenly a ring spreads data, and, for a change, how much data the change moves
 * and between whom. Built by {@link RingPlanner}; immutable.
 * <p>
 * Shares are fractions (0.25 is 25%). A node's <em>replica share</em> is its part of all stored data (every replica of
 * every key), its <em>ideal share</em> what it would hold with perfect balance given the weights, N and the zones
 * (see {@code docs/RING.md}), and its <em>deviation</em> {@code replicaShare / idealShare - 1}. Movement is measured
 * in stored data too: {@code movedFraction} is the part of all stored bytes that must be copied, {@code idealFraction}
 * the least any placement could move for the same change (the new node's ideal share for an addition, the removed
 * node's for a removal).
 * <p>
 * {@link #toText()} is the table for people; {@link #toMap()} the structure for {@code --json}, with field names that
 * are a contract for scripts.
 */
public final class RingPlanReport
{
    /**
     * One node of the planned ring.
     *
     * @param id           node id.
     * @param address      its address.
     * @param zone         its zone.
     * @param weight       its weight in hundredths (100 is a standard node).
     * @param vnodes       its token count.
     * @param primaryShare the part of the key space it owns as first replica.
     * @param replicaShare its part of all stored data.
     * @param idealShare   its part of all stored data under perfect balance.
     * @param deviation    {@code replicaShare / idealShare - 1}.
     */
    public record NodeRow(
        int id,
        String address,
        String zone,
        int weight,
        int vnodes,
        double primaryShare,
        double replicaShare,
        double idealShare,
        double deviation)
    {
    }

    /**
     * Data moving from one node to another.
     *
     * @param from     the node that gives the data up: the replica that leaves the range's replica set or, where none
     *                 leaves (the replica count grows), the range's old first replica, which can serve the copy.
     * @param to       the node that must receive it.
     * @param fraction its part of all stored data.
     */
    public record PairMove(int from, int to, double fraction)
    {
    }

    /**
     * What a change moves.
     *
     * @param added                 ids of nodes the change adds.
     * @param removed               ids of nodes it removes.
     * @param reweighted            ids of nodes whose weight it changes.
     * @param maxLoadOverMeanBefore the balance before the change.
     * @param movedFraction         part of all stored data that must be copied.
     * @param idealFraction         the least any placement would move for the same change.
     * @param rangesMoved           ranges in the diff.
     * @param primaryMoveFraction   moved data of ranges whose first replica is the changed node.
     * @param replicaShifts         hand-overs where the changed node is a second or later replica: the moves that
     *                              only replication (N above 1) forces.
     * @param replicaShiftFraction  their part of all stored data.
     * @param otherMoves            hand-overs between two nodes neither of which changed.
     * @param otherMoveFraction     their part of all stored data.
     * @param moves                 moved data by (from, to) pair, largest first.
     */
    public record Change(
        List<Integer> added,
        List<Integer> removed,
        List<Integer> reweighted,
        double maxLoadOverMeanBefore,
        double movedFraction,
        double idealFraction,
        int rangesMoved,
        double primaryMoveFraction,
        int replicaShifts,
        double replicaShiftFraction,
        int otherMoves,
        double otherMoveFraction,
        List<PairMove> moves)
    {
        /**
         * @return {@code movedFraction / idealFraction}, 1.0 when nothing had to move and nothing did.
         */
        public double movedOverIdeal()
        {
            if (idealFraction == 0)
            {
                return movedFraction == 0 ? 1.0 : Double.POSITIVE_INFINITY;
            }
            return movedFraction / idealFraction;
        }
    }

    private final long ringVersion;
    private final int replicationFactor;
    private final int vnodes;
    private final int zoneCount;
    private final int tokenCount;
    private final List<NodeRow> rows;
    private final double maxLoadOverMean;
    private final double maxLoadOverIdeal;
    private final double minLoadOverIdeal;
    private final double zoneViolationFraction;
    private final Change change;

    RingPlanReport(
        final Ring ring,
        final List<NodeRow> rows,
        final double maxLoadOverMean,
        final double maxLoadOverIdeal,
        final double minLoadOverIdeal,
        final double zoneViolationFraction,
        final Change change)
    {
        this.ringVersion = ring.version();
        this.replicationFactor = ring.replicationFactor();
        this.vnodes = ring.vnodes();
        this.zoneCount = ring.zoneCount();
        this.tokenCount = ring.tokenCount();
        this.rows = List.copyOf(rows);
        this.maxLoadOverMean = maxLoadOverMean;
        this.maxLoadOverIdeal = maxLoadOverIdeal;
        this.minLoadOverIdeal = minLoadOverIdeal;
        this.zoneViolationFraction = zoneViolationFraction;
        this.change = change;
    }

    /**
     * @return the planned ring's version.
     */
    public long ringVersion()
    {
        return ringVersion;
    }

    /**
     * @return N.
     */
    public int replicationFactor()
    {
        return replicationFactor;
    }

    /**
     * @return virtual nodes of a standard-weight node.
     */
    public int vnodes()
    {
        return vnodes;
    }

    /**
     * @return the number of zones.
     */
    public int zoneCount()
    {
        return zoneCount;
    }

    /**
     * @return the number of tokens.
     */
    public int tokenCount()
    {
        return tokenCount;
    }

    /**
     * @return one row per node of the planned ring (after the change, if any), ascending id.
     */
    public List<NodeRow> rows()
    {
        return rows;
    }

    /**
     * @return the most loaded node's replica load over the mean: the balance figure for equal nodes.
     */
    public double maxLoadOverMean()
    {
        return maxLoadOverMean;
    }

    /**
     * @return the largest {@code replicaShare / idealShare}: the balance figure when weights or zones differ.
     */
    public double maxLoadOverIdeal()
    {
        return maxLoadOverIdeal;
    }

    /**
     * @return the smallest {@code replicaShare / idealShare}.
     */
    public double minLoadOverIdeal()
    {
        return minLoadOverIdeal;
    }

    /**
     * @return the largest {@code |deviation|} over the nodes.
     */
    public double maxDeviation()
    {
        return Math.max(maxLoadOverIdeal - 1, 1 - minLoadOverIdeal);
    }

    /**
     * @return true if the ring has at least N zones, so that no key may have two replicas in one zone.
     */
    public boolean zoneRuleApplies()
    {
        return zoneCount >= replicationFactor;
    }

    /**
     * @return the part of the key space whose replicas include two in one zone although the ring has at least N
     * zones; 0 for a correct ring, and 0 when the rule does not apply.
     */
    public double zoneViolationFraction()
    {
        return zoneViolationFraction;
    }

    /**
     * @return what the planned change moves, or null if no change was planned.
     */
    public Change change()
    {
        return change;
    }

    /**
     * The {@code --json} structure: maps, lists, strings, numbers and booleans only, in a fixed key order, ready for
     * any JSON writer (Jackson's {@code valueToTree} for one).
     * <pre>
     * ringVersion, replicationFactor, vnodes, nodeCount, zoneCount, tokenCount,
     * maxLoadOverMean, maxLoadOverIdeal, minLoadOverIdeal, zoneRuleApplies, zoneViolationFraction,
     * nodes: [{id, address, zone, weight (relative, 1.0 = standard), vnodes, primaryShare, replicaShare, idealShare,
     *          deviation}],
     * and with a change: movedFraction, idealFraction, movedOverIdeal,
     * change: {added, removed, reweighted, maxLoadOverMeanBefore, rangesMoved, primaryMoveFraction, replicaShifts,
     *          replicaShiftFraction, otherMoves, otherMoveFraction, moves: [{from, to, fraction}]}
     * </pre>
     *
     * @return the report as nested maps and lists.
     */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("ringVersion", ringVersion);
        map.put("replicationFactor", replicationFactor);
        map.put("vnodes", vnodes);
        map.put("nodeCount", rows.size());
        map.put("zoneCount", zoneCount);
        map.put("tokenCount", tokenCount);
        map.put("maxLoadOverMean", maxLoadOverMean);
        map.put("maxLoadOverIdeal", maxLoadOverIdeal);
        map.put("minLoadOverIdeal", minLoadOverIdeal);
        map.put("zoneRuleApplies", zoneRuleApplies());
        map.put("zoneViolationFraction", zoneViolationFraction);
        final List<Object> nodes = new ArrayList<>(rows.size());
        for (final NodeRow row : rows)
        {
            final Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", row.id());
            node.put("address", row.address());
            node.put("zone", row.zone());
            node.put("weight", row.weight() / (double)RingNode.STANDARD_WEIGHT);
            node.put("vnodes", row.vnodes());
            node.put("primaryShare", row.primaryShare());
            node.put("replicaShare", row.replicaShare());
            node.put("idealShare", row.idealShare());
            node.put("deviation", row.deviation());
            nodes.add(node);
        }
        map.put("nodes", nodes);
        if (change != null)
        {
            map.put("movedFraction", change.movedFraction());
            map.put("idealFraction", change.idealFraction());
            map.put("movedOverIdeal", change.movedOverIdeal());
            final Map<String, Object> c = new LinkedHashMap<>();
            c.put("added", change.added());
            c.put("removed", change.removed());
            c.put("reweighted", change.reweighted());
            c.put("maxLoadOverMeanBefore", change.maxLoadOverMeanBefore());
            c.put("rangesMoved", change.rangesMoved());
            c.put("primaryMoveFraction", change.primaryMoveFraction());
            c.put("replicaShifts", change.replicaShifts());
            c.put("replicaShiftFraction", change.replicaShiftFraction());
            c.put("otherMoves", change.otherMoves());
            c.put("otherMoveFraction", change.otherMoveFraction());
            final List<Object> moves = new ArrayList<>(change.moves().size());
            for (final PairMove move : change.moves())
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", move.from());
                m.put("to", move.to());
                m.put("fraction", move.fraction());
                moves.add(m);
            }
            c.put("moves", moves);
            map.put("change", c);
        }
        return map;
    }

    /**
     * @return the report as a table for people.
     */
    public String toText()
    {
        final StringBuilder out = new StringBuilder(256 + rows.size() * 80);
        out.append(String.format(Locale.ROOT, "ring version %d: %d nodes in %d %s, N=%d, vnodes=%d, %d tokens%n",
            ringVersion, rows.size(), zoneCount, zoneCount == 1 ? "zone" : "zones", replicationFactor, vnodes,
            tokenCount));
        int zoneWidth = "zone".length();
        for (final NodeRow row : rows)
        {
            zoneWidth = Math.max(zoneWidth, row.zone().length());
        }
        out.append(String.format(Locale.ROOT, "  %6s  %-" + zoneWidth + "s  %6s  %6s  %8s  %8s  %8s  %9s%n",
            "node", "zone", "weight", "vnodes", "primary", "replica", "ideal", "deviation"));
        for (final NodeRow row : rows)
        {
            out.append(String.format(Locale.ROOT,
                "  %6d  %-" + zoneWidth + "s  %6.2f  %6d  %7.3f%%  %7.3f%%  %7.3f%%  %+8.2f%%%n",
                row.id(), row.zone(), row.weight() / (double)RingNode.STANDARD_WEIGHT, row.vnodes(),
                100 * row.primaryShare(), 100 * row.replicaShare(), 100 * row.idealShare(), 100 * row.deviation()));
        }
        out.append(String.format(Locale.ROOT, "maxLoadOverMean %.4f, load/ideal %.4f..%.4f%n",
            maxLoadOverMean, minLoadOverIdeal, maxLoadOverIdeal));
        if (zoneRuleApplies())
        {
            out.append(zoneViolationFraction == 0 ?
                String.format(Locale.ROOT, "zones: %d >= N=%d, no key has two replicas in one zone%n", zoneCount,
                    replicationFactor) :
                String.format(Locale.ROOT, "zones: %d >= N=%d, but %.6f%% of keys have two replicas in one zone%n",
                    zoneCount, replicationFactor, 100 * zoneViolationFraction));
        }
        else if (zoneCount > 1)
        {
            out.append(String.format(Locale.ROOT, "zones: %d < N=%d, replicas spread over all zones as evenly as " +
                "they allow%n", zoneCount, replicationFactor));
        }
        if (change != null)
        {
            appendChange(out);
        }
        return out.toString();
    }

    private void appendChange(final StringBuilder out)
    {
        out.append("change:");
        if (!change.added().isEmpty())
        {
            out.append(" add ").append(change.added());
        }
        if (!change.removed().isEmpty())
        {
            out.append(" remove ").append(change.removed());
        }
        if (!change.reweighted().isEmpty())
        {
            out.append(" reweight ").append(change.reweighted());
        }
        out.append(String.format(Locale.ROOT, " (maxLoadOverMean before %.4f)%n", change.maxLoadOverMeanBefore()));
        out.append(String.format(Locale.ROOT,
            "  moves %.3f%% of stored data, ideal %.3f%% (%.3fx), in %d ranges%n",
            100 * change.movedFraction(), 100 * change.idealFraction(), change.movedOverIdeal(),
            change.rangesMoved()));
        out.append(String.format(Locale.ROOT,
            "  where the changed node is first replica %.3f%%; replica shifts forced by N=%d: %d (%.3f%%); " +
            "moves between unchanged nodes: %d (%.3f%%)%n",
            100 * change.primaryMoveFraction(), replicationFactor, change.replicaShifts(),
            100 * change.replicaShiftFraction(), change.otherMoves(), 100 * change.otherMoveFraction()));
        out.append(String.format(Locale.ROOT, "  %6s -> %-6s  %8s%n", "from", "to", "share"));
        for (final PairMove move : change.moves())
        {
            out.append(String.format(Locale.ROOT, "  %6s -> %-6d  %7.3f%%%n",
                move.from() < 0 ? "-" : Integer.toString(move.from()), move.to(), 100 * move.fraction()));
        }
    }

    @Override
    public String toString()
    {
        return toText();
    }
}
