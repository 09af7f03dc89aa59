package io.rfs.replication.client;

/**
 * A {@link ReplicaBalancer} that takes the candidates in turn, ignoring load and latency.
 */
public final class RoundRobinBalancer implements ReplicaBalancer
{
    private long next;

    @Override
    public int select(final long key, final int[] candidates, final int count)
    {
        return (int)Long.remainderUnsigned(next++, count);
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
