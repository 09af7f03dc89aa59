package io.rfs.replication.repair;

/**
 * The repair bandwidth limit: a token bucket per node, filled at {@code repair.bandwidth} bytes per second up to one
 * second's worth (a full bucket to begin with). A copy may start only while the buckets of both its source and its
 * target are positive, and then takes its bytes from both, which may leave them negative: so over any span of time
 * a node sends or receives at most the bandwidth times the span, plus one second's worth, plus the last copy
 * started. Time comes from the caller (the scheduler's injected clock).
 * <p>
 * <b>Threads.</b> The repair scheduler's.
 */
final class RepairThrottle
{
    private long bytesPerSecond;
    private final long[] buckets;
    private long filledNs;

    /**
     * @param bytesPerSecond the rate per node, positive.
     * @param nodes          nodes, numbered 0 to {@code nodes - 1}.
     * @param nowNs          the time now.
     */
    RepairThrottle(final long bytesPerSecond, final int nodes, final long nowNs)
    {
        this.bytesPerSecond = bytesPerSecond;
        this.buckets = new long[nodes];
        this.filledNs = nowNs;
        java.util.Arrays.fill(buckets, bytesPerSecond);
    }

    /**
     * Changes the rate from now on; a bucket holding more than one second's worth at the new rate is cut to it.
     *
     * @param bytesPerSecond the new rate per node, positive.
     */
    void bytesPerSecond(final long bytesPerSecond)
    {
        this.bytesPerSecond = bytesPerSecond;
        for (int node = 0; node < buckets.length; node++)
        {
            buckets[node] = Math.min(bytesPerSecond, buckets[node]);
        }
    }

    /**
     * Adds what the buckets earned since the last call, capped at one second's worth.
     *
     * @param nowNs the time now.
     */
    void refill(final long nowNs)
    {
        final long elapsedNs = nowNs - filledNs;
        final long earned = (long)(bytesPerSecond * (elapsedNs / 1e9));
        if (earned <= 0)
        {
            return;
        }
        filledNs = nowNs;
        for (int node = 0; node < buckets.length; node++)
        {
            buckets[node] = Math.min(bytesPerSecond, buckets[node] + earned);
        }
    }

    /**
     * @param source the copy's source node.
     * @param target its target node.
     * @return whether a copy between them may start now.
     */
    boolean mayStart(final int source, final int target)
    {
        return buckets[source] > 0 && buckets[target] > 0;
    }

    /**
     * @param source the copy's source node.
     * @param target its target node.
     * @param bytes  what the copy moves.
     */
    void take(final int source, final int target, final long bytes)
    {
        buckets[source] -= bytes;
        buckets[target] -= bytes;
    }
}
