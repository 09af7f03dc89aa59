package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.GetChunkRequestDescriptor.*;

/**
 * Writes a {@code GetChunkRequest} body; see {@link GetChunkRequestDescriptor}.
 */
public final class GetChunkRequestEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, every field zero.
     */
    public GetChunkRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public GetChunkRequestEncoder chunkId(final ChunkId id)
    {
        id.write(buffer, offset + CHUNK_ID_OFFSET);
        return this;
    }

    public GetChunkRequestEncoder chunkId(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + CHUNK_ID_OFFSET, src, srcOffset, ChunkId.LENGTH);
        return this;
    }

    public GetChunkRequestEncoder acceptCompressed(final boolean accept)
    {
        final int others = buffer.getByte(offset + FLAGS_OFFSET) & ~FLAG_ACCEPT_COMPRESSED;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(others | (accept ? FLAG_ACCEPT_COMPRESSED : 0)));
        return this;
    }

    /**
     * @param verify ask the node to re-hash its copy before sending it (repair copies do).
     * @return this.
     */
    public GetChunkRequestEncoder verify(final boolean verify)
    {
        final int others = buffer.getByte(offset + FLAGS_OFFSET) & ~FLAG_VERIFY;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(others | (verify ? FLAG_VERIFY : 0)));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_CHUNK_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
