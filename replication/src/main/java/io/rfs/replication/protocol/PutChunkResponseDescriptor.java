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
 *  +---------------+-----------------------------------------------+
 *  |    Status     |               Reserved (7 bytes)              | 32
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    40
 * </pre>
 * The chunk id repeats the request's so the requester can check that the answer is about the chunk it sent. Status
 * is a {@link Status}: {@code OK} (stored and forced to disk), {@code ALREADY_HAD}, {@code DISK_FULL},
 * {@code CORRUPT} (the payload did not hash to the id), {@code ERROR}.
 */
public final class PutChunkResponseDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int STATUS_OFFSET = ChunkId.LENGTH;
    public static final int BLOCK_LENGTH = 40;

    private PutChunkResponseDescriptor()
    {
    }
}
