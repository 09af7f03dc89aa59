package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.PutChunkRequestDescriptor.*;

/**
 * Reads a {@code PutChunkRequest} body; see {@link PutChunkRequestDescriptor} and {@link MessageDecoder}.
 */
public final class PutChunkRequestDecoder extends MessageDecoder
{
    /**
     * Checks: raw length 1 to {@link PutChunkRequestDescriptor#MAX_RAW_LENGTH}, a positive payload length that lies
     * within the body, no unknown flag, an uncompressed payload as long as the raw length, and a hinted-for node
     * id of 0 or more with {@code HINTED}, zero without.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public PutChunkRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkFlags(messageName(), "flags", flags(), KNOWN_FLAGS);
        checkChunkFields(messageName(), rawLength(), payloadLength(), flags(), length);
        final int hintedFor = buffer.getInt(offset + HINTED_FOR_OFFSET, BYTE_ORDER);
        if ((flags() & FLAG_HINTED) != 0)
        {
            BodyDescriptor.checkRange(messageName(), "hintedFor", hintedFor, 0, Integer.MAX_VALUE);
        }
        else
        {
            BodyDescriptor.checkRange(messageName(), "hintedFor (not HINTED)", hintedFor, 0, 0);
        }
        return this;
    }

    /**
     * The checks a chunk body shares with {@code GetChunkResponse}; the caller checks its own flags first.
     */
    static void checkChunkFields(
        final String name, final int rawLength, final int payloadLength, final int flags, final int bodyLength)
        throws MalformedMessageException
    {
        BodyDescriptor.checkRange(name, "rawLength", rawLength, 1, MAX_RAW_LENGTH);
        BodyDescriptor.checkRange(name, "payloadLength", payloadLength, 1, Integer.MAX_VALUE);
        BodyDescriptor.checkFits(name, "payload", PAYLOAD_OFFSET, payloadLength, bodyLength);
        if ((flags & FLAG_COMPRESSED) == 0 && payloadLength != rawLength)
        {
            throw new MalformedMessageException(name,
                "payloadLength=" + payloadLength + " differs from rawLength=" + rawLength + " but not compressed");
        }
    }

    /**
     * @return where the 32-byte chunk id lies in {@link #buffer()}.
     */
    public int chunkIdOffset()
    {
        return offset + CHUNK_ID_OFFSET;
    }

    /**
     * @return the chunk id as a new value.
     */
    public ChunkId chunkId()
    {
        return ChunkId.read(buffer, chunkIdOffset());
    }

    public int rawLength()
    {
        return buffer.getInt(offset + RAW_LENGTH_OFFSET, BYTE_ORDER);
    }

    public int payloadLength()
    {
        return buffer.getInt(offset + PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
    }

    public boolean isCompressed()
    {
        return (flags() & FLAG_COMPRESSED) != 0;
    }

    public boolean isHinted()
    {
        return (flags() & FLAG_HINTED) != 0;
    }

    /**
     * @return the owner this node is asked to keep the chunk for, or {@link PutChunkRequestDescriptor#NOT_HINTED}.
     */
    public int hintedFor()
    {
        return isHinted() ? buffer.getInt(offset + HINTED_FOR_OFFSET, BYTE_ORDER) : NOT_HINTED;
    }

    /**
     * @return where the payload lies in {@link #buffer()}.
     */
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
        return MessageTypes.PUT_CHUNK_REQUEST;
    }
}
