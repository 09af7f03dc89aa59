package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HeartbeatDescriptor.*;

/**
 * Reads a {@code Heartbeat} body; see {@link HeartbeatDescriptor} and {@link MessageDecoder}.
 */
public final class HeartbeatDecoder extends MessageDecoder
{
    /**
     * Checks: term, ring version and load not negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public HeartbeatDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "ringVersion", ringVersion(), 0, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "load", load(), 0, Integer.MAX_VALUE);
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public long ringVersion()
    {
        return buffer.getLong(offset + RING_VERSION_OFFSET, BYTE_ORDER);
    }

    public int leaderId()
    {
        return buffer.getInt(offset + LEADER_ID_OFFSET, BYTE_ORDER);
    }

    public int load()
    {
        return buffer.getInt(offset + LOAD_OFFSET, BYTE_ORDER);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HEARTBEAT;
    }
}
