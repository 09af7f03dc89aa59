package io.rfs.replication.protocol;

import io.rfs.store.chunk.ChunkId;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VerifyChunksRequestDescriptor.*;

/**
 * Writes a {@code VerifyChunksRequest} body; see {@link VerifyChunksRequestDescriptor}. Wrap, then add ids.
 */
public final class VerifyChunksRequestEncoder extends MessageEncoder
{
    private int count;

    /**
     * @param buffer       destination.
     * @param offset       where the body starts.
     * @param presenceOnly true to ask only whether each chunk is held ({@link #FLAG_PRESENCE_ONLY}).
     * @return this, with no ids.
     */
    public VerifyChunksRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset,
        final boolean presenceOnly)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(presenceOnly ? FLAG_PRESENCE_ONLY : 0));
        return this;
    }

    public VerifyChunksRequestEncoder addChunkId(final ChunkId id)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        final int idOffset = offset + VerifyChunksRequestDescriptor.encodedLength(count);
        checkRoom(buffer, idOffset, ChunkId.LENGTH);
        id.write(buffer, idOffset);
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.VERIFY_CHUNKS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return VerifyChunksRequestDescriptor.encodedLength(count);
    }
}
