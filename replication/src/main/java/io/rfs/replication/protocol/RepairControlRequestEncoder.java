package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RepairControlRequestDescriptor.*;

/**
 * Writes a {@code RepairControlRequest} body; see {@link RepairControlRequestDescriptor}.
 */
public final class RepairControlRequestEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, a status query until a flag is set.
     */
    public RepairControlRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        buffer.setMemory(offset, BLOCK_LENGTH, (byte)0);
        return this;
    }

    /**
     * @return this, asking for a round to start now.
     */
    public RepairControlRequestEncoder startRound()
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(buffer.getByte(offset + FLAGS_OFFSET) | FLAG_START_ROUND));
        return this;
    }

    /**
     * @param bytesPerSecond the new repair bandwidth per node.
     * @return this.
     */
    public RepairControlRequestEncoder bandwidth(final long bytesPerSecond)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(buffer.getByte(offset + FLAGS_OFFSET) | FLAG_SET_BANDWIDTH));
        buffer.putLong(offset + BANDWIDTH_OFFSET, bytesPerSecond, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.REPAIR_CONTROL_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
