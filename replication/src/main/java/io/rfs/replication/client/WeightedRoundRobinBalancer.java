package io.rfs.replication.client;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.agrona.collections.Int2IntHashMap;

/**
 * A {@link ReplicaBalancer} that takes the candidates in turn in proportion to their ring weight, by the smooth
 * weighted round robin of nginx: each pick adds every candidate's weight to its running credit, takes the
 * candidate with the most credit and takes the candidates' total weight from it. A node of weight 200 is asked
 * twice as often as one of 100 among the same candidates, interleaved rather than in bursts.
 */
public final class WeightedRoundRobinBalancer implements ReplicaBalancer
{
    private final Ring ring;
    private final Int2IntHashMap credit = new Int2IntHashMap(Integer.MIN_VALUE);

    /**
     * @param ring gives each node's weight; a node it does not know weighs {@link RingNode#STANDARD_WEIGHT}.
     */
    public WeightedRoundRobinBalancer(final Ring ring)
    {
        this.ring = ring;
    }

    @Override
    public int select(final long key, final int[] candidates, final int count)
    {
        int total = 0;
        int best = 0;
        int bestCredit = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final int weight = weightOf(candidates[i]);
            total += weight;
            final int held = credit.get(candidates[i]);
            final int c = (held == Integer.MIN_VALUE ? 0 : held) + weight;
            credit.put(candidates[i], c);
            if (c > bestCredit)
            {
                bestCredit = c;
                best = i;
            }
        }
        credit.put(candidates[best], bestCredit - total);
        return best;
    }

    private int weightOf(final int nodeId)
    {
        return ring.contains(nodeId) ? ring.node(nodeId).weight() : RingNode.STANDARD_WEIGHT;
    }

    @Override
    public void onRequest(final int nodeId, final long bytes)
    {
    }

    @Override
    public void onResponse(final int nodeId, final long bytes, final long latencyNs)
    {
    }
}
