package io.rfs.replication.protocol;

/**
 * Layout of a {@code RingResponse} body (type {@link MessageTypes#RING_RESPONSE}), the answer to a
 * {@code RingRequest} (an empty body): the node's committed ring, so clients and tools place keys by the ring the
 * cluster committed rather than by the one their settings would build.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                        Term (i64)                             |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Leader id (i32)                           |  8
 *  +---------------------------------------------------------------+
 *  |                    Ring length (i32)                          | 12
 *  +---------------------------------------------------------------+
 *  |               Ring (FORMATS.md "Ring") ...                    | 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Ring length 0: the node has applied no ring change yet (the cluster runs on the ring its settings build).
 * Otherwise at most {@code LogEntryDescriptor.MAX_PAYLOAD_LENGTH} bytes, checked by the ring's own decoder.
 */
public final class RingResponseDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int LEADER_ID_OFFSET = 8;
    public static final int RING_LENGTH_OFFSET = 12;
    public static final int BLOCK_LENGTH = 16;

    private RingResponseDescriptor()
    {
    }
}
