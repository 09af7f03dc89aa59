package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RequestVoteDescriptor.*;

/**
 * Reads a {@code RequestVote} body; see {@link RequestVoteDescriptor} and {@link MessageDecoder}.
 */
public final class RequestVoteDecoder extends MessageDecoder
{
    private final int messageType;

    /**
     * A decoder for {@link MessageTypes#REQUEST_VOTE}.
     */
    public RequestVoteDecoder()
    {
        this(MessageTypes.REQUEST_VOTE);
    }

    /**
     * @param messageType {@link MessageTypes#REQUEST_VOTE} or {@link MessageTypes#PRE_REQUEST_VOTE}, which share
     *                    this layout.
     */
    public RequestVoteDecoder(final int messageType)
    {
        if (messageType != MessageTypes.REQUEST_VOTE && messageType != MessageTypes.PRE_REQUEST_VOTE)
        {
            throw new IllegalArgumentException("type " + messageType + " does not use the RequestVote layout");
        }
        this.messageType = messageType;
    }

    /**
     * Checks: term at least 1, last log term 0 to term, last log index at least -1.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RequestVoteDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "term", term(), 1, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "lastLogTerm", lastLogTerm(), 0, term());
        BodyDescriptor.checkRange(messageName(), "lastLogIndex", lastLogIndex(), -1, Long.MAX_VALUE);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public long lastLogTerm()
    {
        return buffer.getLong(offset + LAST_LOG_TERM_OFFSET, BYTE_ORDER);
    }

    public long lastLogIndex()
    {
        return buffer.getLong(offset + LAST_LOG_INDEX_OFFSET, BYTE_ORDER);
    }

    public int candidateId()
    {
        return buffer.getInt(offset + CANDIDATE_ID_OFFSET, BYTE_ORDER);
    }

    @Override
    public int messageType()
    {
        return messageType;
    }
}
