package io.rfs.replication.protocol;

/**
 * Layout of a {@code MembershipResponse} body (type {@link MessageTypes#MEMBERSHIP_RESPONSE}), the answer to a
 * {@link MembershipRequestDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |    Status     |                  Reserved                     |  0
 *  +---------------+-----------------------------------------------+
 *  |                     Leader id (i32)                           |  4
 *  +---------------------------------------------------------------+
 *  |                    Ring version (i64)                         |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Text length (i32)                          | 16
 *  +---------------------------------------------------------------+
 *  |                    Text (UTF-8) ...                           | 20
 *  +---------------------------------------------------------------+
 * </pre>
 * Status {@link #COMMITTED}: the change is committed to a majority, ring version is the new ring's.
 * {@link #NOT_LEADER}: ask the leader id given ({@code -1} if none is known). {@link #REFUSED}: the change cannot be
 * made (the text says why: an unknown node, a node already in the ring, another change still uncommitted, ...).
 * {@link #LOST}: the leader lost its term before the change committed; it may still commit under the next leader.
 * {@link #BUSY}: an earlier change is not committed yet; send again later. Text at most {@link #MAX_TEXT_LENGTH}
 * bytes.
 */
public final class MembershipResponseDescriptor
{
    public static final int STATUS_OFFSET = 0;
    public static final int LEADER_ID_OFFSET = 4;
    public static final int RING_VERSION_OFFSET = 8;
    public static final int TEXT_LENGTH_OFFSET = 16;
    public static final int BLOCK_LENGTH = 20;
    public static final int MAX_TEXT_LENGTH = 1024;

    public static final int COMMITTED = 1;
    public static final int NOT_LEADER = 2;
    public static final int REFUSED = 3;
    public static final int LOST = 4;
    public static final int BUSY = 5;

    private MembershipResponseDescriptor()
    {
    }

    /**
     * @param status a status byte.
     * @return its name, for messages.
     */
    public static String statusName(final int status)
    {
        switch (status)
        {
            case COMMITTED:
                return "COMMITTED";
            case NOT_LEADER:
                return "NOT_LEADER";
            case REFUSED:
                return "REFUSED";
            case LOST:
                return "LOST";
            case BUSY:
                return "BUSY";
            default:
                return "UNKNOWN(" + status + ")";
        }
    }
}
