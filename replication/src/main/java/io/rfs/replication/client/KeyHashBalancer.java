package io.rfs.replication.client;

/**
 * A {@link ReplicaBalancer} that always asks the same replica of a chunk first, as IP hash pins a client to a
 * backend: every client reads a chunk from the same node, whose page cache then holds it. The pick is by rendezvous
 * (highest random weight) hashing of the chunk's position with each candidate's id, so a candidate dropping out
 * (tried, or down) moves only the chunks it was first for. Load and latency do not count.
 */
public final class KeyHashBalancer implements ReplicaBalancer
{
    @Override
    public int select(final long key, final int[] candidates, final int count)
    {
        int best = 0;
        long bestWeight = Long.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final long weight = mix(key ^ (candidates[i] * 0x9E3779B97F4A7C15L));
            if (weight > bestWeight)
            {
                bestWeight = weight;
                best = i;
            }
        }
        return best;
    }

    /** The finaliser of SplitMix64: every input bit reaches every output bit. */
    private static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
