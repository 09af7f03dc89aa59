package io.rfs.replication.client;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The default {@link ReplicaBalancer}: the candidate with the lowest expected wait, (outstanding requests + 1) times
 * its latency EWMA, as a least-request load balancer does ("power of EWMA"). A node with no history is given the
 * lowest latency seen so far, so new and recovered nodes get tried; ties go to the ring's preferred order.
 */
public final class LeastOutstandingBalancer implements ReplicaBalancer
{
    /** Weight of a new sample in the latency EWMA. */
    public static final double EWMA_ALPHA_DEFAULT = 0.3;

    private final double alpha;
    private final Int2ObjectHashMap<Stats> stats = new Int2ObjectHashMap<>();

    private static final class Stats
    {
        int outstanding;
        double ewmaNs = -1;
    }

    /**
     * A balancer with {@link #EWMA_ALPHA_DEFAULT}.
     */
    public LeastOutstandingBalancer()
    {
        this(EWMA_ALPHA_DEFAULT);
    }

    /**
     * @param alpha weight of a new latency sample, in (0, 1].
     */
    public LeastOutstandingBalancer(final double alpha)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new IllegalArgumentException("alpha=" + alpha + " must be in (0, 1]");
        }
        this.alpha = alpha;
    }

    @Override
    public int select(final int[] candidates, final int count)
    {
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final Stats s = stats.get(candidates[i]);
            if (s != null && s.ewmaNs >= 0)
            {
                fastest = Math.min(fastest, s.ewmaNs);
            }
        }
        final double unknown = fastest == Double.MAX_VALUE ? 1 : fastest;
        int best = 0;
        double bestScore = Double.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final Stats s = stats.get(candidates[i]);
            final int outstanding = s == null ? 0 : s.outstanding;
            final double latency = s == null || s.ewmaNs < 0 ? unknown : Math.max(s.ewmaNs, 1);
            final double score = (outstanding + 1) * latency;
            if (score < bestScore)
            {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void onRequest(final int nodeId)
    {
        stats.computeIfAbsent(nodeId, id -> new Stats()).outstanding++;
    }

    @Override
    public void onResponse(final int nodeId, final long latencyNs)
    {
        final Stats s = stats.computeIfAbsent(nodeId, id -> new Stats());
        if (s.outstanding > 0)
        {
            s.outstanding--;
        }
        s.ewmaNs = s.ewmaNs < 0 ? latencyNs : s.ewmaNs + alpha * (latencyNs - s.ewmaNs);
    }

    /**
     * @param nodeId a node.
     * @return its requests in flight.
     */
    public int outstanding(final int nodeId)
    {
        final Stats s = stats.get(nodeId);
        return s == null ? 0 : s.outstanding;
    }
}
