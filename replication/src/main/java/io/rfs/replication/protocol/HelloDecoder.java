package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HelloDescriptor.*;

/**
 * Reads a {@code Hello} body; see {@link HelloDescriptor} and {@link MessageDecoder}.
 */
public final class HelloDecoder extends MessageDecoder
{
    /**
     * Checks: versions {@code 1 <= min <= max}, role client or node, no unknown flags.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public HelloDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        BodyDescriptor.checkRange(name, "minVersion", minVersion(), 1, 255);
        BodyDescriptor.checkRange(name, "maxVersion", maxVersion(), minVersion(), 255);
        final int role = role();
        if (role != MessageTypes.ROLE_CLIENT && role != MessageTypes.ROLE_NODE)
        {
            throw new MalformedMessageException(name, "role=" + role + " is neither client (1) nor node (2)");
        }
        BodyDescriptor.checkFlags(name, "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        return this;
    }

    public int minVersion()
    {
        return buffer.getByte(offset + MIN_VERSION_OFFSET) & 0xFF;
    }

    public int maxVersion()
    {
        return buffer.getByte(offset + MAX_VERSION_OFFSET) & 0xFF;
    }

    public int role()
    {
        return buffer.getByte(offset + ROLE_OFFSET) & 0xFF;
    }

    public int nodeId()
    {
        return buffer.getInt(offset + NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @return where the 32-byte nonce lies in {@link #buffer()}.
     */
    public int nonceOffset()
    {
        return offset + NONCE_OFFSET;
    }

    /**
     * @param dst       receives the nonce.
     * @param dstOffset where to write it.
     */
    public void getNonce(final MutableDirectBuffer dst, final int dstOffset)
    {
        dst.putBytes(dstOffset, buffer, offset + NONCE_OFFSET, NONCE_LENGTH);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HELLO;
    }
}
