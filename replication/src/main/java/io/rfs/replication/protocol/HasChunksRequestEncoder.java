package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.HasChunksRequestDescriptor.*;

/**
 * Writes a {@code HasChunksRequest} body; see {@link HasChunksRequestDescriptor}. Wrap, then add ids.
 */
public final class HasChunksRequestEncoder extends MessageEncoder
{
    private int count;

    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @return this, with no ids.
     */
    public HasChunksRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public HasChunksRequestEncoder addChunkId(final ChunkId id)
    {
        id.write(buffer, nextIdOffset());
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    /**
     * @param src       holds a 32-byte chunk id.
     * @param srcOffset where it starts.
     * @return this.
     */
    public HasChunksRequestEncoder addChunkId(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(nextIdOffset(), src, srcOffset, ChunkId.LENGTH);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    private int nextIdOffset()
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int idOffset = offset + HasChunksRequestDescriptor.encodedLength(count);
        checkRoom(buffer, idOffset, ChunkId.LENGTH);
        return idOffset;
    }

    /**
     * @return ids added so far.
     */
    public int count()
    {
        return count;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.HAS_CHUNKS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return HasChunksRequestDescriptor.encodedLength(count);
    }
}
