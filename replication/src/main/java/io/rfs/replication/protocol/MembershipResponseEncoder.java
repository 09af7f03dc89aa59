package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.MembershipResponseDescriptor.*;

/**
 * Writes a {@code MembershipResponse} body; see {@link MembershipResponseDescriptor}. Allocates for the text.
 */
public final class MembershipResponseEncoder extends MessageEncoder
{
    private int textLength;

    public MembershipResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        textLength = 0;
        return this;
    }

    public MembershipResponseEncoder status(final int status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status);
        return this;
    }

    public MembershipResponseEncoder leaderId(final int leaderId)
    {
        buffer.putInt(offset + LEADER_ID_OFFSET, leaderId, BYTE_ORDER);
        return this;
    }

    public MembershipResponseEncoder ringVersion(final long version)
    {
        buffer.putLong(offset + RING_VERSION_OFFSET, version, BYTE_ORDER);
        return this;
    }

    /**
     * @param text the text, cut to {@link MembershipResponseDescriptor#MAX_TEXT_LENGTH} bytes.
     * @return this.
     */
    public MembershipResponseEncoder text(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final byte[] cut = bytes.length <= MAX_TEXT_LENGTH ? bytes : Arrays.copyOf(bytes, MAX_TEXT_LENGTH);
        checkRoom(buffer, offset + BLOCK_LENGTH, cut.length);
        buffer.putBytes(offset + BLOCK_LENGTH, cut);
        buffer.putInt(offset + TEXT_LENGTH_OFFSET, cut.length, BYTE_ORDER);
        textLength = cut.length;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.MEMBERSHIP_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH + textLength;
    }
}
