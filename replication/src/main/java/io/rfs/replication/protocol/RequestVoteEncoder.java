package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RequestVoteDescriptor.*;

/**
 * Writes a {@code RequestVote} body; see {@link RequestVoteDescriptor}.
 */
public final class RequestVoteEncoder extends MessageEncoder
{
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
        return MessageTypes.REQUEST_VOTE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
