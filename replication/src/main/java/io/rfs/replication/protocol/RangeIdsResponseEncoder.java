package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeIdsResponseDescriptor.*;

/**
 * Writes a {@code RangeIdsResponse} body; see {@link RangeIdsResponseDescriptor}. Wrap, set the fields, add the
 * entries in ascending id order.
 */
public final class RangeIdsResponseEncoder extends MessageEncoder
{
    private int count;

    public RangeIdsResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public RangeIdsResponseEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeIdsResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public RangeIdsResponseEncoder more(final boolean more)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(more ? FLAG_MORE : 0));
        return this;
    }

    public RangeIdsResponseEncoder addEntry(final ChunkId id, final int rawLength, final int state)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int at = offset + RangeIdsResponseDescriptor.encodedLength(count);
        checkRoom(buffer, at, ENTRY_LENGTH);
        id.write(buffer, at);
        buffer.putInt(at + RAW_LENGTH_OFFSET, rawLength, BYTE_ORDER);
        buffer.putInt(at + STATE_OFFSET, state, BYTE_ORDER);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_IDS_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return RangeIdsResponseDescriptor.encodedLength(count);
    }
}
