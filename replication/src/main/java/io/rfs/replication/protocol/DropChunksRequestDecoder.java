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
     * Checks: count 1 to {@link DropChunksRequestDescriptor#MAX_COUNT}, no unknown flag, ids (and with
     * {@code UNTOUCHED_SINCE} the clock reading after them) within the body, term not negative.
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
        BodyDescriptor.checkFlags(messageName(), "flags", flags(), KNOWN_FLAGS);
        BodyDescriptor.checkFits(messageName(), "chunkIds", IDS_OFFSET, (long)claimed * ChunkId.LENGTH +
            (hasUntouchedSince() ? UNTOUCHED_SINCE_LENGTH : 0), length);
        BodyDescriptor.checkRange(messageName(), "term", term(), 0, Long.MAX_VALUE);
        count = claimed;
        return this;
    }

    /**
     * @return true if the order drops only ids untouched since {@link #untouchedSinceNs()}.
     */
    public boolean hasUntouchedSince()
    {
        return (flags() & FLAG_UNTOUCHED_SINCE) != 0;
    }

    /**
     * @return with {@code UNTOUCHED_SINCE}, the node's clock reading from the listing the ids came from.
     */
    public long untouchedSinceNs()
    {
        return buffer.getLong(offset + DropChunksRequestDescriptor.encodedLength(count), BYTE_ORDER);
    }

    /**
     * @return with {@code UNTOUCHED_SINCE}, the clock instance that listing named.
     */
    public long clockInstance()
    {
        return buffer.getLong(offset + DropChunksRequestDescriptor.encodedLength(count) + 8, BYTE_ORDER);
    }

    private int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
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
