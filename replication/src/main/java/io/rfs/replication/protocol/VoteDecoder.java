package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VoteDescriptor.*;

/**
 * Reads a {@code Vote} body; see {@link VoteDescriptor} and {@link MessageDecoder}.
 */
public final class VoteDecoder extends MessageDecoder
{
    private final int messageType;

    /**
     * A decoder for {@link MessageTypes#VOTE}.
     */
    public VoteDecoder()
    {
        this(MessageTypes.VOTE);
    }

    /**
     * @param messageType {@link MessageTypes#VOTE} or {@link MessageTypes#PRE_VOTE}, which share this layout.
     */
    public VoteDecoder(final int messageType)
    {
        if (messageType != MessageTypes.VOTE && messageType != MessageTypes.PRE_VOTE)
        {
            throw new IllegalArgumentException("type " + messageType + " does not use the Vote layout");
        }
        this.messageType = messageType;
    }

    /**
     * Checks: term not negative, granted 0 or 1.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public VoteDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "granted", buffer.getByte(offset + GRANTED_OFFSET) & 0xFF, 0, 1);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public int candidateId()
    {
        return buffer.getInt(offset + CANDIDATE_ID_OFFSET, BYTE_ORDER);
    }

    public boolean isGranted()
    {
        return buffer.getByte(offset + GRANTED_OFFSET) != 0;
    }

    @Override
    public int messageType()
    {
        return messageType;
    }
}
