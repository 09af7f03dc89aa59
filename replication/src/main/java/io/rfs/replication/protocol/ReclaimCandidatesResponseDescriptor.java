package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code ReclaimCandidatesResponse} body (type {@link MessageTypes#RECLAIM_CANDIDATES_RESPONSE}): one
 * page of the ids the node holds and has not stored, nor been asked to store, for longer than the grace asked, in
 * ascending order, with the node's own clock reading when it listed them.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Listed at, ns of the node's clock (i64)          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Clock instance (i64)                         |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Count (i32), 0 unless OK                        | 16
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |        Reserved (2 bytes)     | 20
 *  +---------------+---------------+-------------------------------+
 *  |                 Chunk ids (count x 32 bytes)                ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * Listed at is the node's monotonic clock, meaningful only to that node and only with the same clock instance, a
 * random number the node draws when it opens its store (a restarted node's clock starts elsewhere). A drop order
 * hands both back so the node drops an id only if nothing stored or asked to store it since. Flag
 * {@link #FLAG_MORE}: ask again after the last id of this page. Status {@code OK} or {@code ERROR} (count 0).
 */
public final class ReclaimCandidatesResponseDescriptor
{
    public static final int LISTED_AT_NS_OFFSET = 0;
    public static final int CLOCK_INSTANCE_OFFSET = 8;
    public static final int COUNT_OFFSET = 16;
    public static final int STATUS_OFFSET = 20;
    public static final int FLAGS_OFFSET = 21;
    public static final int BLOCK_LENGTH = 24;
    public static final int ENTRIES_OFFSET = BLOCK_LENGTH;
    public static final int ENTRY_LENGTH = ChunkId.LENGTH;
    /** More ids follow the last one of this page. */
    public static final int FLAG_MORE = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MORE;
    public static final int MAX_COUNT = ReclaimCandidatesRequestDescriptor.MAX_ENTRIES;

    private ReclaimCandidatesResponseDescriptor()
    {
    }

    /**
     * @param count entries.
     * @return the body length.
     */
    public static int encodedLength(final int count)
    {
        return BLOCK_LENGTH + count * ENTRY_LENGTH;
    }
}
