package io.rfs.replication.protocol;

/**
 * Layout of a {@code RangeDigestResponse} body (type {@link MessageTypes#RANGE_DIGEST_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |            Ring fingerprint (i64), the node's                 |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   First range (i32)                           |  8
 *  +---------------------------------------------------------------+
 *  |               Count (i32), 0 unless OK                        | 12
 *  +---------------+-----------------------------------------------+
 *  |    Status     |     Flags     |     Reserved (6 bytes)        | 16
 *  +---------------+---------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Digests (count x 32 bytes)                  ... 24
 *  +---------------------------------------------------------------+
 * </pre>
 * Each digest ({@link #DIGEST_LENGTH} bytes): lane 0 (i64), lane 1 (i64), ids held (i64), ids quarantined and not
 * held (i32), reserved (4 bytes). Status {@code OK}, or {@code RING_MISMATCH} when the node's ring is not the one
 * asked about (count 0; the fingerprint field says which ring the node has), or {@code ERROR}. Flag
 * {@link #FLAG_MANIFESTS} (in a byte reserved before, so 0 keeps its old meaning): the digests are of the manifests
 * held, as asked ({@code RangeDigestRequestDescriptor#FLAG_MANIFESTS}); the held field then counts names and the
 * quarantined field is 0. A node of the first revision ignores the request's flags and answers chunk digests
 * without the flag, which the asker must not take for manifest digests.
 */
public final class RangeDigestResponseDescriptor
{
    public static final int RING_FINGERPRINT_OFFSET = 0;
    public static final int FIRST_RANGE_OFFSET = 8;
    public static final int COUNT_OFFSET = 12;
    public static final int STATUS_OFFSET = 16;
    public static final int FLAGS_OFFSET = 17;
    /** The digests are of manifests. */
    public static final int FLAG_MANIFESTS = 0x1;
    public static final int KNOWN_FLAGS = FLAG_MANIFESTS;
    public static final int BLOCK_LENGTH = 24;
    public static final int DIGESTS_OFFSET = BLOCK_LENGTH;
    public static final int DIGEST_LENGTH = 32;
    public static final int LANE0_OFFSET = 0;
    public static final int LANE1_OFFSET = 8;
    public static final int HELD_OFFSET = 16;
    public static final int QUARANTINED_OFFSET = 24;
    public static final int MAX_COUNT = RangeDigestRequestDescriptor.MAX_COUNT;

    private RangeDigestResponseDescriptor()
    {
    }

    /**
     * @param count digests.
     * @return the body length.
     */
    public static int encodedLength(final int count)
    {
        return BLOCK_LENGTH + count * DIGEST_LENGTH;
    }
}
