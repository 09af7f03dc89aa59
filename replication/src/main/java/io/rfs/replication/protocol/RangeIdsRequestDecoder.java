package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeIdsRequestDescriptor.*;

/**
 * Reads a {@code RangeIdsRequest} body; see {@link RangeIdsRequestDescriptor} and {@link MessageDecoder}.
 */
public final class RangeIdsRequestDecoder extends MessageDecoder
{
    /**
     * Checks: range not negative, max entries 1 to {@link RangeIdsRequestDescriptor#MAX_ENTRIES}, no unknown flag.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeIdsRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "range", range(), 0, Integer.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "maxEntries", maxEntries(), 1, MAX_ENTRIES);
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        return this;
    }

    public long ringFingerprint()
    {
        return buffer.getLong(offset + RING_FINGERPRINT_OFFSET, BYTE_ORDER);
    }

    public int range()
    {
        return buffer.getInt(offset + RANGE_OFFSET, BYTE_ORDER);
    }

    public int maxEntries()
    {
        return buffer.getInt(offset + MAX_ENTRIES_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the id to resume after, or null to start at the range's first id.
     */
    public ChunkId after()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_AFTER) == 0 ? null :
            ChunkId.read(buffer, offset + AFTER_ID_OFFSET);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_IDS_REQUEST;
    }
}
