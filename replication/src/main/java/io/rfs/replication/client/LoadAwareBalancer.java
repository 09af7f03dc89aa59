package io.rfs.replication.client;

import org.agrona.collections.Int2ObjectHashMap;

/**
 * The {@link ReplicaBalancer} that weighs load or latency: it keeps per node the requests in flight, the bytes they
 * are expected to bring back and a latency EWMA, and asks the candidate its {@link LoadScore} scores lowest, ties
 * going to the ring's preferred order. A node with no history is given the lowest latency seen so far among the
 * candidates, so new and recovered nodes get tried.
 */
public final class LoadAwareBalancer implements ReplicaBalancer
{
    /** Weight of a new sample in the latency EWMA. */
    public static final double EWMA_ALPHA_DEFAULT = 0.3;

    private final LoadScore score;
    private final double alpha;
    private final Int2ObjectHashMap<NodeLoad> loads = new Int2ObjectHashMap<>();

    /** One node's load, as this client sees it. */
    static final class NodeLoad
    {
        /** Requests sent and not yet ended. */
        int outstanding;
        /** Bytes those requests are expected to bring back. */
        long bytesInFlight;
        /** Latency EWMA in nanoseconds, -1 before the first response. */
        double ewmaNs = -1;
    }

    /**
     * @param score how candidates are scored.
     */
    public LoadAwareBalancer(final LoadScore score)
    {
        this(score, EWMA_ALPHA_DEFAULT);
    }

    /**
     * @param score how candidates are scored.
     * @param alpha weight of a new latency sample, in (0, 1].
     */
    public LoadAwareBalancer(final LoadScore score, final double alpha)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new IllegalArgumentException("alpha=" + alpha + " must be in (0, 1]");
        }
        this.score = score;
        this.alpha = alpha;
    }

    @Override
    public int select(final long key, final int[] candidates, final int count)
    {
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final NodeLoad load = loads.get(candidates[i]);
            if (load != null && load.ewmaNs >= 0)
            {
                fastest = Math.min(fastest, load.ewmaNs);
            }
        }
        final double unknown = fastest == Double.MAX_VALUE ? 1 : Math.max(fastest, 1);
        int best = 0;
        double bestScore = Double.MAX_VALUE;
        for (int i = 0; i < count; i++)
        {
            final double candidateScore = score.score(loads.get(candidates[i]), unknown);
            if (candidateScore < bestScore)
            {
                bestScore = candidateScore;
                best = i;
            }
        }
        return best;
    }

    @Override
    public void onRequest(final int nodeId, final long bytes)
    {
        final NodeLoad load = loads.computeIfAbsent(nodeId, id -> new NodeLoad());
        load.outstanding++;
        load.bytesInFlight += bytes;
    }

    @Override
    public void onResponse(final int nodeId, final long bytes, final long latencyNs)
    {
        final NodeLoad load = loads.computeIfAbsent(nodeId, id -> new NodeLoad());
        if (load.outstanding > 0)
        {
            load.outstanding--;
            load.bytesInFlight = Math.max(0, load.bytesInFlight - bytes);
        }
        load.ewmaNs = load.ewmaNs < 0 ? latencyNs : load.ewmaNs + alpha * (latencyNs - load.ewmaNs);
    }

    /**
     * @param nodeId a node.
     * @return its requests in flight.
     */
    public int outstanding(final int nodeId)
    {
        final NodeLoad load = loads.get(nodeId);
        return load == null ? 0 : load.outstanding;
    }

    /**
     * @param load a node's load, or null.
     * @param unknownLatency the latency to assume for a node with no history.
     * @return its latency EWMA, or {@code unknownLatency} if it has none; at least 1.
     */
    static double latency(final NodeLoad load, final double unknownLatency)
    {
        return load == null || load.ewmaNs < 0 ? unknownLatency : Math.max(load.ewmaNs, 1);
    }
}
