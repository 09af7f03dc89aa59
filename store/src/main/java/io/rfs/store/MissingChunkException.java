package io.rfs.store;

import io.rfs.store.chunk.ChunkId;

/**
 * A manifest names a chunk that the store does not hold (never written, or quarantined after it failed
 * verification).
 */
public final class MissingChunkException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final transient ChunkId chunkId;

    /**
     * @param chunkId the chunk that is missing.
     * @param nodeId  the node that was asked.
     */
    public MissingChunkException(final ChunkId chunkId, final int nodeId)
    {
        super("missing chunk " + chunkId.toHex() + " on node " + nodeId);
        this.chunkId = chunkId;
    }

    /**
     * @return the chunk that is missing.
     */
    public ChunkId chunkId()
    {
        return chunkId;
    }
}
