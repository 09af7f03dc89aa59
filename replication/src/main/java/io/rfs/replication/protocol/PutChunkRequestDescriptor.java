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
 *  |     Flags     |               Reserved (3 bytes)              | 40
 *  +---------------+-----------------------------------------------+
 *  |          Hinted for node id (i32, only if HINTED, else 0)     | 44
 *  +---------------------------------------------------------------+
 *  |                 Payload (payload length bytes)              ... 48
 *  +---------------------------------------------------------------+
 * </pre>
 * The fixed block is what a sender passes as {@code fields} to the gather {@code Transport.offer}, and the payload
 * (the chunk's bytes, LZ4-compressed if {@link #FLAG_COMPRESSED}) goes as {@code payload}, straight from where it
 * lies. Raw length is 1 to {@link #MAX_RAW_LENGTH}; an uncompressed payload is exactly raw length bytes. The
 * receiver checks the SHA-256 of the raw bytes against the chunk id before it acknowledges.
 * <p>
 * <b>Hinted writes</b> (sloppy quorum, docs/PROTOCOL.md 5.3). With {@link #FLAG_HINTED} the sender asks a node that
 * is not one of the chunk's owners to keep the chunk for the owner named by the hinted-for node id (0 or more) and
 * hand it over when that node is back; the receiver stores the chunk, records the hint durably, and only then
 * acknowledges, with {@code PutChunkResponseDescriptor.FLAG_HINT_RECORDED}. Without the flag the field is zero.
 * A node older than this revision refuses the unknown flag bit ({@code Error MALFORMED}).
 */
public final class PutChunkRequestDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int RAW_LENGTH_OFFSET = ChunkId.LENGTH;
    public static final int PAYLOAD_LENGTH_OFFSET = 36;
    public static final int FLAGS_OFFSET = 40;
    public static final int HINTED_FOR_OFFSET = 44;
    public static final int BLOCK_LENGTH = 48;
    public static final int PAYLOAD_OFFSET = BLOCK_LENGTH;

    /** The payload is LZ4 block-compressed; decompress it to raw length bytes. */
    public static final int FLAG_COMPRESSED = 0x1;
    /** A hinted write: keep the chunk for the node named at {@link #HINTED_FOR_OFFSET} and hand it over later. */
    public static final int FLAG_HINTED = 0x2;
    public static final int KNOWN_FLAGS = FLAG_COMPRESSED | FLAG_HINTED;
    /** The hinted-for field of a request that is not hinted. */
    public static final int NOT_HINTED = -1;
    /** Largest raw length, the largest chunk a chunking policy makes. */
    public static final int MAX_RAW_LENGTH = ChunkingPolicy.LARGEST_CHUNK_SIZE;

    private PutChunkRequestDescriptor()
    {
    }
}
