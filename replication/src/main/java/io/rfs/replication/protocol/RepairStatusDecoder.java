package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RepairStatusDescriptor.*;

/**
 * Reads a {@code RepairStatusResponse} body; see {@link RepairStatusDescriptor} and {@link MessageDecoder}.
 */
public final class RepairStatusDecoder extends MessageDecoder
{
    private int flags;

    /**
     * Checks: known flags, every i64 field not negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RepairStatusDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimedFlags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        BodyDescriptor.checkFlags(messageName(), "flags", claimedFlags, KNOWN_FLAGS);
        for (int at = TERM_OFFSET; at < BLOCK_LENGTH; at += 8)
        {
            BodyDescriptor.checkRange(messageName(), "field at " + at, buffer.getLong(offset + at, BYTE_ORDER), 0,
                Long.MAX_VALUE);
        }
        flags = claimedFlags;
        return this;
    }

    public boolean isLeader()
    {
        return (flags & FLAG_LEADER) != 0;
    }

    public boolean isRoundInProgress()
    {
        return (flags & FLAG_ROUND_IN_PROGRESS) != 0;
    }

    public boolean isEnabled()
    {
        return (flags & FLAG_ENABLED) != 0;
    }

    public int leaderId()
    {
        return buffer.getInt(offset + LEADER_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @param fieldOffset one of the i64 fields' {@code *_OFFSET} constants.
     * @return its value.
     */
    public long field(final int fieldOffset)
    {
        if (fieldOffset < TERM_OFFSET || fieldOffset >= BLOCK_LENGTH || (fieldOffset & 7) != 0)
        {
            throw new IllegalArgumentException("fieldOffset=" + fieldOffset);
        }
        return buffer.getLong(offset + fieldOffset, BYTE_ORDER);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.REPAIR_STATUS_RESPONSE;
    }
}
