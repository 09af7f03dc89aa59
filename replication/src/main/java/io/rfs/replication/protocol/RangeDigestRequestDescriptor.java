package io.rfs.replication.protocol;

/**
 * Layout of a {@code RangeDigestRequest} body (type {@link MessageTypes#RANGE_DIGEST_REQUEST}): send me the digests
 * of the chunk ids you hold in these ring ranges. Answered by a {@link RangeDigestResponseDescriptor} body.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Ring fingerprint (i64)                        |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   First range (i32)                           |  8
 *  +---------------------------------------------------------------+
 *  |                     Count (i32)                               | 12
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |              Reserved (7 bytes)               | 16
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    24
 * </pre>
 * A range is the token index of the ring whose fingerprint is given ({@code Ring.fingerprint()}): the range
 * {@code (previous token, token]}. First range is not negative, count 1 to {@link #MAX_COUNT}. The flags were
 * appended later: a body of {@link #MIN_BLOCK_LENGTH} bytes asks for chunk digests; {@link #FLAG_MANIFESTS} asks for
 * the digests of the manifests held instead (ranges of the names' ring positions).
 */
public final class RangeDigestRequestDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int FIRST_RANGE_OFFSET = 8;
    public static final int COUNT_OFFSET = 12;
    public static final int FLAGS_OFFSET = 16;
    /** The length of the first revision's body, without flags; still accepted. */
    public static final int MIN_BLOCK_LENGTH = 16;
    public static final int BLOCK_LENGTH = 24;
    /** Digests of the manifests held (name, version, tombstone of the newest version of each name). */
    public static final int FLAG_MANIFESTS = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MANIFESTS;
    /** Most ranges per request: 256 digests, 8 KiB of response. */
    public static final int MAX_COUNT = 256;

    private RangeDigestRequestDescriptor()
    {
    }
}
