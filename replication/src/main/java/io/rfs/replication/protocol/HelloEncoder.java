package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HelloDescriptor.*;

/**
 * Writes a {@code Hello} body; see {@link HelloDescriptor}.
 */
public final class HelloEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, every field zero.
     */
    public HelloEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    /**
     * @param minVersion least protocol version this side speaks, 1..255.
     * @param maxVersion greatest, at least {@code minVersion}.
     * @return this.
     */
    public HelloEncoder versions(final int minVersion, final int maxVersion)
    {
        if (minVersion < 1 || maxVersion < minVersion || maxVersion > 255)
        {
            throw new IllegalArgumentException("minVersion=" + minVersion + " maxVersion=" + maxVersion +
                ": need 1 <= minVersion <= maxVersion <= 255");
        }
        buffer.putByte(offset + MIN_VERSION_OFFSET, (byte)minVersion);
        buffer.putByte(offset + MAX_VERSION_OFFSET, (byte)maxVersion);
        return this;
    }

    /**
     * @param role {@link MessageTypes#ROLE_CLIENT} or {@link MessageTypes#ROLE_NODE}.
     * @return this.
     */
    public HelloEncoder role(final int role)
    {
        if (role != MessageTypes.ROLE_CLIENT && role != MessageTypes.ROLE_NODE)
        {
            throw new IllegalArgumentException("role=" + role + ": must be ROLE_CLIENT or ROLE_NODE");
        }
        buffer.putByte(offset + ROLE_OFFSET, (byte)role);
        return this;
    }

    /**
     * @param nodeId the sender's node id, or its client id.
     * @return this.
     */
    public HelloEncoder nodeId(final int nodeId)
    {
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    /**
     * @param src       holds the 32-byte nonce.
     * @param srcOffset where it starts.
     * @return this.
     */
    public HelloEncoder nonce(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + NONCE_OFFSET, src, srcOffset, NONCE_LENGTH);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HELLO;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
