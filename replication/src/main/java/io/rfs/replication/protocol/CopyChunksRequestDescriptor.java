package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code CopyChunksRequest} body (type {@link MessageTypes#COPY_CHUNKS_REQUEST}, leader only): fetch
 * these chunks from the source node and store them; a repair or rebalancing order. Answered by a
 * {@link ChunkBitmapDescriptor} body once every copy has been tried.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Source node id (i32)                       |  0
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  4
 *  +---------------------------------------------------------------+
 *  |                    Term (i64), the leader's                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Chunk ids (count x 32 bytes)                   ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Count is 1 to {@link #MAX_COUNT}. The term lets the receiver drop orders from a deposed leader.
 */
public final class CopyChunksRequestDescriptor
{
    public static final int SOURCE_NODE_ID_OFFSET = 0;
    public static final int COUNT_OFFSET = 4;
    public static final int TERM_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    public static final int IDS_OFFSET = BLOCK_LENGTH;
    public static final int MAX_COUNT = HasChunksRequestDescriptor.MAX_COUNT;

    private CopyChunksRequestDescriptor()
    {
    }

    /**
     * @param count number of ids.
     * @return the body length.
     */
    public static int encodedLength(final int count)
    {
        return BLOCK_LENGTH + count * ChunkId.LENGTH;
    }
}
