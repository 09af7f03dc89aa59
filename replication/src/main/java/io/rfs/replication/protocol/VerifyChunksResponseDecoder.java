package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VerifyChunksResponseDescriptor.*;

/**
 * Reads a {@code VerifyChunksResponse} body; see {@link VerifyChunksResponseDescriptor} and {@link MessageDecoder}.
 * The requester also checks the count is its request's.
 */
public final class VerifyChunksResponseDecoder extends MessageDecoder
{
    private int count;

    /**
     * Checks: count 1 to {@link VerifyChunksRequestDescriptor#MAX_COUNT}, states within the body and known.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public VerifyChunksResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 1, VerifyChunksRequestDescriptor.MAX_COUNT);
        BodyDescriptor.checkFits(messageName(), "states", STATES_OFFSET, claimed, length);
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkRange(messageName(), "state", buffer.getByte(offset + STATES_OFFSET + i) & 0xFF, 0,
                MAX_STATE);
        }
        count = claimed;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * @param index which id of the request.
     * @return its {@code STATE_*} value.
     */
    public int state(final int index)
    {
        Objects.checkIndex(index, count);
        return buffer.getByte(offset + STATES_OFFSET + index) & 0xFF;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.VERIFY_CHUNKS_RESPONSE;
    }
}
