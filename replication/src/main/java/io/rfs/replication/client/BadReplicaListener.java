package io.rfs.replication.client;

import io.rfs.store.chunk.ChunkId;

/**
 * Told of every replica a read found bad (missing, corrupt, sending bytes that do not hash to the id, or not
 * answering), so that repair can be scheduled and operators can see it. Called on the client agent's thread; must
 * be quick and must not block.
 */
@FunctionalInterface
public interface BadReplicaListener
{
    /** Ignores every report. */
    BadReplicaListener NONE = (nodeId, chunkId, reason) ->
    {
    };

    /**
     * @param nodeId  the replica's node.
     * @param chunkId the chunk it failed to give.
     * @param reason  what was wrong.
     */
    void onBadReplica(int nodeId, ChunkId chunkId, ReplicaFailure reason);
}
