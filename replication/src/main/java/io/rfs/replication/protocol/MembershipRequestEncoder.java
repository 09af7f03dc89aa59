package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.MembershipRequestDescriptor.*;

/**
 * Writes a {@code MembershipRequest} body; see {@link MembershipRequestDescriptor}. Allocates for the strings: an
 * operator's command, sent once.
 */
public final class MembershipRequestEncoder extends MessageEncoder
{
    private int length;

    public MembershipRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        length = BLOCK_LENGTH;
        return this;
    }

    /**
     * @param nodeId  the node to add.
     * @param weight  its weight, 100 = standard.
     * @param zone    its zone.
     * @param address its {@code host:port}.
     * @return this.
     */
    public MembershipRequestEncoder add(final int nodeId, final int weight, final String zone, final String address)
    {
        final byte[] zoneBytes = zone.getBytes(StandardCharsets.UTF_8);
        final byte[] addressBytes = address.getBytes(StandardCharsets.UTF_8);
        checkRoom(buffer, offset, BLOCK_LENGTH + zoneBytes.length + addressBytes.length);
        buffer.putByte(offset + OPERATION_OFFSET, (byte)ADD);
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putInt(offset + WEIGHT_OFFSET, weight, BYTE_ORDER);
        buffer.putShort(offset + ZONE_LENGTH_OFFSET, (short)zoneBytes.length, BYTE_ORDER);
        buffer.putShort(offset + ADDRESS_LENGTH_OFFSET, (short)addressBytes.length, BYTE_ORDER);
        buffer.putBytes(offset + BLOCK_LENGTH, zoneBytes);
        buffer.putBytes(offset + BLOCK_LENGTH + zoneBytes.length, addressBytes);
        length = BLOCK_LENGTH + zoneBytes.length + addressBytes.length;
        return this;
    }

    /**
     * @param nodeId the node to take out of the ring.
     * @return this.
     */
    public MembershipRequestEncoder remove(final int nodeId)
    {
        buffer.putByte(offset + OPERATION_OFFSET, (byte)REMOVE);
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        length = BLOCK_LENGTH;
        return this;
    }

    /**
     * @param nodeId the node of the ring to re-weigh.
     * @param weight its new weight, 100 = standard.
     * @return this.
     */
    public MembershipRequestEncoder weight(final int nodeId, final int weight)
    {
        buffer.putByte(offset + OPERATION_OFFSET, (byte)WEIGHT);
        buffer.putInt(offset + NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        buffer.putInt(offset + WEIGHT_OFFSET, weight, BYTE_ORDER);
        length = BLOCK_LENGTH;
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.MEMBERSHIP_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return length;
    }
}
