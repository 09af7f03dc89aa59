package io.rfs.replication.node;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import static io.rfs.replication.node.StorageCommandDescriptor.*;

/**
 * Queues requests for the {@link StorageAgent}: writes a {@link StorageCommandDescriptor} record into the bounded
 * storage queue, copying the request body once, and returns false when the queue is full (back-pressure: the
 * caller answers {@code Error OVERLOADED}). Used by the {@link NodeAgent}'s thread only: the queue has one producer.
 */
final class StorageProxy
{
    private final RingBuffer commands;

    StorageProxy(final RingBuffer commands)
    {
        this.commands = commands;
    }

    /**
     * @return the largest request body the queue takes.
     */
    int maxBodyLength()
    {
        return commands.maxMsgLength() - HEADER_LENGTH;
    }

    /**
     * @param type          the request's message type.
     * @param source        its sender.
     * @param correlationId its correlation id.
     * @param body          holds its body.
     * @param offset        where the body starts.
     * @param length        body length, at most {@link #maxBodyLength()}.
     * @return true if queued, false if the queue is full.
     */
    boolean offer(
        final int type, final int source, final long correlationId, final DirectBuffer body, final int offset,
        final int length)
    {
        return offer(type, source, correlationId, body, offset, length, body, 0, 0);
    }

    /**
     * As {@link #offer(int, int, long, DirectBuffer, int, int)} for a body in two parts: fields then payload (a chunk
     * fetched from another node by a repair copy, stored here as a put).
     *
     * @return true if queued, false if the queue is full.
     */
    boolean offer(
        final int type, final int source, final long correlationId, final DirectBuffer fields, final int fieldsOffset,
        final int fieldsLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        final int index = commands.tryClaim(type, HEADER_LENGTH + fieldsLength + payloadLength);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = commands.buffer();
        buffer.putInt(index + SOURCE_OFFSET, source);
        buffer.putInt(index + SOURCE_OFFSET + 4, 0);
        buffer.putLong(index + CORRELATION_ID_OFFSET, correlationId);
        buffer.putBytes(index + BODY_OFFSET, fields, fieldsOffset, fieldsLength);
        if (payloadLength > 0)
        {
            buffer.putBytes(index + BODY_OFFSET + fieldsLength, payload, payloadOffset, payloadLength);
        }
        commands.commit(index);
        return true;
    }
}
