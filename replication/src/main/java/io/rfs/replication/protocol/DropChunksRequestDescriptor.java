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
 *  |                         Flags (i32)                           |  4
 *  +---------------------------------------------------------------+
 *  |                    Term (i64), the leader's                   |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Chunk ids (count x 32 bytes)                   ... 16
 *  +---------------------------------------------------------------+
 *  |   With UNTOUCHED_SINCE: untouched since, ns (i64)             | 16 + 32 x count
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   With UNTOUCHED_SINCE: clock instance (i64)                  | 24 + 32 x count
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Count is 1 to {@link #MAX_COUNT}. Flag {@link #FLAG_UNTOUCHED_SINCE} (the leader's reclaim of unreferenced
 * chunks): drop an id only if nothing stored it here, nor asked to store it, since the reading of this node's clock
 * given (from the {@code ReclaimCandidatesResponse} it was listed in), and only if the clock instance given is this
 * node's (else drop nothing); the reading and the instance follow the ids. A node drops only on an order of its own term from the leader it follows: a
 * deposed or unknown leader's order is refused with {@code Error NOT_LEADER}.
 */
public final class DropChunksRequestDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int FLAGS_OFFSET = 4;
    public static final int TERM_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    public static final int IDS_OFFSET = BLOCK_LENGTH;
    public static final int MAX_COUNT = HasChunksRequestDescriptor.MAX_COUNT;
    /** Drop only ids untouched since the clock reading that follows the ids. */
    public static final int FLAG_UNTOUCHED_SINCE = 0x1;
    public static final int KNOWN_FLAGS = FLAG_UNTOUCHED_SINCE;
    /** Bytes after the ids with {@link #FLAG_UNTOUCHED_SINCE}: the clock reading and the clock instance. */
    public static final int UNTOUCHED_SINCE_LENGTH = 16;

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
