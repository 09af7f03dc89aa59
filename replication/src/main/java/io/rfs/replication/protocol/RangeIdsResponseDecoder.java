package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeIdsResponseDescriptor.*;

/**
 * Reads a {@code RangeIdsResponse} body; see {@link RangeIdsResponseDescriptor} and {@link MessageDecoder}.
 */
public final class RangeIdsResponseDecoder extends MessageDecoder
{
    private int count;
    private Status status;

    /**
     * Checks: a known status, no unknown flag, count 0 to {@link RangeIdsResponseDescriptor#MAX_COUNT} (0 unless
     * {@code OK}), entries within the body, each with a known state and a raw length not negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeIdsResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int code = buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
        BodyDescriptor.checkRange(messageName(), "status", code, 0, Status.maxCode());
        status = Status.get(code);
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 0, status == Status.OK ? MAX_COUNT : 0);
        BodyDescriptor.checkFits(messageName(), "entries", ENTRIES_OFFSET, (long)claimed * ENTRY_LENGTH, length);
        count = claimed;
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkRange(messageName(), "rawLength", rawLength(i), 0, Integer.MAX_VALUE);
            BodyDescriptor.checkRange(messageName(), "state", state(i), STATE_HELD, STATE_QUARANTINED);
        }
        return this;
    }

    public long ringFingerprint()
    {
        return buffer.getLong(offset + RING_FINGERPRINT_OFFSET, BYTE_ORDER);
    }

    public Status status()
    {
        return status;
    }

    public boolean more()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_MORE) != 0;
    }

    public int count()
    {
        return count;
    }

    public ChunkId chunkId(final int index)
    {
        return ChunkId.read(buffer, entryOffset(index));
    }

    public int rawLength(final int index)
    {
        return buffer.getInt(entryOffset(index) + RAW_LENGTH_OFFSET, BYTE_ORDER);
    }

    public int state(final int index)
    {
        return buffer.getByte(entryOffset(index) + STATE_OFFSET) & 0xFF;
    }

    private int entryOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return offset + RangeIdsResponseDescriptor.encodedLength(index);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_IDS_RESPONSE;
    }
}
