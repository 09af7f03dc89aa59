package io.rfs.replication.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The ring changes: each builds the next ring's arrays from the current one's, touching only the changed node's
 * tokens.
 */
final class RingChanges
{
    private RingChanges()
    {
    }

    static Ring add(final Ring ring, final Collection<RingNode> added)
    {
        final List<RingNode> sorted = new ArrayList<>(added);
        sorted.sort(Comparator.comparingInt(RingNode::id));
        for (int i = 0; i < sorted.size(); i++)
        {
            final RingNode node = sorted.get(i);
            if (ring.contains(node.id()) || (i > 0 && sorted.get(i - 1).id() == node.id()))
            {
                throw new IllegalArgumentException("node id=" + node.id() + " is already in the ring");
            }
        }
        if (ring.nodeCount() + sorted.size() > Ring.MAX_NODES)
        {
            throw new IllegalArgumentException("nodes=" + (ring.nodeCount() + sorted.size()) + " would exceed " +
                Ring.MAX_NODES);
        }
        long tokenTotal = ring.tokenCount();
        for (final RingNode node : sorted)
        {
            tokenTotal += ring.vnodesFor(node.weight());
        }
        checkTokenTotal(tokenTotal);

        RingNode[] nodes = ring.nodeArray();
        long[] tokens = ring.tokenArray();
        int[] owners = ring.ownerArray();
        for (final RingNode node : sorted)
        {
            final int position = -Arrays.binarySearch(ids(nodes), node.id()) - 1;
            final RingNode[] grown = new RingNode[nodes.length + 1];
            System.arraycopy(nodes, 0, grown, 0, position);
            grown[position] = node;
            System.arraycopy(nodes, position, grown, position + 1, nodes.length - position);
            final int[] shifted = new int[owners.length];
            for (int i = 0; i < owners.length; i++)
            {
                shifted[i] = owners[i] >= position ? owners[i] + 1 : owners[i];
            }

            final int[] vnodes = tokenCounts(grown.length, shifted);
            vnodes[position] = ring.vnodesFor(node.weight());
            final TokenAllocator allocator = allocator(ring.replicationFactor(), grown, vnodes, tokens, shifted);
            allocator.addTokens(position, vnodes[position], node.id());
            nodes = grown;
            tokens = Arrays.copyOf(allocator.tokens(), allocator.tokenCount());
            owners = Arrays.copyOf(allocator.owners(), allocator.tokenCount());
        }
        return new Ring(ring.version() + 1, ring.replicationFactor(), ring.vnodes(), nodes, tokens, owners);
    }

    static Ring remove(final Ring ring, final int id)
    {
        final int index = ring.indexOfNode(id);
        if (index < 0)
        {
            throw new IllegalArgumentException("node id=" + id + " is not in the ring");
        }
        final RingNode[] nodes = ring.nodeArray();
        final RingNode[] shrunk = new RingNode[nodes.length - 1];
        System.arraycopy(nodes, 0, shrunk, 0, index);
        System.arraycopy(nodes, index + 1, shrunk, index, nodes.length - index - 1);

        final long[] tokens = ring.tokenArray();
        final int[] owners = ring.ownerArray();
        int kept = 0;
        for (final int owner : owners)
        {
            if (owner != index)
            {
                kept++;
            }
        }
        final long[] keptTokens = new long[kept];
        final int[] keptOwners = new int[kept];
        int n = 0;
        for (int i = 0; i < tokens.length; i++)
        {
            if (owners[i] != index)
            {
                keptTokens[n] = tokens[i];
                keptOwners[n] = owners[i] > index ? owners[i] - 1 : owners[i];
                n++;
            }
        }
        return new Ring(ring.version() + 1, ring.replicationFactor(), ring.vnodes(), shrunk, keptTokens, keptOwners);
    }

    static Ring reweight(final Ring ring, final int id, final int weight)
    {
        final int index = ring.indexOfNode(id);
        if (index < 0)
        {
            throw new IllegalArgumentException("node id=" + id + " is not in the ring");
        }
        final String weightError = RingNode.weightError(weight);
        if (weightError != null)
        {
            throw new IllegalArgumentException(weightError);
        }
        final RingNode[] nodes = ring.nodeArray().clone();
        final int before = ring.vnodesFor(nodes[index].weight());
        final int after = ring.vnodesFor(weight);
        checkTokenTotal((long)ring.tokenCount() - before + after);
        nodes[index] = nodes[index].withWeight(weight);

        final int[] vnodes = tokenCounts(nodes.length, ring.ownerArray());
        vnodes[index] = after;
        final TokenAllocator allocator = allocator(ring.replicationFactor(), nodes, vnodes, ring.tokenArray(),
            ring.ownerArray());
        if (after > before)
        {
            allocator.addTokens(index, after - before, id);
        }
        else if (after < before)
        {
            allocator.removeTokens(index, before - after);
        }
        return new Ring(ring.version() + 1, ring.replicationFactor(), ring.vnodes(), nodes,
            Arrays.copyOf(allocator.tokens(), allocator.tokenCount()),
            Arrays.copyOf(allocator.owners(), allocator.tokenCount()));
    }

    private static int[] tokenCounts(final int nodeCount, final int[] owners)
    {
        final int[] counts = new int[nodeCount];
        for (final int owner : owners)
        {
            counts[owner]++;
        }
        return counts;
    }

    private static TokenAllocator allocator(
        final int replicationFactor,
        final RingNode[] nodes,
        final int[] vnodes,
        final long[] tokens,
        final int[] owners)
    {
        final String[] zones = Arrays.stream(nodes).map(RingNode::zone).distinct().sorted().toArray(String[]::new);
        final int[] zoneOfNode = new int[nodes.length];
        final int[] weights = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            zoneOfNode[i] = Arrays.binarySearch(zones, nodes[i].zone());
            weights[i] = nodes[i].weight();
        }
        return new TokenAllocator(
            replicationFactor, zoneOfNode, zones.length, weights, vnodes, tokens, owners, tokens.length);
    }

    private static int[] ids(final RingNode[] nodes)
    {
        final int[] ids = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            ids[i] = nodes[i].id();
        }
        return ids;
    }

    private static void checkTokenTotal(final long tokenTotal)
    {
        if (tokenTotal > Ring.MAX_TOKENS)
        {
            throw new IllegalArgumentException("tokens=" + tokenTotal + " would exceed " + Ring.MAX_TOKENS);
        }
    }
}
