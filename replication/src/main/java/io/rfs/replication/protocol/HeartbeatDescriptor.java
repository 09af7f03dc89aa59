package io.rfs.replication.protocol;

/**
 * Layout of a {@code Heartbeat} body (type {@link MessageTypes#HEARTBEAT}), sent by every node to every other at a
 * fixed interval; its arrival times feed the failure detector, its fields the cluster view.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Term (i64), the sender's                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Ring version (i64), the sender's                 |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |         Leader id (i32), as the sender knows it; -1 none      | 16
 *  +---------------------------------------------------------------+
 *  |         Load (i32): requests in progress at the sender        | 20
 *  +---------------------------------------------------------------+
 *                                                                    24
 * </pre>
 * Term and ring version are not negative; load is not negative. A node that sees a higher term or ring version
 * learns it is behind.
 */
public final class HeartbeatDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int RING_VERSION_OFFSET = 8;
    public static final int LEADER_ID_OFFSET = 16;
    public static final int LOAD_OFFSET = 20;
    public static final int BLOCK_LENGTH = 24;
    /** Leader id when the sender knows of no leader. */
    public static final int NO_LEADER = -1;

    private HeartbeatDescriptor()
    {
    }
}
