package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ReclaimCandidatesRequestDescriptor.*;

/**
 * Writes a {@code ReclaimCandidatesRequest} body; see {@link ReclaimCandidatesRequestDescriptor}.
 */
public final class ReclaimCandidatesRequestEncoder extends MessageEncoder
{
    public ReclaimCandidatesRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        return this;
    }

    public ReclaimCandidatesRequestEncoder graceNs(final long graceNs)
    {
        buffer.putLong(offset + GRACE_NS_OFFSET, graceNs, BYTE_ORDER);
        return this;
    }

    public ReclaimCandidatesRequestEncoder maxEntries(final int maxEntries)
    {
        buffer.putInt(offset + MAX_ENTRIES_OFFSET, maxEntries, BYTE_ORDER);
        return this;
    }

    /**
     * @param id the last id of the previous page, or null to start at the lowest id.
     * @return this.
     */
    public ReclaimCandidatesRequestEncoder after(final ChunkId id)
    {
        buffer.setMemory(offset + FLAGS_OFFSET, AFTER_ID_OFFSET - FLAGS_OFFSET, (byte)0);
        if (id == null)
        {
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
        return MessageTypes.RECLAIM_CANDIDATES_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return BLOCK_LENGTH;
    }
}
