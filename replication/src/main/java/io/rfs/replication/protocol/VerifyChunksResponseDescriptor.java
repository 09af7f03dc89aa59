package io.rfs.replication.protocol;

/**
 * Layout of a {@code VerifyChunksResponse} body (type {@link MessageTypes#VERIFY_CHUNKS_RESPONSE}): one state byte
 * per id of the request, in its order.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |              States (count x u8)                            ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class VerifyChunksResponseDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int BLOCK_LENGTH = 8;
    public static final int STATES_OFFSET = BLOCK_LENGTH;
    /** The copy was read and hashes to its id. */
    public static final int STATE_HEALTHY = 0;
    /** The copy failed its check; the node has quarantined it (or had already). */
    public static final int STATE_CORRUPT = 1;
    /** The node holds no copy. */
    public static final int STATE_MISSING = 2;
    /** The node holds a copy it did not re-hash (the request asked for presence only). */
    public static final int STATE_HELD = 3;
    /** Largest state this version defines. */
    public static final int MAX_STATE = STATE_HELD;

    private VerifyChunksResponseDescriptor()
    {
    }

    /**
     * @param count number of states.
     * @return the body length.
     */
    public static int encodedLength(final int count)
    {
        return BLOCK_LENGTH + count;
    }
}
