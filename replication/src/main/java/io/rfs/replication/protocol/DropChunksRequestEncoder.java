package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.DropChunksRequestDescriptor.*;

/**
 * Writes a {@code DropChunksRequest} body; see {@link DropChunksRequestDescriptor}. Wrap, set the term, add ids.
 */
public final class DropChunksRequestEncoder extends MessageEncoder
{
    private int count;

    public DropChunksRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public DropChunksRequestEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public DropChunksRequestEncoder addChunkId(final ChunkId id)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int idOffset = offset + DropChunksRequestDescriptor.encodedLength(count);
        checkRoom(buffer, idOffset, ChunkId.LENGTH);
        id.write(buffer, idOffset);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    public int count()
    {
        return count;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.DROP_CHUNKS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return DropChunksRequestDescriptor.encodedLength(count);
    }
}
