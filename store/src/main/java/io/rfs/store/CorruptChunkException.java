package io.rfs.store;

import io.rfs.store.chunk.ChunkId;

/**
 * A stored chunk failed verification (its SHA-256, its checksum or its record framing), so its bytes were not
 * returned. The chunk has been quarantined on that node.
 */
public final class CorruptChunkException extends RfsException
{
    private static final long serialVersionUID = 1L;

    private final transient ChunkId chunkId;
    private final int nodeId;

    /**
     * @param chunkId the chunk that failed.
     * @param nodeId  the node that holds the bad copy.
     * @param detail  what check failed.
     */
    public CorruptChunkException(final ChunkId chunkId, final int nodeId, final String detail)
    {
        super("corrupt chunk " + chunkId.toHex() + " on node " + nodeId + ": " + detail);
        this.chunkId = chunkId;
        this.nodeId = nodeId;
    }

    /**
     * @return the chunk that failed.
     */
    public ChunkId chunkId()
    {
        return chunkId;
    }

    /**
     * @return the node that holds the bad copy.
     */
    public int nodeId()
    {
        return nodeId;
    }
}
