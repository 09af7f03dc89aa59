package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code HasChunksRequest} body (type {@link MessageTypes#HAS_CHUNKS_REQUEST}): which of these chunks
 * do you hold? Answered by a {@link ChunkBitmapDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |              Chunk ids (count x 32 bytes)                   ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Count is 1 to {@link #MAX_COUNT}.
 */
public final class HasChunksRequestDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int BLOCK_LENGTH = 8;
    public static final int IDS_OFFSET = BLOCK_LENGTH;
    /** Most chunk ids in one request: 4096, 128 KiB of ids. */
    public static final int MAX_COUNT = 4096;

    private HasChunksRequestDescriptor()
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
