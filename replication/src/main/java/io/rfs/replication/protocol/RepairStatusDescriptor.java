package io.rfs.replication.protocol;

/**
 * Layout of a {@code RepairStatusResponse} body (type {@link MessageTypes#REPAIR_STATUS_RESPONSE}): what a node
 * knows of repair. The round fields are meaningful only from the leader ({@link #FLAG_LEADER}); they describe the
 * round in progress, or the last one if none is.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+-----------------------------------------------+
 *  |  Flags (u8)   |               Reserved (3 bytes)              |  0
 *  +---------------+-----------------------------------------------+
 *  |                    Leader id (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |  Term, bandwidth, then the round fields below (i64 each)    ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Every field from offset 8 is an i64, not negative; the constants below are their offsets.
 */
public final class RepairStatusDescriptor
{
    public static final int FLAGS_OFFSET = 0;
    /** The leader this node knows, or {@link HeartbeatDescriptor#NO_LEADER}. */
    public static final int LEADER_ID_OFFSET = 4;
    /** The node's current term. */
    public static final int TERM_OFFSET = 8;
    /** The node's repair bandwidth per node, bytes per second. */
    public static final int BANDWIDTH_OFFSET = 16;
    /** Rounds this node started while it led. */
    public static final int ROUNDS_STARTED_OFFSET = 24;
    /** Rounds this node finished while it led (an aborted round is not counted). */
    public static final int ROUNDS_COMPLETED_OFFSET = 32;
    /** Nanoseconds since the round started (to its end, for a finished round). */
    public static final int ROUND_ELAPSED_NS_OFFSET = 40;
    /** Ranges of the ring in force. */
    public static final int RANGES_OFFSET = 48;
    /** Ranges whose replicas' digests were compared in the round. */
    public static final int RANGES_COMPARED_OFFSET = 56;
    /** Ranges found different in the round. */
    public static final int RANGES_DIFFERENT_OFFSET = 64;
    /** Different ranges whose ids were listed and whose copies ended. */
    public static final int RANGES_REPAIRED_OFFSET = 72;
    /** Chunk copies ordered in the round. */
    public static final int CHUNKS_SCHEDULED_OFFSET = 80;
    /** Chunk copies that succeeded in the round. */
    public static final int CHUNKS_COPIED_OFFSET = 88;
    /** Bytes those copies moved. */
    public static final int BYTES_COPIED_OFFSET = 96;
    /** Chunk copies that failed in the round. */
    public static final int COPY_FAILURES_OFFSET = 104;
    /** Answers to the round's queries that did not come (a node down, a timeout). */
    public static final int ANSWERS_MISSED_OFFSET = 112;
    /** Nanoseconds of the round with copies in flight (the span a copy rate is measured over). */
    public static final int COPYING_NS_OFFSET = 120;
    /** Chunks reported unrecoverable (corrupt or missing on every replica), since the node started. */
    public static final int UNRECOVERABLE_OFFSET = 128;
    public static final int BLOCK_LENGTH = 136;

    /** The answering node leads. */
    public static final int FLAG_LEADER = 1;
    /** A round is in progress. */
    public static final int FLAG_ROUND_IN_PROGRESS = 2;
    /** Repair is enabled on the node ({@code repair.enabled}). */
    public static final int FLAG_ENABLED = 4;
    /** The flag bits this version defines. */
    public static final int KNOWN_FLAGS = FLAG_LEADER | FLAG_ROUND_IN_PROGRESS | FLAG_ENABLED;

    private RepairStatusDescriptor()
    {
    }
}
