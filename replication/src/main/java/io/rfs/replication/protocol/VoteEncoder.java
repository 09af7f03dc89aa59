package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VoteDescriptor.*;

/**
 * Writes a {@code Vote} body; see {@link VoteDescriptor}.
 */
public final class VoteEncoder extends MessageEncoder
{
    public VoteEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public VoteEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public VoteEncoder candidateId(final int candidateId)
    {
        buffer.putInt(offset + CANDIDATE_ID_OFFSET, candidateId, BYTE_ORDER);
        return this;
    }

    public VoteEncoder granted(final boolean granted)
    {
        buffer.putByte(offset + GRANTED_OFFSET, (byte)(granted ? 1 : 0));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.VOTE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
