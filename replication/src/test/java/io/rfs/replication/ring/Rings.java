package io.rfs.replication.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test helpers: rings built from random histories, and a brute-force statement of the placement rule to hold the
 * optimised lookup to.
 */
final class Rings
{
    private Rings()
    {
    }

    static RingNode node(final int id, final int weight, final String zone)
    {
        return new RingNode(id, "node-" + id + ":7000", weight, zone);
    }

    static RingNode node(final int id)
    {
        return node(id, RingNode.STANDARD_WEIGHT, RingNode.DEFAULT_ZONE);
    }

    /**
     * @return a ring of {@code count} standard nodes, ids 1..count, added one by one, in {@code zones} zones round
     * robin (0 for none).
     */
    static Ring equalNodes(final int count, final int vnodes, final int replicationFactor, final int zones)
    {
        Ring ring = Ring.empty(replicationFactor, vnodes);
        for (int id = 1; id <= count; id++)
        {
            ring = ring.withNode(node(id, RingNode.STANDARD_WEIGHT, zone(id, zones)));
        }
        return ring;
    }

    static String zone(final int id, final int zones)
    {
        return zones == 0 ? RingNode.DEFAULT_ZONE : "z" + ((id - 1) % zones + 1);
    }

    /**
     * The placement rule stated directly: walk the whole ring from the token, number each zone's distinct nodes in
     * the order met, take the N with the smallest (number, position).
     */
    static int[] referenceReplicas(final Ring ring, final int tokenIndex)
    {
        final int count = ring.tokenCount();
        final List<Integer> order = new ArrayList<>();
        final List<Integer> ranks = new ArrayList<>();
        final Map<String, Integer> seenInZone = new HashMap<>();
        for (int step = 0; step < count; step++)
        {
            final int id = ring.tokenOwner((tokenIndex + step) % count);
            if (!order.contains(id))
            {
                final String zone = ring.node(id).zone();
                final int rank = seenInZone.merge(zone, 1, Integer::sum);
                order.add(id);
                ranks.add(rank);
            }
        }
        final int needed = Math.min(ring.replicationFactor(), ring.nodeCount());
        final int[] result = new int[needed];
        int n = 0;
        for (int rank = 1; n < needed; rank++)
        {
            for (int k = 0; k < order.size() && n < needed; k++)
            {
                if (ranks.get(k) == rank)
                {
                    result[n++] = order.get(k);
                }
            }
        }
        return result;
    }

    /**
     * @return the index of the first token at or after {@code position}, wrapping, by linear search.
     */
    static int referenceTokenIndex(final Ring ring, final long position)
    {
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            if (Long.compareUnsigned(ring.token(i), position) >= 0)
            {
                return i;
            }
        }
        return 0;
    }

    /**
     * A random change to a ring: mostly additions, some removals (keeping at least one node) and weight changes.
     */
    static Ring randomChange(final Ring ring, final SplittableRandom random, final int zones, final int[] nextId)
    {
        final int choice = random.nextInt(10);
        if (ring.nodeCount() > 1 && choice < 3)
        {
            return ring.withoutNode(randomId(ring, random));
        }
        if (ring.nodeCount() > 0 && choice < 5)
        {
            return ring.withWeight(randomId(ring, random), 25 + random.nextInt(276));
        }
        final int id = nextId[0]++;
        final String zone = zones == 0 ? RingNode.DEFAULT_ZONE : "z" + random.nextInt(zones);
        return ring.withNode(node(id, 25 + random.nextInt(276), zone));
    }

    static int randomId(final Ring ring, final SplittableRandom random)
    {
        return ring.nodes().get(random.nextInt(ring.nodeCount())).id();
    }

    static int[] sorted(final int[] values)
    {
        final int[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /**
     * @return each node's replica load over its ideal load, by node id order.
     */
    static double[] loadOverIdeal(final Ring ring)
    {
        final RingLoads loads = RingLoads.of(ring);
        final int[] weights = new int[ring.nodeCount()];
        for (int i = 0; i < weights.length; i++)
        {
            weights[i] = ring.nodes().get(i).weight();
        }
        final double[] targets =
            LoadTargets.replicaTargets(ring.replicationFactor(), weights, ring.zoneOfNode(), ring.zoneCount());
        final double[] ratio = new double[weights.length];
        for (int i = 0; i < weights.length; i++)
        {
            ratio[i] = loads.replica()[i] / targets[i];
        }
        return ratio;
    }
}
