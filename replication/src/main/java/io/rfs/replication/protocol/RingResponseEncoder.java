package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RingResponseDescriptor.*;

/**
 * Writes a {@code RingResponse} body; see {@link RingResponseDescriptor}.
 */
public final class RingResponseEncoder extends MessageEncoder
{
    private int ringLength;

    public RingResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        ringLength = 0;
        return this;
    }

    public RingResponseEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public RingResponseEncoder leaderId(final int leaderId)
    {
        buffer.putInt(offset + LEADER_ID_OFFSET, leaderId, BYTE_ORDER);
        return this;
    }

    /**
     * @param encodedRing the ring as {@code RingCodec} encodes it.
     * @return this.
     */
    public RingResponseEncoder ring(final byte[] encodedRing)
    {
        checkRoom(buffer, offset + BLOCK_LENGTH, encodedRing.length);
        buffer.putBytes(offset + BLOCK_LENGTH, encodedRing);
        buffer.putInt(offset + RING_LENGTH_OFFSET, encodedRing.length, BYTE_ORDER);
        ringLength = encodedRing.length;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RING_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + ringLength;
    }
}
