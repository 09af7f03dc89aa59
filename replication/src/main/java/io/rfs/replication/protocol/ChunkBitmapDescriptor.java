package io.rfs.replication.protocol;

/**
 * Layout of a chunk bitmap body, the answer to a batch of chunk ids: {@code HasChunksResponse} (type
 * {@link MessageTypes#HAS_CHUNKS_RESPONSE}, bit set: the node holds that chunk) and {@code CopyChunksResponse}
 * (type {@link MessageTypes#COPY_CHUNKS_RESPONSE}, bit set: the node now holds that chunk, copied or already there)
 * and {@code DropChunksResponse} (type {@link MessageTypes#DROP_CHUNKS_RESPONSE}, bit set: the node held that chunk
 * and has now dropped it durably); also {@code DropManifestsResponse} (type
 * {@link MessageTypes#DROP_MANIFESTS_RESPONSE}, bit {@code i} set: the node held the request's name {@code i} at the
 * version given or an older one and has now dropped it durably).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Count (i32)                             |  0
 *  +---------------------------------------------------------------+
 *  |                     Reserved (i32)                            |  4
 *  +---------------------------------------------------------------+
 *  |              Bitmap (ceil(count / 8) bytes)                 ...  8
 *  +---------------------------------------------------------------+
 * </pre>
 * Count equals the request's count (1 to {@link HasChunksRequestDescriptor#MAX_COUNT}); bit {@code i} is bit
 * {@code i % 8} (least significant first) of byte {@code i / 8} and answers the request's id {@code i}. Bits past
 * count are zero and ignored.
 */
public final class ChunkBitmapDescriptor
{
    public static final int COUNT_OFFSET = 0;
    public static final int BLOCK_LENGTH = 8;
    public static final int BITMAP_OFFSET = BLOCK_LENGTH;
    public static final int MAX_COUNT = HasChunksRequestDescriptor.MAX_COUNT;

    private ChunkBitmapDescriptor()
    {
    }

    /**
     * @param count number of bits.
     * @return the body length.
     */
    public static int encodedLength(final int count)
    {
        return BLOCK_LENGTH + ((count + 7) >>> 3);
    }
}
