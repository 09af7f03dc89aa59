package io.rfs.replication.ring;

/**
 * How much of the key space each node of a ring holds: as primary (owner of the range) and as a replica of any rank.
 * Loads are fractions of the key space; a ring's replica loads sum to its replica count.
 *
 * @param primary primary load per node, in the ring's node order (ascending id).
 * @param replica replica load per node, in the same order.
 */
record RingLoads(double[] primary, double[] replica)
{
    static RingLoads of(final Ring ring)
    {
        final int nodeCount = ring.nodeCount();
        final double[] primary = new double[nodeCount];
        final double[] replica = new double[nodeCount];
        final long[] tokens = ring.tokenArray();
        final int[] owners = ring.ownerArray();
        final int[] set = new int[ring.replicationFactor()];
        final int count = tokens.length;
        for (int i = 0; i < count; i++)
        {
            final double size = ring.rangeFraction(i);
            primary[owners[i]] += size;
            final int n = ring.replicasAt(i, set);
            for (int k = 0; k < n; k++)
            {
                replica[ring.indexOfNode(set[k])] += size;
            }
        }
        return new RingLoads(primary, replica);
    }
}
