package io.rfs.replication.protocol;

/**
 * Layout of a {@code CorruptChunkReport} body (type {@link MessageTypes#CORRUPT_CHUNK_REPORT}), one-way from a node
 * to the leader: the sender's background scrub found this chunk corrupt and quarantined it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Term (i64), the sender's current term            |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Chunk id (32 bytes)                       |  8
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *                                                                    40
 * </pre>
 * Term not negative.
 */
public final class CorruptChunkReportDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int CHUNK_ID_OFFSET = 8;
    public static final int BLOCK_LENGTH = 40;

    private CorruptChunkReportDescriptor()
    {
    }
}
