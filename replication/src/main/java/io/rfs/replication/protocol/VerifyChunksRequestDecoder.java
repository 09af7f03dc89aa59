package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VerifyChunksRequestDescriptor.*;

/**
 * Reads a {@code VerifyChunksRequest} body; see {@link VerifyChunksRequestDescriptor} and {@link MessageDecoder}.
 */
public final class VerifyChunksRequestDecoder extends MessageDecoder
{
    private int count;
    private int flags;

    /**
     * Checks: count 1 to {@link VerifyChunksRequestDescriptor#MAX_COUNT}, known flags, ids within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public VerifyChunksRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 1, MAX_COUNT);
        final int claimedFlags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        BodyDescriptor.checkFlags(messageName(), "flags", claimedFlags, KNOWN_FLAGS);
        BodyDescriptor.checkFits(messageName(), "chunkIds", IDS_OFFSET, (long)claimed * ChunkId.LENGTH, length);
        count = claimed;
        flags = claimedFlags;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * @return true if the requester asked only whether each chunk is held.
     */
    public boolean presenceOnly()
    {
        return (flags & FLAG_PRESENCE_ONLY) != 0;
    }

    public ChunkId chunkId(final int index)
    {
        Objects.checkIndex(index, count);
        return ChunkId.read(buffer, offset + IDS_OFFSET + index * ChunkId.LENGTH);
    }

    @Override
    public int messageType()
    {
        return MessageTypes.VERIFY_CHUNKS_REQUEST;
    }
}
