package io.rfs.replication.protocol;

/**
 * Layout of one entry of the cluster-metadata log, the same in an {@code AppendEntries} body and in a record of the
 * log file ({@code docs/FORMATS.md}, "Cluster-metadata log"): a 24-byte header, the payload, zero padding to an
 * 8-byte boundary.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Term (i64) of the leader that appended it          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Index (i64), 0 for the first entry            |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Type (i32)                           | 16
 *  +---------------------------------------------------------------+
 *  |                   Payload length (i32)                        | 20
 *  +---------------------------------------------------------------+
 *  |              Payload ... zero padding to 8 bytes              | 24
 *  +---------------------------------------------------------------+
 * </pre>
 * Types: {@link #TYPE_NOOP} (no payload; a new leader's first entry, which lets it commit what earlier terms left)
 * and four membership changes, whose payload is the encoded ring after the change ({@code RingCodec}).
 */
public final class LogEntryDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int INDEX_OFFSET = 8;
    public static final int TYPE_OFFSET = 16;
    public static final int PAYLOAD_LENGTH_OFFSET = 20;
    public static final int HEADER_LENGTH = 24;

    /** No change: appended by a new leader. */
    public static final int TYPE_NOOP = 1;
    /** A node joins the ring. */
    public static final int TYPE_ADD_NODE = 2;
    /** A node leaves the ring at an operator's request. */
    public static final int TYPE_REMOVE_NODE = 3;
    /** A node's weight changes. */
    public static final int TYPE_WEIGHT_CHANGE = 4;
    /** A node was down longer than the grace period and is taken out of the ring. */
    public static final int TYPE_NODE_GONE = 5;

    /** Largest payload: an encoded ring of a large cluster fits with room to spare. */
    public static final int MAX_PAYLOAD_LENGTH = 4 * 1024 * 1024;

    private LogEntryDescriptor()
    {
    }

    /**
     * @param type an entry type, any value.
     * @return true if this version defines it.
     */
    public static boolean isKnownType(final int type)
    {
        return type >= TYPE_NOOP && type <= TYPE_NODE_GONE;
    }

    /**
     * @param payloadLength payload bytes.
     * @return bytes the entry takes: header, payload, padding.
     */
    public static int encodedLength(final int payloadLength)
    {
        return HEADER_LENGTH + ((payloadLength + 7) & ~7);
    }

    /**
     * @param type an entry type.
     * @return its name, for logs and status.
     */
    public static String typeName(final int type)
    {
        switch (type)
        {
            case TYPE_NOOP:
                return "noop";
            case TYPE_ADD_NODE:
                return "add-node";
            case TYPE_REMOVE_NODE:
                return "remove-node";
            case TYPE_WEIGHT_CHANGE:
                return "weight-change";
            case TYPE_NODE_GONE:
                return "node-gone";
            default:
                return "unknown(" + type + ")";
        }
    }
}
