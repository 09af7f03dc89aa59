package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RepairControlRequestDescriptor.*;

/**
 * Reads a {@code RepairControlRequest} body; see {@link RepairControlRequestDescriptor} and {@link MessageDecoder}.
 */
public final class RepairControlRequestDecoder extends MessageDecoder
{
    private int flags;
    private long bandwidth;

    /**
     * Checks: known flags; a bandwidth of 1 to {@link RepairControlRequestDescriptor#MAX_BANDWIDTH} if it is to be
     * set, else 0.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RepairControlRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimedFlags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        BodyDescriptor.checkFlags(messageName(), "flags", claimedFlags, KNOWN_FLAGS);
        final long claimedBandwidth = buffer.getLong(offset + BANDWIDTH_OFFSET, BYTE_ORDER);
        if ((claimedFlags & FLAG_SET_BANDWIDTH) != 0)
        {
            BodyDescriptor.checkRange(messageName(), "bandwidth", claimedBandwidth, 1, MAX_BANDWIDTH);
        }
        else
        {
            BodyDescriptor.checkRange(messageName(), "bandwidth", claimedBandwidth, 0, 0);
        }
        flags = claimedFlags;
        bandwidth = claimedBandwidth;
        return this;
    }

    public boolean startRound()
    {
        return (flags & FLAG_START_ROUND) != 0;
    }

    public boolean setsBandwidth()
    {
        return (flags & FLAG_SET_BANDWIDTH) != 0;
    }

    /**
     * @return the bandwidth to set, bytes per second; 0 unless {@link #setsBandwidth()}.
     */
    public long bandwidth()
    {
        return bandwidth;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.REPAIR_CONTROL_REQUEST;
    }
}
