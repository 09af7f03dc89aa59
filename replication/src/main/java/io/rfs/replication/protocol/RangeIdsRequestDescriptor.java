package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code RangeIdsRequest} body (type {@link MessageTypes#RANGE_IDS_REQUEST}): list the chunk ids you
 * hold (or quarantined) in one ring range, one page at a time, in ascending id order. Answered by a
 * {@link RangeIdsResponseDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Ring fingerprint (i64)                        |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Range (i32)                              |  8
 *  +---------------------------------------------------------------+
 *  |                   Max entries (i32)                           | 12
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |              Reserved (7 bytes)               | 16
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          After id (32 bytes), with flag AFTER only            | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    56
 * </pre>
 * Range is not negative; max entries 1 to {@link #MAX_ENTRIES} (the node may send fewer). With {@link #FLAG_AFTER}
 * the page starts after the id given (the last one of the previous page), else at the range's first id.
 */
public final class RangeIdsRequestDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int RANGE_OFFSET = 8;
    public static final int MAX_ENTRIES_OFFSET = 12;
    public static final int FLAGS_OFFSET = 16;
    public static final int AFTER_ID_OFFSET = 24;
    public static final int BLOCK_LENGTH = AFTER_ID_OFFSET + ChunkId.LENGTH;
    /** Resume after the id given. */
    public static final int FLAG_AFTER = 0x1;
    public static final int KNOWN_FLAGS = FLAG_AFTER;
    /** Most entries a page may be asked to hold. */
    public static final int MAX_ENTRIES = 4096;

    private RangeIdsRequestDescriptor()
    {
    }
}
