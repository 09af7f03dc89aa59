package io.rfs.replication;

/**
 * How many of a key's N replicas must answer a request before it counts: W for writes, R for reads. With
 * W + R > N a read sees the latest acknowledged write (DESIGN.md section 5).
 */
public enum ConsistencyLevel
{
    /** One replica: fastest, and a read may miss the latest write. */
    ONE,
    /** A majority, {@code floor(N / 2) + 1}: survives a minority of replicas down; the default. */
    QUORUM,
    /** Every replica: a single replica down fails the request. */
    ALL;

    /**
     * @param replicationFactor N, at least 1.
     * @return how many replicas must answer at this level.
     */
    public int required(final int replicationFactor)
    {
        if (replicationFactor < 1)
        {
            throw new IllegalArgumentException("replicationFactor=" + replicationFactor + " must be at least 1");
        }
        switch (this)
        {
            case ONE:
                return 1;
            case QUORUM:
                return replicationFactor / 2 + 1;
            default:
                return replicationFactor;
        }
    }
}
