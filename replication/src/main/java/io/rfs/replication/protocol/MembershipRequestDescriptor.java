package io.rfs.replication.protocol;

/**
 * Layout of a {@code MembershipRequest} body (type {@link MessageTypes#MEMBERSHIP_REQUEST}): an operator's ring
 * change, sent to the leader (any node answers; one that does not lead names the leader it knows). Answered by a
 * {@link MembershipResponseDescriptor} body once the change is committed, refused or lost.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  Operation    |   Reserved    |       Zone length (u16)       |  0
 *  +---------------+---------------+-------------------------------+
 *  |                      Node id (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |                      Weight (i32)                             |  8
 *  +-------------------------------+-------------------------------+
 *  |     Address length (u16)      |          Reserved             | 12
 *  +-------------------------------+-------------------------------+
 *  |                  Zone (UTF-8) ...  Address (UTF-8) ...        | 16
 *  +---------------------------------------------------------------+
 * </pre>
 * Operation {@link #ADD} (node id, weight 1 to {@code RingNode.MAX_WEIGHT}, zone 1 to
 * {@code RingNode.MAX_ZONE_LENGTH} bytes, address {@code host:port} 1 to {@code RingNode.MAX_ADDRESS_LENGTH} bytes)
 * , {@link #REMOVE} (node id; weight 0, zone and address empty) or {@link #WEIGHT} (node id, the new weight 1 to
 * {@code RingNode.MAX_WEIGHT}; zone and address empty).
 */
public final class MembershipRequestDescriptor
{
    public static final int OPERATION_OFFSET = 0;
    public static final int ZONE_LENGTH_OFFSET = 2;
    public static final int NODE_ID_OFFSET = 4;
    public static final int WEIGHT_OFFSET = 8;
    public static final int ADDRESS_LENGTH_OFFSET = 12;
    public static final int BLOCK_LENGTH = 16;

    /** Add a node to the ring ({@code LogEntryDescriptor.TYPE_ADD_NODE}). */
    public static final int ADD = 1;
    /** Take a node out of the ring, up or down ({@code LogEntryDescriptor.TYPE_REMOVE_NODE}). */
    public static final int REMOVE = 2;
    /** Give a node of the ring another weight ({@code LogEntryDescriptor.TYPE_WEIGHT_CHANGE}). */
    public static final int WEIGHT = 3;

    private MembershipRequestDescriptor()
    {
    }
}
