package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ReclaimCandidatesResponseDescriptor.*;

/**
 * Reads a {@code ReclaimCandidatesResponse} body; see {@link ReclaimCandidatesResponseDescriptor} and
 * {@link MessageDecoder}.
 */
public final class ReclaimCandidatesResponseDecoder extends MessageDecoder
{
    private int count;
    private Status status;

    /**
     * Checks: a known status, no unknown flag, count 0 to {@link ReclaimCandidatesResponseDescriptor#MAX_COUNT} (0
     * unless {@code OK}), ids within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ReclaimCandidatesResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
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
        BodyDescriptor.checkFits(messageName(), "chunkIds", ENTRIES_OFFSET, (long)claimed * ENTRY_LENGTH, length);
        count = claimed;
        return this;
    }

    public long listedAtNs()
    {
        return buffer.getLong(offset + LISTED_AT_NS_OFFSET, BYTE_ORDER);
    }

    public long clockInstance()
    {
        return buffer.getLong(offset + CLOCK_INSTANCE_OFFSET, BYTE_ORDER);
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
        return ChunkId.read(buffer, chunkIdOffset(index));
    }

    /**
     * @param index an entry.
     * @return where its id starts in {@link #buffer()}.
     */
    public int chunkIdOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return offset + ReclaimCandidatesResponseDescriptor.encodedLength(index);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RECLAIM_CANDIDATES_RESPONSE;
    }
}
