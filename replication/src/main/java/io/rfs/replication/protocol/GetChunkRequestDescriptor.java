package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;

/**
 * Layout of a {@code GetChunkRequest} body (type {@link MessageTypes#GET_CHUNK_REQUEST}): send me this chunk.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                                                               |  0
 *  |                  Chunk id (SHA-256, 32 bytes)                 |
 *  |                                                               |
 *  +---------------+-----------------------------------------------+
 *  |     Flags     |               Reserved (7 bytes)              | 32
 *  +---------------+                                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *                                                                    40
 * </pre>
 * Flag {@link #FLAG_ACCEPT_COMPRESSED}: the requester can take the payload LZ4-compressed, as the node stores it,
 * which saves the node a decompression and the network bytes. Flag {@link #FLAG_VERIFY}: the node re-hashes its
 * copy before sending it, and answers {@code CORRUPT} (quarantining the copy) if it does not hash to its id; a repair
 * copy asks for it so that a corrupt replica is never a source.
 */
public final class GetChunkRequestDescriptor
{
    public static final int CHUNK_ID_OFFSET = 0;
    public static final int FLAGS_OFFSET = ChunkId.LENGTH;
    public static final int BLOCK_LENGTH = 40;

    /** The requester accepts an LZ4-compressed payload. */
    public static final int FLAG_ACCEPT_COMPRESSED = 0x1;
    /** The node verifies (decompresses and hashes) its copy before sending it. */
    public static final int FLAG_VERIFY = 0x2;
    public static final int KNOWN_FLAGS = FLAG_ACCEPT_COMPRESSED | FLAG_VERIFY;

    private GetChunkRequestDescriptor()
    {
    }
}
