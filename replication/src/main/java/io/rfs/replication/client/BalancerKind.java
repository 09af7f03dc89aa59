package io.rfs.replication.client;

import io.rfs.replication.ring.Ring;

/**
 * The {@link ReplicaBalancer} policies a client can be configured with.
 */
public enum BalancerKind
{
    /** {@link LoadScore#LEAST_OUTSTANDING}: fewest requests in flight weighted by latency EWMA; the default. */
    LEAST_OUTSTANDING,
    /** {@link RoundRobinBalancer}: the candidates in turn. */
    ROUND_ROBIN,
    /** {@link WeightedRoundRobinBalancer}: in turn, in proportion to ring weight. */
    WEIGHTED_ROUND_ROBIN,
    /** {@link LoadScore#LEAST_CONNECTIONS}: fewest requests in flight. */
    LEAST_CONNECTIONS,
    /** {@link LoadScore#LEAST_RESPONSE_TIME}: lowest latency EWMA. */
    LEAST_RESPONSE_TIME,
    /** {@link LoadScore#LEAST_BANDWIDTH}: fewest bytes in flight. */
    LEAST_BANDWIDTH,
    /** {@link KeyHashBalancer}: the same replica of a chunk first, by rendezvous hashing. */
    KEY_HASH;

    /**
     * @param ring the client's ring (weights).
     * @return a new balancer of this kind.
     */
    public ReplicaBalancer newBalancer(final Ring ring)
    {
        switch (this)
        {
            case ROUND_ROBIN:
                return new RoundRobinBalancer();
            case WEIGHTED_ROUND_ROBIN:
                return new WeightedRoundRobinBalancer(ring);
            case LEAST_CONNECTIONS:
                return new LoadAwareBalancer(LoadScore.LEAST_CONNECTIONS);
            case LEAST_RESPONSE_TIME:
                return new LoadAwareBalancer(LoadScore.LEAST_RESPONSE_TIME);
            case LEAST_BANDWIDTH:
                return new LoadAwareBalancer(LoadScore.LEAST_BANDWIDTH);
            case KEY_HASH:
                return new KeyHashBalancer();
            default:
                return new LoadAwareBalancer(LoadScore.LEAST_OUTSTANDING);
        }
    }
}
