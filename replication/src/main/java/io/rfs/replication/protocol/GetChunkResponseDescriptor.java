package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code GetChunkResponse} body (type {@link MessageTypes#GET_CHUNK_RESPONSE}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               |  0
 *  |                  Chunk id (SHA-256, 32 bytes)                 |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Raw length (uncompressed bytes, i32)             | 32
 *  +---------------------------------------------------------------+
 *  |                  Payload length (bytes, i32)                  | 36
 *  +---------------+---------------+-------------------------------+
 *  |    Status     |     Flags     |       Reserved (6 bytes)      | 40
 *  +---------------+---------------+                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Payload (payload length bytes)              ... 48
 *  +---------------------------------------------------------------+
 * </pre>
 * With status {@code OK} the fields obey the {@link PutChunkRequestDescriptor} rules (flag
 * {@link PutChunkRequestDescriptor#FLAG_COMPRESSED}, only if the request accepted it); any other status
 * ({@code NOT_FOUND}, {@code CORRUPT}, {@code ERROR}) has raw length, payload length and flags zero. The requester
 * checks the chunk id is the one it asked for and re-hashes the raw bytes before using them.
 */
public final class GetChunkResponseDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int RAW_LENGTH_OFFSET = ChunkId.LENGTH;
    public static final int PAYLOAD_LENGTH_OFFSET = 36;
    public static final int STATUS_OFFSET = 40;
    public static final int FLAGS_OFFSET = 41;
    public static final int BLOCK_LENGTH = 48;
    public static final int PAYLOAD_OFFSET = BLOCK_LENGTH;

    private GetChunkResponseDescriptor()
    {
    }
}
