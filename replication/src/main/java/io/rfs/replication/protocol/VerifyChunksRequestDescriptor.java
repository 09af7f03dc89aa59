package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code VerifyChunksRequest} body (type {@link MessageTypes#VERIFY_CHUNKS_REQUEST}): re-hash these
 * chunks where they lie and say, per id, whether the copy is sound, corrupt or missing. Answered by a
 * {@link VerifyChunksResponseDescriptor} body; no chunk byte leaves the node.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------+-----------------------------------------------+
 *  |  Flags (u8)   |               Reserved (3 bytes)              |  4
 *  +---------------+-----------------------------------------------+
 *  |              Chunk ids (count x 32 bytes)                   ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Count is 1 to {@link #MAX_COUNT}: re-hashing is done on the node's storage thread, so a request is kept small
 * enough (256 MiB of 1 MiB chunks at most) that client writes queued behind it are not held up for long.
 */
public final class VerifyChunksRequestDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    public static final int BLOCK_LENGTH = 8;
    public static final int IDS_OFFSET = BLOCK_LENGTH;
    /** Most chunk ids in one request. */
    public static final int MAX_COUNT = 256;
    /** Only say whether each chunk is held, without re-hashing it (asked of nodes that do not own the chunks). */
    public static final int FLAG_PRESENCE_ONLY = 1;
    /** The flag bits this version defines. */
    public static final int KNOWN_FLAGS = FLAG_PRESENCE_ONLY;

    private VerifyChunksRequestDescriptor()
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
