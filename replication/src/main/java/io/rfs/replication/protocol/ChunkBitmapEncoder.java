package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ChunkBitmapDescriptor.*;

/**
 * Writes a {@code HasChunksResponse}, {@code CopyChunksResponse} or {@code DropChunksResponse} body; see {@link ChunkBitmapDescriptor}.
 */
public final class ChunkBitmapEncoder extends MessageEncoder
{
    private final int messageType;
    private int count;

    /**
     * @param messageType {@link MessageTypes#HAS_CHUNKS_RESPONSE}, {@link MessageTypes#COPY_CHUNKS_RESPONSE},
     *                    {@link MessageTypes#DROP_CHUNKS_RESPONSE} or {@link MessageTypes#DROP_MANIFESTS_RESPONSE}.
     */
    public ChunkBitmapEncoder(final int messageType)
    {
        if (messageType != MessageTypes.HAS_CHUNKS_RESPONSE && messageType != MessageTypes.COPY_CHUNKS_RESPONSE &&
            messageType != MessageTypes.DROP_CHUNKS_RESPONSE && messageType != MessageTypes.DROP_MANIFESTS_RESPONSE)
        {
            throw new IllegalArgumentException("messageType=" + messageType + " has no chunk bitmap body");
        }
        this.messageType = messageType;
    }

    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @param count  bits, the request's count, 1 to {@link ChunkBitmapDescriptor#MAX_COUNT}.
     * @return this, every bit clear.
     */
    public ChunkBitmapEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        if (count < 1 || count > MAX_COUNT)
        {
            throw new IllegalArgumentException("count=" + count + " is outside 1.." + MAX_COUNT);
        }
        wrapBlock(buffer, offset, ChunkBitmapDescriptor.encodedLength(count));
        buffer.putInt(offset + COUNT_OFFSET, count, BYTE_ORDER);
        this.count = count;
        return this;
    }

    /**
     * @param index which bit.
     * @param value its value.
     * @return this.
     */
    public ChunkBitmapEncoder set(final int index, final boolean value)
    {
        Objects.checkIndex(index, count);
        final int byteOffset = offset + BITMAP_OFFSET + (index >>> 3);
        final int mask = 1 << (index & 7);
        final int old = buffer.getByte(byteOffset);
        buffer.putByte(byteOffset, (byte)(value ? old | mask : old & ~mask));
        return this;
    }

    @Override
    public int messageType()
    {
        return messageType;
    }

    @Override
    public int encodedLength()
    {
        return ChunkBitmapDescriptor.encodedLength(count);
    }
}
