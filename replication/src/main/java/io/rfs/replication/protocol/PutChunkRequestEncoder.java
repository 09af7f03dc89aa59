package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutChunkRequestDescriptor.*;

/**
 * Writes a {@code PutChunkRequest} body; see {@link PutChunkRequestDescriptor}.
 * <pre>{@code
 * encoder.wrap(fields, 0).chunkId(id).rawLength(raw).compressed(true).payloadLength(stored);
 * transport.offer(node, encoder.messageType(), correlationId,
 *     fields, 0, encoder.encodedLength(), segmentBuffer, payloadOffset, stored);   // gather: no copy here
 * }</pre>
 * or, to build the whole body in one buffer, {@link #payload} instead of {@link #payloadLength}.
 */
public final class PutChunkRequestEncoder extends MessageEncoder
{
    private int payloadWritten;

    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, every field zero.
     */
    public PutChunkRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        payloadWritten = 0;
        return this;
    }

    public PutChunkRequestEncoder chunkId(final ChunkId id)
    {
        id.write(buffer, offset + CHUNK_ID_OFFSET);
        return this;
    }

    /**
     * @param src       holds a 32-byte chunk id.
     * @param srcOffset where it starts.
     * @return this.
     */
    public PutChunkRequestEncoder chunkId(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + CHUNK_ID_OFFSET, src, srcOffset, ChunkId.LENGTH);
        return this;
    }

    /**
     * @param rawLength the chunk's uncompressed length, 1 to {@link PutChunkRequestDescriptor#MAX_RAW_LENGTH}.
     * @return this.
     */
    public PutChunkRequestEncoder rawLength(final int rawLength)
    {
        if (rawLength < 1 || rawLength > MAX_RAW_LENGTH)
        {
            throw new IllegalArgumentException("rawLength=" + rawLength + " is outside 1.." + MAX_RAW_LENGTH);
        }
        buffer.putInt(offset + RAW_LENGTH_OFFSET, rawLength, BYTE_ORDER);
        return this;
    }

    public PutChunkRequestEncoder compressed(final boolean compressed)
    {
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & ~FLAG_COMPRESSED;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(compressed ? flags | FLAG_COMPRESSED : flags));
        return this;
    }

    /**
     * Makes this a hinted write (sloppy quorum): the receiver keeps the chunk for {@code nodeId} and hands it over
     * when that node is back.
     *
     * @param nodeId the chunk's owner that could not be reached, 0 or more; {@link
     *               PutChunkRequestDescriptor#NOT_HINTED} makes it a plain write again.
     * @return this.
     */
    public PutChunkRequestEncoder hintedFor(final int nodeId)
    {
        if (nodeId < NOT_HINTED)
        {
            throw new IllegalArgumentException("hintedFor=" + nodeId + " must be a node id (0 or more) or -1");
        }
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & ~FLAG_HINTED;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(nodeId == NOT_HINTED ? flags : flags | FLAG_HINTED));
        buffer.putInt(offset + HINTED_FOR_OFFSET, nodeId == NOT_HINTED ? 0 : nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * Declares the payload that the gather offer will send after the fixed block.
     *
     * @param payloadLength bytes of payload, at least 1.
     * @return this.
     */
    public PutChunkRequestEncoder payloadLength(final int payloadLength)
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
    public PutChunkRequestEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
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
        return MessageTypes.PUT_CHUNK_REQUEST;
    }

    /**
     * @return the fixed block, plus the payload if {@link #payload} copied it.
     */
    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + payloadWritten;
    }
}
