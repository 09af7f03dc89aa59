package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetChunkResponseDescriptor.*;
import static io.rfs.replication.protocol.PutChunkRequestDescriptor.FLAG_COMPRESSED;
import static io.rfs.replication.protocol.PutChunkRequestDescriptor.MAX_RAW_LENGTH;

/**
 * Writes a {@code GetChunkResponse} body; see {@link GetChunkResponseDescriptor}. For {@code OK}, set raw length,
 * compression and payload length, then send the payload with the gather offer (or copy it with {@link #payload}).
 */
public final class GetChunkResponseEncoder extends MessageEncoder
{
    private int payloadWritten;

    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, status {@code OK} and every length zero.
     */
    public GetChunkResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        payloadWritten = 0;
        return this;
    }

    public GetChunkResponseEncoder chunkId(final ChunkId id)
    {
        id.write(buffer, offset + CHUNK_ID_OFFSET);
        return this;
    }

    public GetChunkResponseEncoder chunkId(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + CHUNK_ID_OFFSET, src, srcOffset, ChunkId.LENGTH);
        return this;
    }

    public GetChunkResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public GetChunkResponseEncoder rawLength(final int rawLength)
    {
        if (rawLength < 1 || rawLength > MAX_RAW_LENGTH)
        {
            throw new IllegalArgumentException("rawLength=" + rawLength + " is outside 1.." + MAX_RAW_LENGTH);
        }
        buffer.putInt(offset + RAW_LENGTH_OFFSET, rawLength, BYTE_ORDER);
        return this;
    }

    public GetChunkResponseEncoder compressed(final boolean compressed)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(compressed ? FLAG_COMPRESSED : 0));
        return this;
    }

    /**
     * @param payloadLength bytes the gather offer sends after the fixed block, at least 1.
     * @return this.
     */
    public GetChunkResponseEncoder payloadLength(final int payloadLength)
    {
        if (payloadLength < 1)
        {
            throw new IllegalArgumentException("payloadLength=" + payloadLength + " must be positive");
        }
        buffer.putInt(offset + PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
        payloadWritten = 0;
        return this;
    }

    /**
     * Copies the payload after the fixed block and sets its length.
     *
     * @param src       holds the payload.
     * @param srcOffset where it starts.
     * @param length    its length, at least 1.
     * @return this.
     */
    public GetChunkResponseEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
    {
        payloadLength(length);
        checkRoom(buffer, offset + PAYLOAD_OFFSET, length);
        buffer.putBytes(offset + PAYLOAD_OFFSET, src, srcOffset, length);
        payloadWritten = length;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_CHUNK_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + payloadWritten;
    }
}
