package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.VerifyChunksResponseDescriptor.*;

/**
 * Writes a {@code VerifyChunksResponse} body; see {@link VerifyChunksResponseDescriptor}. Wrap with the count,
 * then set each state.
 */
public final class VerifyChunksResponseEncoder extends MessageEncoder
{
    private int count;

    /**
     * @param buffer destination.
     * @param offset where the body starts.
     * @param count  the request's count.
     * @return this, every state {@link VerifyChunksResponseDescriptor#STATE_MISSING} until set.
     */
    public VerifyChunksResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset, final int count)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        checkRoom(buffer, offset + STATES_OFFSET, count);
        this.count = count;
        buffer.putInt(offset + COUNT_OFFSET, count, BYTE_ORDER);
        buffer.setMemory(offset + STATES_OFFSET, count, (byte)STATE_MISSING);
        return this;
    }

    /**
     * @param index which id of the request.
     * @param state one of the {@code STATE_*} values.
     * @return this.
     */
    public VerifyChunksResponseEncoder state(final int index, final int state)
    {
        Objects.checkIndex(index, count);
        buffer.putByte(offset + STATES_OFFSET + index, (byte)state);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.VERIFY_CHUNKS_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return VerifyChunksResponseDescriptor.encodedLength(count);
    }
}
