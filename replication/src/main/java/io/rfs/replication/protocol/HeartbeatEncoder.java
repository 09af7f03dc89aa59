package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HeartbeatDescriptor.*;

/**
 * Writes a {@code Heartbeat} body; see {@link HeartbeatDescriptor}.
 */
public final class HeartbeatEncoder extends MessageEncoder
{
    public HeartbeatEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        buffer.putInt(offset + LEADER_ID_OFFSET, NO_LEADER, BYTE_ORDER);
        return this;
    }

    public HeartbeatEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public HeartbeatEncoder ringVersion(final long ringVersion)
    {
        buffer.putLong(offset + RING_VERSION_OFFSET, ringVersion, BYTE_ORDER);
        return this;
    }

    public HeartbeatEncoder leaderId(final int leaderId)
    {
        buffer.putInt(offset + LEADER_ID_OFFSET, leaderId, BYTE_ORDER);
        return this;
    }

    public HeartbeatEncoder load(final int load)
    {
        buffer.putInt(offset + LOAD_OFFSET, load, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HEARTBEAT;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
