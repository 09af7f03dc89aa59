package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ChunkBitmapDescriptor.*;

/**
 * Reads a {@code HasChunksResponse}, {@code CopyChunksResponse} or {@code DropChunksResponse} body; see {@link ChunkBitmapDescriptor} and
 * {@link MessageDecoder}. The requester also checks the count is its request's.
 */
public final class ChunkBitmapDecoder extends MessageDecoder
{
    private final int messageType;
    private int count;

    /**
     * @param messageType {@link MessageTypes#HAS_CHUNKS_RESPONSE}, {@link MessageTypes#COPY_CHUNKS_RESPONSE},
     *                    {@link MessageTypes#DROP_CHUNKS_RESPONSE} or {@link MessageTypes#DROP_MANIFESTS_RESPONSE}.
     */
    public ChunkBitmapDecoder(final int messageType)
    {
        if (messageType != MessageTypes.HAS_CHUNKS_RESPONSE && messageType != MessageTypes.COPY_CHUNKS_RESPONSE &&
            messageType != MessageTypes.DROP_CHUNKS_RESPONSE && messageType != MessageTypes.DROP_MANIFESTS_RESPONSE)
        {
            throw new IllegalArgumentException("messageType=" + messageType + " has no chunk bitmap body");
        }
        this.messageType = messageType;
    }

    /**
     * Checks: count 1 to {@link ChunkBitmapDescriptor#MAX_COUNT}, bitmap within the body.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ChunkBitmapDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(messageName(), "count", claimed, 1, MAX_COUNT);
        BodyDescriptor.checkFits(messageName(), "bitmap", BITMAP_OFFSET, (claimed + 7) >>> 3, length);
        count = claimed;
        return this;
    }

    public int count()
    {
        return count;
    }

    /**
     * @param index which bit.
     * @return its value.
     */
    public boolean get(final int index)
    {
        Objects.checkIndex(index, count);
        return (buffer.getByte(offset + BITMAP_OFFSET + (index >>> 3)) & (1 << (index & 7))) != 0;
    }

    @Override
    public int messageType()
    {
        return messageType;
    }
}
