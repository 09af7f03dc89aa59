package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HasChunksRequestDescriptor.*;

/**
 * Reads a {@code HasChunksRequest} body; see {@link HasChunksRequestDescriptor} and {@link MessageDecoder}.
 */
public final class HasChunksRequestDecoder extends MessageDecoder
{
    private int count;

    /**
     * Checks: count 1 to {@link HasChunksRequestDescriptor#MAX_COUNT}, ids within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public HasChunksRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 1, MAX_COUNT);
        BodyDescriptor.checkFits(messageName(), "chunkIds", IDS_OFFSET, (long)claimed * ChunkId.LENGTH, length);
        count = claimed;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * @param index position in the batch.
     * @return where that 32-byte id lies in {@link #buffer()}.
     */
    public int chunkIdOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return offset + IDS_OFFSET + index * ChunkId.LENGTH;
    }

    public ChunkId chunkId(final int index)
    {
        return ChunkId.read(buffer, chunkIdOffset(index));
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HAS_CHUNKS_REQUEST;
    }
}
