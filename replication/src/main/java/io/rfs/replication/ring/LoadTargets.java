package io.rfs.replication.ring;

/**
 * The ideal replica load of every node: the share of the data it would hold if balance were perfect.
 * <p>
 * Loads are in units of the whole key space, so a node that holds a replica of every key has load 1 and the loads
 * of a ring sum to its replica count K = min(N, nodes). Ideal loads follow the weights, within what placement
 * allows: a node holds at most one replica of a key (load at most 1), and the zone rule fixes how many replicas of a
 * key a zone holds to within one (see {@link ReplicaSelector}): with per-zone node counts {@code n_z}, let {@code L}
 * be the least level with {@code sum_z min(n_z, L) >= K}; every key then has {@code min(n_z, L - 1)} or
 * {@code min(n_z, L)} replicas in zone {@code z}. So a zone's load lies between those bounds, which is why three
 * equal zones with N = 3 hold one copy of everything each, however many nodes they have. Within these bounds loads are
 * proportional to weight (water-filling: a capped zone or node keeps its cap and the rest is shared by the others in
 * proportion to their weights).
 * <p>
 * The allocator steers towards these targets; the planner reports deviation from them.
 */
final class LoadTargets
{
    private static final int ITERATIONS = 200;

    private LoadTargets()
    {
    }

    /**
     * @param replicationFactor N.
     * @param weights           weight of each node index.
     * @param zoneOfNode        zone index of each node index.
     * @param zoneCount         number of zone indices.
     * @return ideal replica load of each node index; they sum to min(N, nodes).
     */
    static double[] replicaTargets(
        final int replicationFactor, final int[] weights, final int[] zoneOfNode, final int zoneCount)
    {
        final int nodeCount = weights.length;
        final double[] targets = new double[nodeCount];
        if (nodeCount == 0)
        {
            return targets;
        }
        final int replicas = Math.min(replicationFactor, nodeCount);

        final int[] nodesInZone = new int[zoneCount];
        final double[] zoneWeight = new double[zoneCount];
        for (int i = 0; i < nodeCount; i++)
        {
            nodesInZone[zoneOfNode[i]]++;
            zoneWeight[zoneOfNode[i]] += weights[i];
        }

        int level = 1;
        while (true)
        {
            int sum = 0;
            for (int z = 0; z < zoneCount; z++)
            {
                sum += Math.min(nodesInZone[z], level);
            }
            if (sum >= replicas)
            {
                break;
            }
            level++;
        }

        final double[] low = new double[zoneCount];
        final double[] high = new double[zoneCount];
        for (int z = 0; z < zoneCount; z++)
        {
            low[z] = Math.min(nodesInZone[z], level - 1);
            high[z] = Math.min(nodesInZone[z], level);
        }
        final double[] zoneTarget = fill(replicas, zoneWeight, low, high);

        final double[] weightInZone = new double[nodeCount];
        final double[] zero = new double[nodeCount];
        final double[] one = new double[nodeCount];
        for (int z = 0; z < zoneCount; z++)
        {
            if (nodesInZone[z] == 0)
            {
                continue;
            }
            for (int i = 0; i < nodeCount; i++)
            {
                final boolean inZone = zoneOfNode[i] == z;
                weightInZone[i] = inZone ? weights[i] : 0;
                one[i] = inZone ? 1 : 0;
            }
            final double[] share = fill(zoneTarget[z], weightInZone, zero, one);
            for (int i = 0; i < nodeCount; i++)
            {
                if (zoneOfNode[i] == z)
                {
                    targets[i] = share[i];
                }
            }
        }
        return targets;
    }

    /**
     * @param weights weight of each node index.
     * @return each node's ideal share of primary ownership: its weight over the total.
     */
    static double[] primaryTargets(final int[] weights)
    {
        double total = 0;
        for (final int weight : weights)
        {
            total += weight;
        }
        final double[] targets = new double[weights.length];
        for (int i = 0; i < weights.length; i++)
        {
            targets[i] = weights[i] / total;
        }
        return targets;
    }

    /**
     * Water-filling: finds {@code x_i = clamp(lambda * w_i, low_i, high_i)} summing to {@code total}, by bisection on
     * {@code lambda} (the sum is monotone in it). Entries with zero weight stay at their lower bound.
     */
    private static double[] fill(final double total, final double[] weights, final double[] low, final double[] high)
    {
        double lo = 0;
        double hi = 1;
        while (sum(hi, weights, low, high) < total && hi < 1e300)
        {
            hi *= 2;
        }
        for (int i = 0; i < ITERATIONS; i++)
        {
            final double mid = 0.5 * (lo + hi);
            if (sum(mid, weights, low, high) < total)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        final double[] result = new double[weights.length];
        for (int i = 0; i < weights.length; i++)
        {
            result[i] = clamp(hi * weights[i], low[i], high[i]);
        }
        return result;
    }

    private static double sum(final double lambda, final double[] weights, final double[] low, final double[] high)
    {
        double sum = 0;
        for (int i = 0; i < weights.length; i++)
        {
            sum += clamp(lambda * weights[i], low[i], high[i]);
        }
        return sum;
    }

    private static double clamp(final double value, final double low, final double high)
    {
        return Math.max(low, Math.min(high, value));
    }
}
