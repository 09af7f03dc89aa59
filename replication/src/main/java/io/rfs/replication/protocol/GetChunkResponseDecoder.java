package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.GetChunkResponseDescriptor.*;
import static io.rfs.replication.protocol.PutChunkRequestDescriptor.FLAG_COMPRESSED;

/**
 * Reads a {@code GetChunkResponse} body; see {@link GetChunkResponseDescriptor} and {@link MessageDecoder}.
 */
public final class GetChunkResponseDecoder extends MessageDecoder
{
    /**
     * Checks: a known status; for {@code OK} the chunk field rules of {@link PutChunkRequestDecoder}; otherwise
     * zero lengths and flags.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public GetChunkResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        final int status = buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
        BodyDescriptor.checkRange(name, "status", status, 0, Status.maxCode());
        if (status == Status.OK.code())
        {
            BodyDescriptor.checkFlags(name, "flags", flags(), PutChunkRequestDescriptor.FLAG_COMPRESSED);
            PutChunkRequestDecoder.checkChunkFields(name, rawLength(), payloadLength(), flags(), length);
        }
        else if (rawLength() != 0 || payloadLength() != 0 || flags() != 0)
        {
            throw new MalformedMessageException(name, "status=" + Status.get(status) + " with rawLength=" +
                rawLength() + " payloadLength=" + payloadLength() + " flags=" + flags() + ", all must be 0");
        }
        return this;
    }

    public int chunkIdOffset()
    {
        return offset + CHUNK_ID_OFFSET;
    }

    public ChunkId chunkId()
    {
        return ChunkId.read(buffer, chunkIdOffset());
    }

    public Status status()
    {
        return Status.get(buffer.getByte(offset + STATUS_OFFSET) & 0xFF);
    }

    /**
     * @return the chunk's raw length; 0 unless the status is {@code OK}.
     */
    public int rawLength()
    {
        return buffer.getInt(offset + RAW_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the payload's length; 0 unless the status is {@code OK}.
     */
    public int payloadLength()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
    }

    public boolean isCompressed()
    {
        return (flags() & FLAG_COMPRESSED) != 0;
    }

    public int payloadOffset()
    {
        return offset + PAYLOAD_OFFSET;
    }

    private int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.GET_CHUNK_RESPONSE;
    }
}
