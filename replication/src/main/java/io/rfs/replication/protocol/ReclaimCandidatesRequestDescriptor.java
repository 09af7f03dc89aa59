package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code ReclaimCandidatesRequest} body (type {@link MessageTypes#RECLAIM_CANDIDATES_REQUEST}): list the
 * chunk ids you hold that no put has stored or asked you to store for longer than the grace given, one page at a
 * time, in ascending id order (ring positions in unsigned order). Answered by a
 * {@link ReclaimCandidatesResponseDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Grace, ns (i64)                           |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Max entries (i32)                           |  8
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |              Reserved (3 bytes)               | 12
 *  +---------------+-----------------------------------------------+
 *  |          After id (32 bytes), with flag AFTER only            | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    48
 * </pre>
 * Grace is not negative; max entries 1 to {@link #MAX_ENTRIES} (the node may send fewer). With {@link #FLAG_AFTER}
 * the page starts after the id given (the last one of the previous page), else at the lowest id.
 */
public final class ReclaimCandidatesRequestDescriptor
{
    public static final int GRACE_NS_OFFSET = 0;
    public static final int MAX_ENTRIES_OFFSET = 8;
    public static final int FLAGS_OFFSET = 12;
    public static final int AFTER_ID_OFFSET = 16;
    public static final int BLOCK_LENGTH = AFTER_ID_OFFSET + ChunkId.LENGTH;
    /** Resume after the id given. */
    public static final int FLAG_AFTER = 0x1;
    public static final int KNOWN_FLAGS = FLAG_AFTER;
    /** Most entries a page may be asked to hold. */
    public static final int MAX_ENTRIES = 4096;

    private ReclaimCandidatesRequestDescriptor()
    {
    }
}
