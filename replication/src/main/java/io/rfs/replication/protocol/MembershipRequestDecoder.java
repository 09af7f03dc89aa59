package io.rfs.replication.protocol;

import io.rfs.replication.ring.RingNode;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.MembershipRequestDescriptor.*;

/**
 * Reads a {@code MembershipRequest} body; see {@link MembershipRequestDescriptor} and {@link MessageDecoder}.
 */
public final class MembershipRequestDecoder extends MessageDecoder
{
    /**
     * Checks: a known operation, a node id not negative, for {@link MembershipRequestDescriptor#ADD} a weight,
     * zone and address within the ring's limits, for {@link MembershipRequestDescriptor#WEIGHT} a weight and no
     * strings, for {@link MembershipRequestDescriptor#REMOVE} none; the strings within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public MembershipRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        BodyDescriptor.checkRange(name, "operation", operation(), ADD, WEIGHT);
        BodyDescriptor.checkRange(name, "nodeId", nodeId(), 0, Integer.MAX_VALUE);
        if (operation() == ADD)
        {
            BodyDescriptor.checkRange(name, "weight", weight(), 1, RingNode.MAX_WEIGHT);
            BodyDescriptor.checkRange(name, "zoneLength", zoneLength(), 1, RingNode.MAX_ZONE_LENGTH);
            BodyDescriptor.checkRange(name, "addressLength", addressLength(), 1, RingNode.MAX_ADDRESS_LENGTH);
        }
        else
        {
            BodyDescriptor.checkRange(name, "weight", weight(), operation() == WEIGHT ? 1 : 0,
                operation() == WEIGHT ? RingNode.MAX_WEIGHT : 0);
            BodyDescriptor.checkRange(name, "zoneLength", zoneLength(), 0, 0);
            BodyDescriptor.checkRange(name, "addressLength", addressLength(), 0, 0);
        }
        BodyDescriptor.checkFits(name, "zoneAndAddress", BLOCK_LENGTH, zoneLength() + addressLength(), length);
        return this;
    }

    public int operation()
    {
        return buffer.getByte(offset + OPERATION_OFFSET) & 0xFF;
    }

    public int nodeId()
    {
        return buffer.getInt(offset + NODE_ID_OFFSET, BYTE_ORDER);
    }

    public int weight()
    {
        return buffer.getInt(offset + WEIGHT_OFFSET, BYTE_ORDER);
    }

    public int zoneLength()
    {
        return buffer.getShort(offset + ZONE_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int addressLength()
    {
        return buffer.getShort(offset + ADDRESS_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return the zone, a new string.
     */
    public String zone()
    {
        return string(BLOCK_LENGTH, zoneLength());
    }

    /**
     * @return the address, a new string.
     */
    public String address()
    {
        return string(BLOCK_LENGTH + zoneLength(), addressLength());
    }

    private String string(final int at, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset + at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.MEMBERSHIP_REQUEST;
    }
}
