package io.rfs.replication.protocol;

/**
 * Layout of a {@code RepairControlRequest} body (type {@link MessageTypes#REPAIR_CONTROL_REQUEST}): the operator's
 * handle on repair ({@code rfs repair}). With no flag it asks for the repair status; answered by a
 * {@link RepairStatusDescriptor} body in every case.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |  Flags (u8)   |               Reserved (7 bytes)            ...  0
 *  +---------------+-----------------------------------------------+
 *  |                     Bandwidth (i64)                         ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Bandwidth, in bytes per second, is 1 to {@link #MAX_BANDWIDTH} with {@link #FLAG_SET_BANDWIDTH}, else 0.
 */
public final class RepairControlRequestDescriptor
{
    public static final int FLAGS_OFFSET = 0;
    public static final int BANDWIDTH_OFFSET = 8;
    public static final int BLOCK_LENGTH = 16;
    /** Start a repair round now (the leader only; any other node answers with the leader's id and does nothing). */
    public static final int FLAG_START_ROUND = 1;
    /** Set this node's repair bandwidth (every node takes it, leader or not, so a later leader uses it too). */
    public static final int FLAG_SET_BANDWIDTH = 2;
    /** The flag bits this version defines. */
    public static final int KNOWN_FLAGS = FLAG_START_ROUND | FLAG_SET_BANDWIDTH;
    /** Largest bandwidth that can be set: 1 TiB/s, far beyond any disk, so it means "unthrottled". */
    public static final long MAX_BANDWIDTH = 1L << 40;

    private RepairControlRequestDescriptor()
    {
    }
}
