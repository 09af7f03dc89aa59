package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeIdsRequestDescriptor.*;

/**
 * Writes a {@code RangeIdsRequest} body; see {@link RangeIdsRequestDescriptor}.
 */
public final class RangeIdsRequestEncoder extends MessageEncoder
{
    public RangeIdsRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public RangeIdsRequestEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeIdsRequestEncoder range(final int range)
    {
        buffer.putInt(offset + RANGE_OFFSET, range, BYTE_ORDER);
        return this;
    }

    public RangeIdsRequestEncoder maxEntries(final int maxEntries)
    {
        buffer.putInt(offset + MAX_ENTRIES_OFFSET, maxEntries, BYTE_ORDER);
        return this;
    }

    /**
     * @param id the last id of the previous page, or null to start at the range's first id.
     * @return this.
     */
    public RangeIdsRequestEncoder after(final ChunkId id)
    {
        if (id == null)
        {
            buffer.putByte(offset + FLAGS_OFFSET, (byte)0);
            buffer.setMemory(offset + AFTER_ID_OFFSET, ChunkId.LENGTH, (byte)0);
        }
        else
        {
            buffer.putByte(offset + FLAGS_OFFSET, (byte)FLAG_AFTER);
            id.write(buffer, offset + AFTER_ID_OFFSET);
        }
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_IDS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
