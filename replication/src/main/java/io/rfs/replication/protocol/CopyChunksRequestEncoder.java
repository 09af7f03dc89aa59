package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.CopyChunksRequestDescriptor.*;

/**
 * Writes a {@code CopyChunksRequest} body; see {@link CopyChunksRequestDescriptor}. Wrap, set the fields, add ids.
 */
public final class CopyChunksRequestEncoder extends MessageEncoder
{
    private int count;

    public CopyChunksRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        return this;
    }

    public CopyChunksRequestEncoder sourceNodeId(final int nodeId)
    {
        buffer.putInt(offset + SOURCE_NODE_ID_OFFSET, nodeId, BYTE_ORDER);
        return this;
    }

    public CopyChunksRequestEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public CopyChunksRequestEncoder addChunkId(final ChunkId id)
    {
        id.write(buffer, nextIdOffset());
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    public CopyChunksRequestEncoder addChunkId(final DirectBuffer src, final int srcOffset)
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
        final int idOffset = offset + CopyChunksRequestDescriptor.encodedLength(count);
        checkRoom(buffer, idOffset, ChunkId.LENGTH);
        return idOffset;
    }

    public int count()
    {
        return count;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.COPY_CHUNKS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return CopyChunksRequestDescriptor.encodedLength(count);
    }
}
