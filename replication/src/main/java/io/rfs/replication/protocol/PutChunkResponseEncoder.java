package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.PutChunkResponseDescriptor.*;

/**
 * Writes a {@code PutChunkResponse} body; see {@link PutChunkResponseDescriptor}.
 */
public final class PutChunkResponseEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, status {@code OK}.
     */
    public PutChunkResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public PutChunkResponseEncoder chunkId(final ChunkId id)
    {
        id.write(buffer, offset + CHUNK_ID_OFFSET);
        return this;
    }

    /**
     * @param src       holds a 32-byte chunk id, e.g. the request's.
     * @param srcOffset where it starts.
     * @return this.
     */
    public PutChunkResponseEncoder chunkId(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + CHUNK_ID_OFFSET, src, srcOffset, ChunkId.LENGTH);
        return this;
    }

    public PutChunkResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    /**
     * @param recorded true to answer a hinted write whose hint is on disk.
     * @return this.
     */
    public PutChunkResponseEncoder hintRecorded(final boolean recorded)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(recorded ? FLAG_HINT_RECORDED : 0));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.PUT_CHUNK_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
