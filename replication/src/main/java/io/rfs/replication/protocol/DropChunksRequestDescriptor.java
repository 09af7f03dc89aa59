package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code DropChunksRequest} body (type {@link MessageTypes#DROP_CHUNKS_REQUEST}, leader only): stop
 * holding these chunks, which this node no longer owns and which every owner holds; the end of a rebalance. Answered
 * by a {@link ChunkBitmapDescriptor} body (type {@link MessageTypes#DROP_CHUNKS_RESPONSE}), bit set: the node held
 * that chunk and has dropped it durably.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32, zero)                      |  4
 *  +---------------------------------------------------------------+
 *  |                    Term (i64), the leader's                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Chunk ids (count x 32 bytes)                   ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Count is 1 to {@link #MAX_COUNT}. A node drops only on an order of its own term from the leader it follows: a
 * deposed or unknown leader's order is refused with {@code Error NOT_LEADER}.
 */
public final class DropChunksRequestDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int RESERVED_OFFSET = 4;
    public static final int TERM_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    public static final int IDS_OFFSET = BLOCK_LENGTH;
    public static final int MAX_COUNT = HasChunksRequestDescriptor.MAX_COUNT;

    private DropChunksRequestDescriptor()
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
