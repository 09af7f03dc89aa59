package io.rfs.replication.protocol;

/**
 * Layout of a {@code Vote} body (type {@link MessageTypes#VOTE}), the answer to a {@code RequestVote}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Term (i64), the voter's after the request          |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Candidate id (i32)                         |  8
 *  +---------------+-----------------------------------------------+
 *  |    Granted    |               Reserved (3 bytes)              | 12
 *  +---------------+-----------------------------------------------+
 *                                                                    16
 * </pre>
 * Granted is 1 (the vote is the candidate's) or 0. A voter's term higher than the candidate's tells it to step
 * down. Term not negative.
 */
public final class VoteDescriptor
{
    public static final int TERM_OFFSET = 0;
    public static final int CANDIDATE_ID_OFFSET = 8;
    public static final int GRANTED_OFFSET = 12;
    public static final int BLOCK_LENGTH = 16;

    private VoteDescriptor()
    {
    }
}
