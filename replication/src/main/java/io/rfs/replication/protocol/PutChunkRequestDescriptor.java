package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;

/**
 * Layout of a {@code PutChunkRequest} body (type {@link MessageTypes#PUT_CHUNK_REQUEST}): store this chunk.
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
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |               Reserved (7 bytes)              | 40
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Payload (payload length bytes)              ... 48
 *  +---------------------------------------------------------------+
 * </pre>
 * The fixed block is what a sender passes as {@code fields} to the gather {@code Transport.offer}, and the payload
 * (the chunk's bytes, LZ4-compressed if {@link #FLAG_COMPRESSED}) goes as {@code payload}, straight from where it
 * lies. Raw length is 1 to {@link #MAX_RAW_LENGTH}; an uncompressed payload is exactly raw length bytes. The
 * receiver checks the SHA-256 of the raw bytes against the chunk id before it acknowledges.
 */
public final class PutChunkRequestDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int RAW_LENGTH_OFFSET = ChunkId.LENGTH;
    public static final int PAYLOAD_LENGTH_OFFSET = 36;
    public static final int FLAGS_OFFSET = 40;
    public static final int BLOCK_LENGTH = 48;
    public static final int PAYLOAD_OFFSET = BLOCK_LENGTH;

    /** The payload is LZ4 block-compressed; decompress it to raw length bytes. */
    public static final int FLAG_COMPRESSED = 0x1;
    public static final int KNOWN_FLAGS = FLAG_COMPRESSED;
    /** Largest raw length, the largest chunk a chunking policy makes. */
    public static final int MAX_RAW_LENGTH = ChunkingPolicy.LARGEST_CHUNK_SIZE;

    private PutChunkRequestDescriptor()
    {
    }
}
