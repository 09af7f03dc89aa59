package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RequestVoteDescriptor.*;

/**
 * Writes a {@code RequestVote} body; see {@link RequestVoteDescriptor}.
 */
public final class RequestVoteEncoder extends MessageEncoder
{
    private final int messageType;

    /**
     * A encoder for {@link MessageTypes#REQUEST_VOTE}.
     */
    public RequestVoteEncoder()
    {
        this(MessageTypes.REQUEST_VOTE);
    }

    /**
     * @param messageType {@link MessageTypes#REQUEST_VOTE} or {@link MessageTypes#PRE_REQUEST_VOTE}, which share
     *                    this layout.
     */
    public RequestVoteEncoder(final int messageType)
    {
        if (messageType != MessageTypes.REQUEST_VOTE && messageType != MessageTypes.PRE_REQUEST_VOTE)
        {
            throw new IllegalArgumentException("type " + messageType + " does not use the RequestVote layout");
        }
        this.messageType = messageType;
    }

    public RequestVoteEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public RequestVoteEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public RequestVoteEncoder lastLogTerm(final long lastLogTerm)
    {
        buffer.putLong(offset + LAST_LOG_TERM_OFFSET, lastLogTerm, BYTE_ORDER);
        return this;
    }

    public RequestVoteEncoder lastLogIndex(final long lastLogIndex)
    {
        buffer.putLong(offset + LAST_LOG_INDEX_OFFSET, lastLogIndex, BYTE_ORDER);
        return this;
    }

    public RequestVoteEncoder candidateId(final int candidateId)
    {
        buffer.putInt(offset + CANDIDATE_ID_OFFSET, candidateId, BYTE_ORDER);
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
