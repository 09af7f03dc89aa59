package io.rfs.replication.protocol;

/**
 * Layout of an {@code AppendResponse} body (type {@link MessageTypes#APPEND_RESPONSE}), a follower's answer to an
 * {@code AppendEntries}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |           Term (i64), the follower's after the request        |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |    Match index (i64): on success the last index the request   |  8
 *  |  proved equal to the leader's; on refusal where to retry from |
 *  +---------------+-----------------------------------------------+
 *  |    Success    |               Reserved (7 bytes)              | 16
 *  +---------------+-----------------------------------------------+
 *                                                                    24
 * </pre>
 * Success 1: the follower's log holds the leader's entries up to the match index. Success 0: its log does not hold
 * the previous entry the request named; the leader retries from match index + 1, or the follower's term is higher
 * and the leader steps down. Term not negative; match index at least -1.
 */
public final class AppendResponseDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int MATCH_INDEX_OFFSET = 8;
    public static final int SUCCESS_OFFSET = 16;
    public static final int BLOCK_LENGTH = 24;

    private AppendResponseDescriptor()
    {
    }
}
