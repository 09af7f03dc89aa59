package io.rfs.replication.protocol;

/**
 * Layout of a {@code RequestVote} body (type {@link MessageTypes#REQUEST_VOTE}): a candidate asks for a node's vote
 * in a term. Answered by a {@link VoteDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                Term (i64), the candidate's                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |      Last log term (i64) of the candidate's metadata log      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |             Last log index (i64), -1 if empty                 | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Candidate id (i32)                         | 24
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            | 28
 *  +---------------------------------------------------------------+
 *                                                                    32
 * </pre>
 * Term at least 1; last log term 0 to term; last log index at least -1. The candidate id must equal the frame's
 * source, which the node logic checks.
 */
public final class RequestVoteDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int LAST_LOG_TERM_OFFSET = 8;
    public static final int LAST_LOG_INDEX_OFFSET = 16;
    public static final int CANDIDATE_ID_OFFSET = 24;
    public static final int BLOCK_LENGTH = 32;

    private RequestVoteDescriptor()
    {
    }
}
