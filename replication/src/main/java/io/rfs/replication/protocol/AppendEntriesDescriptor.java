package io.rfs.replication.protocol;

/**
 * Layout of an {@code AppendEntries} body (type {@link MessageTypes#APPEND_ENTRIES}, leader only): the leader of a
 * term replicates entries of the cluster-metadata log and says how far it has committed. Sent at every heartbeat
 * interval, with no entries when the follower is up to date, so it also asserts leadership. Answered by an
 * {@link AppendResponseDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Term (i64), the leader's                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |     Previous log index (i64): the entry before the first      |  8
 *  |                     sent, -1 if none                          |
 *  +---------------------------------------------------------------+
 *  |        Previous log term (i64): its term, 0 if none           | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Leader commit (i64): highest committed index, -1 none    | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Leader id (i32)                          | 32
 *  +---------------------------------------------------------------+
 *  |                     Entry count (i32)                         | 36
 *  +---------------------------------------------------------------+
 *  |        Entries ... each a LogEntryDescriptor layout           | 40
 *  +---------------------------------------------------------------+
 * </pre>
 * Term at least 1; previous log index at least -1; previous log term 0 to term; leader commit at least -1; count 0
 * to {@link #MAX_ENTRIES}. Entry {@code i} has index {@code previous log index + 1 + i}, a term from previous log
 * term to the message's term that never decreases, a known type, and lies within the body. The leader id must equal
 * the frame's source, which the node logic checks.
 */
public final class AppendEntriesDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int PREV_LOG_INDEX_OFFSET = 8;
    public static final int PREV_LOG_TERM_OFFSET = 16;
    public static final int LEADER_COMMIT_OFFSET = 24;
    public static final int LEADER_ID_OFFSET = 32;
    public static final int ENTRY_COUNT_OFFSET = 36;
    public static final int BLOCK_LENGTH = 40;
    /** Most entries in one message. */
    public static final int MAX_ENTRIES = 256;

    private AppendEntriesDescriptor()
    {
    }
}
