package io.rfs.tools;

import io.rfs.replication.ring.RangeMove;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingDiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * What a ring change will move, before anything moves ({@code rfs cluster add-node --dry-run},
 * {@code remove-node --dry-run}): from the ring diff, the bytes each node will receive and send, and the time that
 * takes at the repair bandwidth.
 * <p>
 * The cluster's distinct data is estimated as the bytes its nodes hold divided by N (the bytes of the chunk records
 * a running node reports, else its data directory's disk usage); a range of the diff carries
 * its share of the key space of that. Each node that joins a range receives it; the range's old replicas that stay
 * up send it, in equal parts (repair takes the holders in turn). A node's copies draw on one token bucket for what
 * it sends and receives, so the estimate is the largest node's bytes in and out over the bandwidth.
 *
 * @param before       the ring in force.
 * @param after        the ring after the change.
 * @param copiedBytes  bytes to copy in all.
 * @param movedFraction the copied bytes as a fraction of all stored bytes (RingDiff#movedFraction).
 * @param flows        per node, in id order.
 * @param bandwidth    repair bytes per second per node.
 * @param estimatedNs  the estimated duration.
 */
record RebalancePlan(
    Ring before, Ring after, long copiedBytes, double movedFraction, List<Flow> flows, long bandwidth,
    long estimatedNs)
{
    /**
     * One node's part.
     *
     * @param id        the node.
     * @param heldBytes the bytes it holds now (as measured), 0 if unknown.
     * @param inBytes   bytes it will receive.
     * @param outBytes  bytes it will send.
     * @param down      whether it is down (it sends nothing).
     * @param heldFromDiskUsage whether heldBytes is its data directory's disk usage, which overstates its chunk
     *                  records (it did not report them).
     */
    record Flow(int id, long heldBytes, long inBytes, long outBytes, boolean down, boolean heldFromDiskUsage)
    {
    }

    RebalancePlan
    {
        flows = Collections.unmodifiableList(new ArrayList<>(flows));
    }

    /**
     * @param before    the ring in force.
     * @param after     the ring after the change.
     * @param heldBytes node id to the bytes it holds; nodes missing count as 0.
     * @param fromDiskUsage the nodes whose held bytes are their disk usage, not their chunk records' bytes.
     * @param isDown    which nodes are down.
     * @param bandwidth {@code repair.bandwidth}, bytes per second per node.
     * @return the plan.
     */
    static RebalancePlan of(
        final Ring before, final Ring after, final Map<Integer, Long> heldBytes, final Set<Integer> fromDiskUsage,
        final IntPredicate isDown, final long bandwidth)
    {
        long stored = 0;
        for (final var node : before.nodes())
        {
            stored += heldBytes.getOrDefault(node.id(), 0L);
        }
        final double distinct = (double)stored / Math.max(1, before.replicaCount());
        final SortedMap<Integer, double[]> io = new TreeMap<>();
        before.nodes().forEach(node -> io.put(node.id(), new double[2]));
        after.nodes().forEach(node -> io.putIfAbsent(node.id(), new double[2]));
        final RingDiff diff = before.diff(after);
        double copied = 0;
        for (final RangeMove move : diff.moves())
        {
            final double bytes = move.fraction() * distinct;
            final int[] joined = move.joined();
            final List<Integer> sources = new ArrayList<>();
            for (final int from : move.from())
            {
                if (!isDown.test(from))
                {
                    sources.add(from);
                }
            }
            for (final int target : joined)
            {
                io.get(target)[0] += bytes;
                copied += bytes;
                for (final int source : sources)
                {
                    io.get(source)[1] += bytes / sources.size();
                }
            }
        }
        final List<Flow> flows = new ArrayList<>();
        double busiest = 0;
        for (final var entry : io.entrySet())
        {
            final double[] flow = entry.getValue();
            busiest = Math.max(busiest, flow[0] + flow[1]);
            flows.add(new Flow(entry.getKey(), heldBytes.getOrDefault(entry.getKey(), 0L), Math.round(flow[0]),
                Math.round(flow[1]), isDown.test(entry.getKey()), fromDiskUsage.contains(entry.getKey())));
        }
        final long estimatedNs = (long)(busiest / bandwidth * 1e9);
        return new RebalancePlan(before, after, Math.round(copied), diff.movedFraction(), flows, bandwidth,
            estimatedNs);
    }

    /**
     * @return the plan as lines of text.
     */
    String toText()
    {
        final StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
            "ring version %d -> %d: copy %s (%.2f%% of the stored data) at %s/s per node, " +
            "about %s%n", before.version(), after.version(), Format.bytes(copiedBytes), 100 * movedFraction,
            Format.bytes(bandwidth), Format.seconds(estimatedNs)));
        text.append(String.format(Locale.ROOT, "%-6s %12s %12s %12s%n", "node", "holds", "receives", "sends"));
        for (final Flow flow : flows)
        {
            text.append(String.format(Locale.ROOT, "%-6s %12s %12s %12s%s%n", flow.id(), Format.bytes(flow.heldBytes()),
                Format.bytes(flow.inBytes()), Format.bytes(flow.outBytes()),
                (flow.down() && before.contains(flow.id()) ? "  down" : "") +
                (after.contains(flow.id()) ? "" : "  leaves the ring") +
                (before.contains(flow.id()) ? "" : "  joins the ring") +
                (flow.heldFromDiskUsage() ? "  holds: estimated from disk usage" : "")));
        }
        return text.toString();
    }
}
