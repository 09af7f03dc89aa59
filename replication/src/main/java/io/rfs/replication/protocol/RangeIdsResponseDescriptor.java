package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code RangeIdsResponse} body (type {@link MessageTypes#RANGE_IDS_RESPONSE}): one page of a range's
 * ids, ascending.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Ring fingerprint (i64), the node's                 |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |               Count (i32), 0 unless OK                        |  8
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |        Reserved (2 bytes)     | 12
 *  +---------------+---------------+-------------------------------+
 *  |                 Entries (count x 40 bytes)                  ... 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Each entry ({@link #ENTRY_LENGTH} bytes): chunk id (32), raw length (i32, 0 for a quarantined id), state (u8:
 * {@link #STATE_HELD}, {@link #STATE_QUARANTINED}: its copy failed verification here and none is held), reserved
 * (3 bytes). Flag {@link #FLAG_MORE}: ask again, after the last id of this page. Status {@code OK},
 * {@code RING_MISMATCH} (count 0), or {@code ERROR}.
 */
public final class RangeIdsResponseDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int COUNT_OFFSET = 8;
    public static final int STATUS_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int BLOCK_LENGTH = 16;
    public static final int ENTRIES_OFFSET = BLOCK_LENGTH;
    public static final int ENTRY_LENGTH = ChunkId.LENGTH + 8;
    public static final int RAW_LENGTH_OFFSET = ChunkId.LENGTH;
    public static final int STATE_OFFSET = ChunkId.LENGTH + 4;
    /** More ids follow the last one of this page. */
    public static final int FLAG_MORE = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MORE;
    public static final int STATE_HELD = 0;
    public static final int STATE_QUARANTINED = 1;
    public static final int MAX_COUNT = RangeIdsRequestDescriptor.MAX_ENTRIES;

    private RangeIdsResponseDescriptor()
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
