package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.AppendResponseDescriptor.*;
import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;

/**
 * Writes an {@code AppendResponse} body; see {@link AppendResponseDescriptor}.
 */
public final class AppendResponseEncoder extends MessageEncoder
{
    public AppendResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public AppendResponseEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public AppendResponseEncoder matchIndex(final long matchIndex)
    {
        buffer.putLong(offset + MATCH_INDEX_OFFSET, matchIndex, BYTE_ORDER);
        return this;
    }

    public AppendResponseEncoder success(final boolean success)
    {
        buffer.putByte(offset + SUCCESS_OFFSET, (byte)(success ? 1 : 0));
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.APPEND_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
