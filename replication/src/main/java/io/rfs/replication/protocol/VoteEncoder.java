package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VoteDescriptor.*;

/**
 * Writes a {@code Vote} body; see {@link VoteDescriptor}.
 */
public final class VoteEncoder extends MessageEncoder
{
    private final int messageType;

    /**
     * A encoder for {@link MessageTypes#VOTE}.
     */
    public VoteEncoder()
    {
        this(MessageTypes.VOTE);
    }

    /**
     * @param messageType {@link MessageTypes#VOTE} or {@link MessageTypes#PRE_VOTE}, which share this layout.
     */
    public VoteEncoder(final int messageType)
    {
        if (messageType != MessageTypes.VOTE && messageType != MessageTypes.PRE_VOTE)
        {
            throw new IllegalArgumentException("type " + messageType + " does not use the Vote layout");
        }
        this.messageType = messageType;
    }

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
        return messageType;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
