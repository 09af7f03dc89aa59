package io.rfs.replication.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What changes between two rings: the exact list of token ranges whose replica sets differ, with the old and the new
 * replicas of each. This is the work list that rebalancing executes: copy each range to its {@link RangeMove#joined()}
 * nodes from any of its {@link RangeMove#from()} nodes, then let the {@link RangeMove#left()} nodes drop it.
 * <p>
 * Ranges are cut at every token of either ring and adjacent ranges with the same old and new replicas are merged, so
 * the list is as short as it can be while staying exact. A change of preference order alone (the same nodes in a
 * different order) moves no data and is not listed. Immutable.
 */
public final class RingDiff
{
    private final Ring from;
    private final Ring to;
    private final List<RangeMove> moves;
    private final double storedBefore;
    private final double storedAfter;
    private final double copied;

    private RingDiff(final Ring from, final Ring to, final List<RangeMove> moves)
    {
        this.from = from;
        this.to = to;
        this.moves = Collections.unmodifiableList(moves);
        storedBefore = from.nodeCount() == 0 ? 0 : from.replicaCount();
        storedAfter = to.nodeCount() == 0 ? 0 : to.replicaCount();
        double sum = 0;
        for (final RangeMove move : moves)
        {
            sum += move.fraction() * move.joined().length;
        }
        copied = sum;
    }

    /**
     * @param from the old ring.
     * @param to   the new ring.
     * @return the ranges whose replicas differ.
     */
    public static RingDiff between(final Ring from, final Ring to)
    {
        final long[] bounds = union(from.tokenArray(), to.tokenArray());
        final List<RangeMove> moves = new ArrayList<>();
        if (bounds.length == 0)
        {
            return new RingDiff(from, to, moves);
        }
        final int[] oldSet = new int[from.replicationFactor()];
        final int[] newSet = new int[to.replicationFactor()];
        final Cursor oldCursor = new Cursor(from);
        final Cursor newCursor = new Cursor(to);
        for (int k = 0; k < bounds.length; k++)
        {
            final long end = bounds[k];
            final long start = bounds[k == 0 ? bounds.length - 1 : k - 1];
            final int oldCount = oldCursor.replicas(end, oldSet);
            final int newCount = newCursor.replicas(end, newSet);
            if (sameNodes(oldSet, oldCount, newSet, newCount))
            {
                continue;
            }
            final int[] oldReplicas = Arrays.copyOf(oldSet, oldCount);
            final int[] newReplicas = Arrays.copyOf(newSet, newCount);
            final int last = moves.size() - 1;
            if (last >= 0 && moves.get(last).end() == start &&
                Arrays.equals(moves.get(last).fromArray(), oldReplicas) &&
                Arrays.equals(moves.get(last).toArray(), newReplicas))
            {
                moves.set(last, new RangeMove(moves.get(last).start(), end, oldReplicas, newReplicas));
            }
            else
            {
                moves.add(new RangeMove(start, end, oldReplicas, newReplicas));
            }
        }
        if (moves.size() > 1)
        {
            final RangeMove first = moves.get(0);
            final RangeMove last = moves.get(moves.size() - 1);
            if (last.end() == first.start() && Arrays.equals(first.fromArray(), last.fromArray()) &&
                Arrays.equals(first.toArray(), last.toArray()))
            {
                moves.set(0, new RangeMove(last.start(), first.end(), first.fromArray(), first.toArray()));
                moves.remove(moves.size() - 1);
            }
        }
        return new RingDiff(from, to, moves);
    }

    /**
     * @return the old ring.
     */
    public Ring from()
    {
        return from;
    }

    /**
     * @return the new ring.
     */
    public Ring to()
    {
        return to;
    }

    /**
     * @return the ranges whose replicas differ, in ring order starting after the highest boundary.
     */
    public List<RangeMove> moves()
    {
        return moves;
    }

    /**
     * @return true if no data moves.
     */
    public boolean isEmpty()
    {
        return moves.isEmpty();
    }

    /**
     * @return the data that must be copied, in units of the key space (a range copied to two nodes counts twice).
     */
    public double copiedFraction()
    {
        return copied;
    }

    /**
     * @return the copied data as a fraction of all stored data (every replica of every key), taking whichever ring
     * stores more: the share of the cluster's bytes that must travel.
     */
    public double movedFraction()
    {
        final double stored = Math.max(storedBefore, storedAfter);
        return stored == 0 ? 0 : copied / stored;
    }

    @Override
    public String toString()
    {
        return "RingDiff{" + from.version() + " -> " + to.version() + ", moves=" + moves.size() + ", movedFraction=" +
            movedFraction() + "}";
    }

    private static boolean sameNodes(final int[] a, final int aCount, final int[] b, final int bCount)
    {
        if (aCount != bCount)
        {
            return false;
        }
        for (int i = 0; i < aCount; i++)
        {
            boolean found = false;
            for (int j = 0; j < bCount; j++)
            {
                if (a[i] == b[j])
                {
                    found = true;
                    break;
                }
            }
            if (!found)
            {
                return false;
            }
        }
        return true;
    }

    private static long[] union(final long[] a, final long[] b)
    {
        final long[] merged = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length)
        {
            final long next;
            if (j == b.length || (i < a.length && Long.compareUnsigned(a[i], b[j]) <= 0))
            {
                next = a[i++];
            }
            else
            {
                next = b[j++];
            }
            if (n == 0 || merged[n - 1] != next)
            {
                merged[n++] = next;
            }
        }
        return Arrays.copyOf(merged, n);
    }

    /**
     * Walks one ring's tokens in step with ascending boundaries, so finding the token that owns each boundary costs
     * O(1) amortised.
     */
    private static final class Cursor
    {
        private final Ring ring;
        private final long[] tokens;
        private int index;

        Cursor(final Ring ring)
        {
            this.ring = ring;
            this.tokens = ring.tokenArray();
        }

        int replicas(final long position, final int[] dst)
        {
            if (tokens.length == 0)
            {
                return 0;
            }
            while (index < tokens.length && Long.compareUnsigned(tokens[index], position) < 0)
            {
                index++;
            }
            return ring.replicasAt(index == tokens.length ? 0 : index, dst);
        }
    }
}
