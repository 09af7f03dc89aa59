package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.MembershipResponseDescriptor.*;

/**
 * Reads a {@code MembershipResponse} body; see {@link MembershipResponseDescriptor} and {@link MessageDecoder}.
 */
public final class MembershipResponseDecoder extends MessageDecoder
{
    /**
     * Checks: a known status, the text at most {@link MembershipResponseDescriptor#MAX_TEXT_LENGTH} bytes and
     * within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public MembershipResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "status", status(), COMMITTED, BUSY);
        BodyDescriptor.checkRange(messageName(), "textLength", textLength(), 0, MAX_TEXT_LENGTH);
        BodyDescriptor.checkFits(messageName(), "text", BLOCK_LENGTH, textLength(), length);
        return this;
    }

    public int status()
    {
        return buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
    }

    public int leaderId()
    {
        return buffer.getInt(offset + LEADER_ID_OFFSET, BYTE_ORDER);
    }

    public long ringVersion()
    {
        return buffer.getLong(offset + RING_VERSION_OFFSET, BYTE_ORDER);
    }

    public int textLength()
    {
        return buffer.getInt(offset + TEXT_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the text, a new string.
     */
    public String text()
    {
        final byte[] bytes = new byte[textLength()];
        buffer.getBytes(offset + BLOCK_LENGTH, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.MEMBERSHIP_RESPONSE;
    }
}
