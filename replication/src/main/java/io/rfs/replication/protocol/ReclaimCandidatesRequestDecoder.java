package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ReclaimCandidatesRequestDescriptor.*;

/**
 * Reads a {@code ReclaimCandidatesRequest} body; see {@link ReclaimCandidatesRequestDescriptor} and
 * {@link MessageDecoder}.
 */
public final class ReclaimCandidatesRequestDecoder extends MessageDecoder
{
    /**
     * Checks: grace not negative, max entries 1 to {@link ReclaimCandidatesRequestDescriptor#MAX_ENTRIES}, no unknown
     * flag.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ReclaimCandidatesRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        BodyDescriptor.checkRange(messageName(), "graceNs", graceNs(), 0, Long.MAX_VALUE);
        BodyDescriptor.checkRange(messageName(), "maxEntries", maxEntries(), 1, MAX_ENTRIES);
        BodyDescriptor.checkFlags(messageName(), "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        return this;
    }

    public long graceNs()
    {
        return buffer.getLong(offset + GRACE_NS_OFFSET, BYTE_ORDER);
    }

    public int maxEntries()
    {
        return buffer.getInt(offset + MAX_ENTRIES_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the id to resume after, or null to start at the lowest id.
     */
    public ChunkId after()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_AFTER) == 0 ? null :
            ChunkId.read(buffer, offset + AFTER_ID_OFFSET);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RECLAIM_CANDIDATES_REQUEST;
    }
}
