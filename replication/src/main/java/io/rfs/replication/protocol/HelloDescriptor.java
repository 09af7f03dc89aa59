package io.rfs.replication.protocol;

/**
 * Layout of a {@code Hello} body (type {@link MessageTypes#HELLO}), the first frame each side sends on a new
 * connection. Its frame always carries version 1 in the header, whatever versions follow, and this layout only
 * grows at its end, so any two versions can read each other's {@code Hello}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+---------------+---------------+
 *  |  Min version  |  Max version  |     Role      |     Flags     |  0
 *  +---------------+---------------+---------------+---------------+
 *  |                     Node id (client id)                       |  4
 *  +---------------------------------------------------------------+
 *  |                                                               |  8
 *  |                       Nonce (32 bytes)                        |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    40
 * </pre>
 * Role is {@link MessageTypes#ROLE_CLIENT} or {@link MessageTypes#ROLE_NODE}. The nonce is 32 fresh random bytes
 * for the plaintext mode's HMAC challenge-response (zero under TLS). Flags: none defined.
 */
public final class HelloDescriptor
{
    public static final int MIN_VERSION_OFFSET = 0;
    public static final int MAX_VERSION_OFFSET = 1;
    public static final int ROLE_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int NODE_ID_OFFSET = 4;
    public static final int NONCE_OFFSET = 8;
    public static final int NONCE_LENGTH = 32;
    public static final int BLOCK_LENGTH = NONCE_OFFSET + NONCE_LENGTH;
    /** Flag bits version 1 defines. */
    public static final int KNOWN_FLAGS = 0;

    private HelloDescriptor()
    {
    }

    /**
     * The version rule: the highest version both ranges contain.
     *
     * @param localMin  least version this side speaks.
     * @param localMax  greatest version this side speaks.
     * @param remoteMin least version the peer speaks.
     * @param remoteMax greatest version the peer speaks.
     * @return the version to use, or 0 if the ranges do not meet (the connection then closes with
     * {@link ErrorCode#NO_COMMON_VERSION}).
     */
    public static int negotiateVersion(final int localMin, final int localMax, final int remoteMin, final int remoteMax)
    {
        final int high = Math.min(localMax, remoteMax);
        final int low = Math.max(localMin, remoteMin);
        return high >= low ? high : 0;
    }
}
