package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ReclaimCandidatesResponseDescriptor.*;

/**
 * Writes a {@code ReclaimCandidatesResponse} body; see {@link ReclaimCandidatesResponseDescriptor}. Wrap, set the
 * fields, add the ids in ascending order.
 */
public final class ReclaimCandidatesResponseEncoder extends MessageEncoder
{
    private int count;

    public ReclaimCandidatesResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public ReclaimCandidatesResponseEncoder listedAt(final long listedAtNs, final long clockInstance)
    {
        buffer.putLong(offset + LISTED_AT_NS_OFFSET, listedAtNs, BYTE_ORDER);
        buffer.putLong(offset + CLOCK_INSTANCE_OFFSET, clockInstance, BYTE_ORDER);
        return this;
    }

    public ReclaimCandidatesResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public ReclaimCandidatesResponseEncoder more(final boolean more)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(more ? FLAG_MORE : 0));
        return this;
    }

    public ReclaimCandidatesResponseEncoder addChunkId(final ChunkId id)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int at = offset + ReclaimCandidatesResponseDescriptor.encodedLength(count);
        checkRoom(buffer, at, ENTRY_LENGTH);
        id.write(buffer, at);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RECLAIM_CANDIDATES_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return ReclaimCandidatesResponseDescriptor.encodedLength(count);
    }
}
