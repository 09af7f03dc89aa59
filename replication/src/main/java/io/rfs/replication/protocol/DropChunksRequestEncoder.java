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

    private boolean untouchedSince;

    public DropChunksRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        untouchedSince = false;
        return this;
    }

    public DropChunksRequestEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public DropChunksRequestEncoder addChunkId(final ChunkId id)
    {
        if (untouchedSince)
        {
            throw new IllegalStateException("untouchedSince is written after the last id");
        }
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

    /**
     * Makes the order conditional ({@link DropChunksRequestDescriptor#FLAG_UNTOUCHED_SINCE}); call after the last id.
     *
     * @param untouchedSinceNs the node's clock reading from the listing the ids came from.
     * @param clockInstance    the clock instance that listing named.
     * @return this.
     */
    public DropChunksRequestEncoder untouchedSince(final long untouchedSinceNs, final long clockInstance)
    {
        final int at = offset + DropChunksRequestDescriptor.encodedLength(count);
        checkRoom(buffer, at, UNTOUCHED_SINCE_LENGTH);
        buffer.putLong(at, untouchedSinceNs, BYTE_ORDER);
        buffer.putLong(at + 8, clockInstance, BYTE_ORDER);
        buffer.putInt(offset + FLAGS_OFFSET, FLAG_UNTOUCHED_SINCE, BYTE_ORDER);
        untouchedSince = true;
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
        return DropChunksRequestDescriptor.encodedLength(count) + (untouchedSince ? UNTOUCHED_SINCE_LENGTH : 0);
    }
}
