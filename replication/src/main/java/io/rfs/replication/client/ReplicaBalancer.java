package io.rfs.replication.client;

/**
 * Picks which replica of a chunk a read asks, as a load balancer picks a backend. The reader passes only the
 * candidates still worth asking (not tried yet for this chunk, and up per {@link NodeHealth} where any is), and
 * tells the balancer when each request starts and ends so that a policy can weigh load and latency.
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread.
 */
public interface ReplicaBalancer
{
    /**
     * @param key        the chunk's position on the ring (the first 8 bytes of its id), for policies that pin a key
     *                   to a replica.
     * @param candidates node ids, most preferred by the ring first.
     * @param count      how many of them, at least 1.
     * @return the index in {@code candidates} to ask.
     */
    int select(long key, int[] candidates, int count);

    /**
     * A request was sent to the node.
     *
     * @param nodeId the node.
     * @param bytes  the bytes it is expected to send back (a chunk's raw length).
     */
    void onRequest(int nodeId, long bytes);

    /**
     * A request to the node ended, answered or not.
     *
     * @param nodeId    the node.
     * @param bytes     what {@link #onRequest} was told.
     * @param latencyNs time from send to answer, or to the timeout.
     */
    void onResponse(int nodeId, long bytes, long latencyNs);
}
