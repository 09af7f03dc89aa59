package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RepairStatusDescriptor.*;

/**
 * Writes a {@code RepairStatusResponse} body; see {@link RepairStatusDescriptor}. Wrap, then set the flags, the
 * leader and each i64 field by its offset constant.
 */
public final class RepairStatusEncoder extends MessageEncoder
{
    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, every field zero.
     */
    public RepairStatusEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        buffer.setMemory(offset, BLOCK_LENGTH, (byte)0);
        return this;
    }

    /**
     * @param flags the {@code FLAG_*} bits.
     * @return this.
     */
    public RepairStatusEncoder flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    public RepairStatusEncoder leaderId(final int leaderId)
    {
        buffer.putInt(offset + LEADER_ID_OFFSET, leaderId, BYTE_ORDER);
        return this;
    }

    /**
     * @param fieldOffset one of the i64 fields' {@code *_OFFSET} constants.
     * @param value       not negative.
     * @return this.
     */
    public RepairStatusEncoder field(final int fieldOffset, final long value)
    {
        if (fieldOffset < TERM_OFFSET || fieldOffset >= BLOCK_LENGTH || (fieldOffset & 7) != 0 || value < 0)
        {
            throw new IllegalArgumentException("fieldOffset=" + fieldOffset + " value=" + value);
        }
        buffer.putLong(offset + fieldOffset, value, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.REPAIR_STATUS_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
