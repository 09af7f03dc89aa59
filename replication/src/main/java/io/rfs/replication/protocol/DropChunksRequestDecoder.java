package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.DropChunksRequestDescriptor.*;

/**
 * Reads a {@code DropChunksRequest} body; see {@link DropChunksRequestDescriptor} and {@link MessageDecoder}.
 */
public final class DropChunksRequestDecoder extends MessageDecoder
{
    private int count;

    /**
     * Checks: count 1 to {@link DropChunksRequestDescriptor#MAX_COUNT}, reserved zero, ids within the body, term not
     * negative.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public DropChunksRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 1, MAX_COUNT);
        BodyDescriptor.checkRange(messageName(), "reserved", buffer.getInt(offset + RESERVED_OFFSET, BYTE_ORDER), 0, 0);
        BodyDescriptor.checkFits(messageName(), "chunkIds", IDS_OFFSET, (long)claimed * ChunkId.LENGTH, length);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        count = claimed;
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public int count()
    {
        return count;
    }

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
        return MessageTypes.DROP_CHUNKS_REQUEST;
    }
}
