package io.rfs.tools.bench;

import java.io.IOException;
import java.util.List;

/**
 * Stops and starts one node of the cluster under test, for the failover workload, or slows one down, for the
 * balancers workload.
 */
public interface NodeControl
{
    /**
     * @return the ids of the cluster's nodes.
     */
    List<Integer> nodeIds();

    /**
     * @param nodeId a node asked for on the command line, or 0 for none.
     * @return that node, or the one with the highest id if none was asked for.
     * @throws IllegalArgumentException if the node asked for is not in the cluster.
     */
    default int nodeOrHighest(final int nodeId)
    {
        final List<Integer> ids = nodeIds();
        final int chosen = nodeId != 0 ? nodeId : ids.get(ids.size() - 1);
        if (!ids.contains(chosen))
        {
            throw new IllegalArgumentException("node " + chosen + " is not in the cluster " + ids);
        }
        return chosen;
    }

    /**
     * Takes a node down and returns once it no longer answers.
     *
     * @param nodeId the node.
     * @return how it was stopped, e.g. {@code SIGKILL}.
     * @throws IOException if it could not be stopped.
     */
    String stop(int nodeId) throws IOException;

    /**
     * Brings a stopped node back on its data and returns once it serves.
     *
     * @param nodeId the node.
     * @throws IOException if it could not be started.
     */
    void start(int nodeId) throws IOException;

    /**
     * Delays each chunk read of a running node (node setting {@code storage.chunk.read.delay}) from now on.
     *
     * @param nodeId           the node.
     * @param chunkReadDelayNs how long its storage waits before each chunk read, 0 for not at all.
     * @return how it was slowed down, e.g. {@code given storage.chunk.read.delay=2000us while running}.
     * @throws IOException if it cannot be slowed down.
     */
    String slowDown(int nodeId, long chunkReadDelayNs) throws IOException;

    /**
     * Stops a node with its data lost: kills it as {@link #stop} does, deletes the chunks it stored (as a replaced
     * disk would hold none) and starts it again on the rest of its data directory (its identity, manifests and
     * cluster log), so that repair must copy back every chunk it owns. Returns once it serves.
     *
     * @param nodeId the node.
     * @return how it was stopped and what was deleted.
     * @throws IOException if it could not be stopped, emptied or started.
     */
    String wipeChunks(int nodeId) throws IOException;
}
