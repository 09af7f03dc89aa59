package io.rfs.replication.ring;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A position's whole preference list: every node of a {@link Ring} in the order the placement rule prefers it, so
 * that the nodes after the first {@link Ring#replicaCount()} (the replicas) are where a sloppy-quorum write goes when
 * owners are down (docs/RING.md, "Fallback nodes").
 * <p>
 * The order is the placement rule's own ({@link ReplicaSelector}): walk clockwise from the position's token, number
 * each zone's distinct nodes in the order met (rank 1, 2, ...), and order all nodes by (rank, order met). The first
 * {@code N} are therefore exactly {@link Ring#replicas}; the next ones are the remaining zones' first nodes, then
 * every zone's second node, and so on, which spreads fallbacks over zones as the replicas are spread.
 * <p>
 * A writer that knows every down owner at once can call {@link #substitutes}: for each owner the failure detector
 * says is down, one distinct live fallback, chosen in the down owner's zone where the list has one (so the write
 * keeps the zone spread the replicas would have had), else the next live one in preference order. Each substitute is
 * sent a hinted write naming the owner it stands in for. {@code QuorumWriter} in {@code availability} mode learns of
 * owners one at a time (ejected, late, timed out) and of stand-ins that refuse, so it takes {@link #all} once per
 * write and applies the same rule to one owner at a time.
 * <pre>{@code
 * final PreferenceList preferences = new PreferenceList();          // one per thread; reuse it
 * final int n = preferences.substitutes(ring, Ring.chunkPosition(id), detector::isDown, fallbacks, hintedFor);
 * for (int i = 0; i < n; i++)
 * {
 *     encoder.hintedFor(hintedFor[i]);                               // PutChunkRequest to fallbacks[i]
 * }
 * // n < down owners: no live node is left to stand in; in availability mode the put fails only if W is
 * // unreachable even so.
 * }</pre>
 * <p>
 * <b>Cost.</b> A walk visits tokens clockwise until it has met every node (about {@code M ln M} tokens for
 * {@code M} equal nodes), then sorts the nodes by rank (a counting sort), and allocates nothing once its scratch
 * arrays have grown to the ring's node count; the last walk is reused for the same ring and token range.
 * {@code PreferenceListBenchmark}: about 0.7 us per {@code substitutes} at 10 nodes and 7 to 10 us at 100 nodes of
 * 256 vnodes, 0 B/op; paid only for a key whose owner is down. Not thread safe: keep one per thread. The ring
 * itself may be shared.
 */
public final class PreferenceList
{
    private int[] order = new int[0];
    private int[] rankOf = new int[0];
    private int[] stampOfNode = new int[0];
    private int[] seenInZone = new int[0];
    private int[] zoneStamp = new int[0];
    private int[] sorted = new int[0];
    private int[] rankStart = new int[0];
    private boolean[] used = new boolean[0];
    private int stamp;
    private Ring walked;
    private int walkedToken;
    private int walkedCount;

    /**
     * Lists every node of the ring in preference order for a position.
     *
     * @param ring     the ring.
     * @param position a key's ring position ({@link Ring#chunkPosition}, {@link Ring#manifestPosition}).
     * @param dst      receives node ids, most preferred first; the first {@link Ring#replicaCount()} are the
     *                 replicas.
     * @return ids written: the ring's node count, or {@code dst.length} if that is smaller.
     */
    public int all(final Ring ring, final long position, final int[] dst)
    {
        final int count = walk(ring, position);
        final RingNode[] nodes = ring.nodeArray();
        final int n = Math.min(count, dst.length);
        for (int i = 0; i < n; i++)
        {
            dst[i] = nodes[sorted[i]].id();
        }
        return n;
    }

    /**
     * The nodes after the replicas, in preference order, leaving out those {@code skip} accepts (down nodes).
     *
     * @param ring     the ring.
     * @param position a key's ring position.
     * @param skip     true for a node id to leave out; must not allocate if the caller needs an allocation-free
     *                 call (a method reference kept in a field is fine).
     * @param dst      receives node ids.
     * @return ids written, at most {@code dst.length}; 0 if every node is a replica.
     */
    public int fallbacks(final Ring ring, final long position, final IntPredicate skip, final int[] dst)
    {
        final int count = walk(ring, position);
        final RingNode[] nodes = ring.nodeArray();
        int n = 0;
        for (int i = ring.replicaCount(); i < count && n < dst.length; i++)
        {
            final int id = nodes[sorted[i]].id();
            if (!skip.test(id))
            {
                dst[n++] = id;
            }
        }
        return n;
    }

    /**
     * Chooses a stand-in for every replica that is down: a distinct fallback node, not down itself, in the down
     * replica's zone if the preference list has one left, else the next one in preference order.
     *
     * @param ring         the ring.
     * @param position     a key's ring position.
     * @param isDown       true for a node id that cannot be reached (replicas and fallbacks alike).
     * @param fallbackDst  receives the stand-ins' ids, in replica order.
     * @param hintedForDst receives, at the same index, the id of the replica each stands in for: the hinted-for
     *                     node of the write sent to it.
     * @return pairs written, at most the down replicas and at most the shorter array's length; fewer if the ring
     * has no live node left to stand in.
     */
    public int substitutes(
        final Ring ring, final long position, final IntPredicate isDown, final int[] fallbackDst,
        final int[] hintedForDst)
    {
        final int count = walk(ring, position);
        final RingNode[] nodes = ring.nodeArray();
        final int[] zoneOfNode = ring.zoneOfNode();
        final int replicas = ring.replicaCount();
        final int limit = Math.min(fallbackDst.length, hintedForDst.length);
        for (int i = replicas; i < count; i++)
        {
            used[i] = isDown.test(nodes[sorted[i]].id());
        }
        int n = 0;
        for (int r = 0; r < replicas && n < limit; r++)
        {
            final int owner = sorted[r];
            if (!isDown.test(nodes[owner].id()))
            {
                continue;
            }
            int chosen = -1;
            for (int i = replicas; i < count; i++)
            {
                if (!used[i] && zoneOfNode[sorted[i]] == zoneOfNode[owner])
                {
                    chosen = i;
                    break;
                }
            }
            for (int i = replicas; chosen < 0 && i < count; i++)
            {
                if (!used[i])
                {
                    chosen = i;
                }
            }
            if (chosen < 0)
            {
                break;
            }
            used[chosen] = true;
            fallbackDst[n] = nodes[sorted[chosen]].id();
            hintedForDst[n] = nodes[owner].id();
            n++;
        }
        return n;
    }

    /**
     * Orders the ring's node indices for a position into {@link #sorted}, reusing the last walk if the ring and the
     * token range are the same (the order depends on nothing else).
     *
     * @return node count.
     */
    private int walk(final Ring ring, final long position)
    {
        final int start = ring.tokenIndex(position);
        if (ring == walked && start == walkedToken)
        {
            return walkedCount;
        }
        final int nodeCount = ring.nodeCount();
        ensureCapacity(nodeCount, ring.zoneCount());
        if (start < 0)
        {
            remember(ring, start, 0);
            return 0;
        }
        if (++stamp == Integer.MAX_VALUE)
        {
            stamp = 1;
            Arrays.fill(stampOfNode, 0);
            Arrays.fill(zoneStamp, 0);
        }
        final int[] owners = ring.ownerArray();
        final int[] zoneOfNode = ring.zoneOfNode();
        final int tokenCount = owners.length;
        int seen = 0;
        int maxRank = 0;
        for (int step = 0; step < tokenCount && seen < nodeCount; step++)
        {
            final int t = start + step < tokenCount ? start + step : start + step - tokenCount;
            final int node = owners[t];
            if (stampOfNode[node] == stamp)
            {
                continue;
            }
            stampOfNode[node] = stamp;
            final int zone = zoneOfNode[node];
            if (zoneStamp[zone] != stamp)
            {
                zoneStamp[zone] = stamp;
                seenInZone[zone] = 0;
            }
            final int rank = ++seenInZone[zone];
            maxRank = Math.max(maxRank, rank);
            order[seen] = node;
            rankOf[seen] = rank;
            seen++;
        }
        // Counting sort by rank, stable in the order met: O(nodes + ranks).
        Arrays.fill(rankStart, 0, maxRank + 2, 0);
        for (int i = 0; i < seen; i++)
        {
            rankStart[rankOf[i] + 1]++;
        }
        for (int rank = 1; rank <= maxRank; rank++)
        {
            rankStart[rank + 1] += rankStart[rank];
        }
        for (int i = 0; i < seen; i++)
        {
            sorted[rankStart[rankOf[i]]++] = order[i];
        }
        remember(ring, start, seen);
        return seen;
    }

    private void remember(final Ring ring, final int token, final int count)
    {
        walked = ring;
        walkedToken = token;
        walkedCount = count;
    }

    private void ensureCapacity(final int nodeCount, final int zoneCount)
    {
        if (order.length < nodeCount)
        {
            order = new int[nodeCount];
            rankOf = new int[nodeCount];
            stampOfNode = new int[nodeCount];
            sorted = new int[nodeCount];
            rankStart = new int[nodeCount + 2];
            used = new boolean[nodeCount];
            stamp = 0;
            Arrays.fill(zoneStamp, 0);
        }
        if (seenInZone.length < zoneCount)
        {
            seenInZone = new int[zoneCount];
            zoneStamp = new int[zoneCount];
            stamp = 0;
            Arrays.fill(stampOfNode, 0);
        }
    }
}
