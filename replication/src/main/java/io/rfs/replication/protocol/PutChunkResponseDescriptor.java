package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code PutChunkResponse} body (type {@link MessageTypes#PUT_CHUNK_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               |  0
 *  |                  Chunk id (SHA-256, 32 bytes)                 |
 *  |                                                               |
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |        Reserved (6 bytes)     | 32
 *  +---------------+---------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    40
 * </pre>
 * The chunk id repeats the request's so the requester can check that the answer is about the chunk it sent. Status
 * is a {@link Status}: {@code OK} (stored and forced to disk), {@code ALREADY_HAD}, {@code DISK_FULL},
 * {@code CORRUPT} (the payload did not hash to the id), {@code ERROR}, {@code HINTS_FULL} (a hinted write the
 * node's hint store has no room for). Flags: {@link #FLAG_HINT_RECORDED} answers a hinted write whose hint is on
 * disk; a writer counts a hinted acknowledgement towards a sloppy quorum only with it.
 */
public final class PutChunkResponseDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int STATUS_OFFSET = ChunkId.LENGTH;
    public static final int FLAGS_OFFSET = 33;
    public static final int BLOCK_LENGTH = 40;
    /** The request was hinted and its hint is recorded durably: the node will hand the chunk to its owner. */
    public static final int FLAG_HINT_RECORDED = 0x1;
    public static final int KNOWN_FLAGS = FLAG_HINT_RECORDED;

    private PutChunkResponseDescriptor()
    {
    }
}
