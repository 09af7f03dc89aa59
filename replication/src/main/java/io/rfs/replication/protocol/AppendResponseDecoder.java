package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.AppendResponseDescriptor.*;
import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;

/**
 * Reads an {@code AppendResponse} body; see {@link AppendResponseDescriptor} and {@link MessageDecoder}.
 */
public final class AppendResponseDecoder extends MessageDecoder
{
    /**
     * Checks: term not negative, match index at least -1, success 0 or 1.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public AppendResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "matchIndex", matchIndex(), -1, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "success", buffer.getByte(offset + SUCCESS_OFFSET) & 0xFF, 0, 1);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public long matchIndex()
    {
        return buffer.getLong(offset + MATCH_INDEX_OFFSET, BYTE_ORDER);
    }

    public boolean isSuccess()
    {
        return buffer.getByte(offset + SUCCESS_OFFSET) != 0;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.APPEND_RESPONSE;
    }
}
