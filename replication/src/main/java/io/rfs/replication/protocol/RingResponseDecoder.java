package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RingResponseDescriptor.*;

/**
 * Reads a {@code RingResponse} body; see {@link RingResponseDescriptor} and {@link MessageDecoder}. The ring's own
 * bytes are checked by {@code RingCodec.decode}.
 */
public final class RingResponseDecoder extends MessageDecoder
{
    /**
     * Checks: the ring length at most {@link LogEntryDescriptor#MAX_PAYLOAD_LENGTH} and within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RingResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "ringLength", ringLength(), 0,
            LogEntryDescriptor.MAX_PAYLOAD_LENGTH);
        BodyDescriptor.checkFits(messageName(), "ring", BLOCK_LENGTH, ringLength(), length);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public int leaderId()
    {
        return buffer.getInt(offset + LEADER_ID_OFFSET, BYTE_ORDER);
    }

    public int ringLength()
    {
        return buffer.getInt(offset + RING_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return where the ring starts in {@link #buffer()}.
     */
    public int ringOffset()
    {
        return offset + BLOCK_LENGTH;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RING_RESPONSE;
    }
}
