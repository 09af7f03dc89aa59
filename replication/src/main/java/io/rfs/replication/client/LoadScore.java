package io.rfs.replication.client;

/**
 * How a {@link LoadAwareBalancer} scores a candidate from its {@link LoadAwareBalancer.NodeLoad}; the lowest score
 * is asked.
 */
public enum LoadScore
{
    /**
     * The lowest expected wait, (requests in flight + 1) times the latency EWMA, as a least-request load balancer
     * does ("power of EWMA"); the client's default.
     */
    LEAST_OUTSTANDING
    {
        @Override
        double score(final LoadAwareBalancer.NodeLoad load, final double unknownLatency)
        {
            return ((load == null ? 0 : load.outstanding) + 1) * LoadAwareBalancer.latency(load, unknownLatency);
        }
    },
    /** The fewest requests in flight, latency aside, as a least-connections load balancer does. */
    LEAST_CONNECTIONS
    {
        @Override
        double score(final LoadAwareBalancer.NodeLoad load, final double unknownLatency)
        {
            return load == null ? 0 : load.outstanding;
        }
    },
    /** The lowest latency EWMA, load aside: a fast node can be piled on. */
    LEAST_RESPONSE_TIME
    {
        @Override
        double score(final LoadAwareBalancer.NodeLoad load, final double unknownLatency)
        {
            return LoadAwareBalancer.latency(load, unknownLatency);
        }
    },
    /**
     * The fewest bytes in flight (the raw lengths of the chunks asked of the node and not yet sent): a node busy with
     * a few large chunks gets the next request less often than one busy with many small ones.
     */
    LEAST_BANDWIDTH
    {
        @Override
        double score(final LoadAwareBalancer.NodeLoad load, final double unknownLatency)
        {
            return load == null ? 0 : load.bytesInFlight;
        }
    };

    /**
     * @param load           the candidate's load, or null if it was never asked.
     * @param unknownLatency the latency to assume for a node with no history.
     * @return the candidate's score; lower is better.
     */
    abstract double score(LoadAwareBalancer.NodeLoad load, double unknownLatency);
}
