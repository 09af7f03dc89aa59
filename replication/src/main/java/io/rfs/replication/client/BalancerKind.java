package io.rfs.replication.client;

import io.rfs.replication.ring.Ring;

/**
 * The {@link ReplicaBalancer} policies a client can be configured with.
 */
public enum BalancerKind
{
    /** {@link LeastOutstandingBalancer}: fewest requests in flight weighted by latency EWMA; the default. */
    LEAST_OUTSTANDING,
    /** {@link RoundRobinBalancer}: the candidates in turn. */
    ROUND_ROBIN,
    /** {@link WeightedRoundRobinBalancer}: in turn, in proportion to ring weight. */
    WEIGHTED_ROUND_ROBIN;

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
            default:
                return new LeastOutstandingBalancer();
        }
    }
}
