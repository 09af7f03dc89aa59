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
     * @param candidates node ids, most preferred by the ring first.
     * @param count      how many of them, at least 1.
     * @return the index in {@code candidates} to ask.
     */
    int select(int[] candidates, int count);

    /**
     * A request was sent to the node.
     *
     * @param nodeId the node.
     */
    void onRequest(int nodeId);

    /**
     * A request to the node ended, answered or not.
     *
     * @param nodeId    the node.
     * @param latencyNs time from send to answer, or to the timeout.
     */
    void onResponse(int nodeId, long latencyNs);
}
