package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

/**
 * The producer side of one peer's outbound queue: encodes frames straight into the peer's
 * {@link ManyToOneRingBuffer}, from any thread, and refuses (returns false) when the queue is full. The transport's
 * agent drains the ring into the connection ({@link TcpSession}).
 * <p>
 * Three kinds of record go through the ring, in offer order:
 * <ul>
 *     <li>{@link #RECORD_FRAME}: a whole frame, header and body, checksum filled in. Every message that fits in a
 *     ring record ({@link #maxRecordFrameLength()}) travels so; the agent copies it into the connection's send
 *     buffer, batching many small frames into one write.</li>
 *     <li>{@link #RECORD_GATHER}: the payload's address and length ({@link #GATHER_PREFIX_LENGTH} bytes), then the
 *     frame's header and fields, checksum already covering the payload. The agent writes the payload from its own
 *     memory with a gathering write: a gather offer whose payload is off-heap is never copied. Since such a record
 *     is small whatever its payload, the payload bytes queued by reference are counted and bounded too.</li>
 *     <li>{@link #RECORD_STAGED}: the length of a frame too large for a ring record and that must be copied (a copy
 *     offer of a large body, or a gather offer whose payload is a heap array). It is copied into this peer's single
 *     staging buffer, allocated on first use and grown to the largest frame staged; while it is being sent, further
 *     staged offers are refused.</li>
 * </ul>
 */
final class SendProxy
{
    static final int RECORD_FRAME = 1;
    static final int RECORD_GATHER = 2;
    static final int RECORD_STAGED = 3;

    static final int GATHER_ADDRESS_OFFSET = 0;
    static final int GATHER_LENGTH_OFFSET = 8;
    static final int GATHER_PREFIX_LENGTH = 16;
    /** The staging buffer grows in steps of this many bytes, so that chunks of varying size rarely regrow it. */
    static final int STAGING_ALIGNMENT = 64 * 1024;

    private static final VarHandle STAGING_BUSY;
    private static final VarHandle QUEUED_PAYLOAD_BYTES;

    static
    {
        try
        {
            STAGING_BUSY = MethodHandles.lookup().findVarHandle(SendProxy.class, "stagingBusy", int.class);
            QUEUED_PAYLOAD_BYTES = MethodHandles.lookup().findVarHandle(
                SendProxy.class, "queuedPayloadBytes", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final int localNodeId;
    private final int maxFrameLength;
    private final ManyToOneRingBuffer ring;
    private final AtomicBuffer ringBuffer;
    private final ByteBuffer ringMemory;
    private final int maxRecordFrameLength;
    private final long maxQueuedPayloadBytes;
    @SuppressWarnings("unused") // accessed through STAGING_BUSY
    private volatile int stagingBusy;
    @SuppressWarnings("unused") // accessed through QUEUED_PAYLOAD_BYTES
    private volatile long queuedPayloadBytes;
    private ByteBuffer stagingMemory;
    private UnsafeBuffer staging;

    /**
     * @param localNodeId           written as the source of every frame.
     * @param queueCapacity         ring capacity in bytes, a power of two.
     * @param maxFrameLength        largest frame.
     * @param maxQueuedPayloadBytes most bytes of off-heap payloads queued by reference and not yet written; a gather
     *                              offer beyond it is refused, unless none is queued.
     */
    SendProxy(final int localNodeId, final int queueCapacity, final int maxFrameLength,
        final long maxQueuedPayloadBytes)
    {
        this.localNodeId = localNodeId;
        this.maxFrameLength = maxFrameLength;
        this.maxQueuedPayloadBytes = maxQueuedPayloadBytes;
        ringMemory = ByteBuffer.allocateDirect(queueCapacity + RingBufferDescriptor.TRAILER_LENGTH);
        ringBuffer = new UnsafeBuffer(ringMemory);
        ring = new ManyToOneRingBuffer(ringBuffer);
        maxRecordFrameLength = ring.maxMsgLength() - GATHER_PREFIX_LENGTH;
    }

    /**
     * @return the largest frame that travels inside a ring record.
     */
    int maxRecordFrameLength()
    {
        return maxRecordFrameLength;
    }

    RingBuffer ring()
    {
        return ring;
    }

    /**
     * Copy offer: see {@link io.rfs.replication.transport.Transport#offer(int, int, long, DirectBuffer, int, int)}.
     */
    boolean offer(
        final int messageType, final long correlationId, final DirectBuffer body, final int offset, final int length)
    {
        final int frameLength = FrameDescriptor.HEADER_LENGTH + length;
        if (frameLength <= maxRecordFrameLength)
        {
            final int index = ring.tryClaim(RECORD_FRAME, frameLength);
            if (index < 0)
            {
                return false;
            }
            FrameDescriptor.writeHeader(ringBuffer, index, messageType, length, localNodeId, correlationId);
            ringBuffer.putBytes(index + FrameDescriptor.HEADER_LENGTH, body, offset, length);
            FrameDescriptor.writeChecksum(ringBuffer, index);
            ring.commit(index);
            return true;
        }
        if (!claimStaging(frameLength))
        {
            return false;
        }
        FrameDescriptor.writeHeader(staging, 0, messageType, length, localNodeId, correlationId);
        staging.putBytes(FrameDescriptor.HEADER_LENGTH, body, offset, length);
        FrameDescriptor.writeChecksum(staging, 0);
        return commitStaged(frameLength);
    }

    /**
     * Gather offer: see {@link io.rfs.replication.transport.Transport#offer(int, int, long, DirectBuffer, int, int,
     * DirectBuffer, int, int)}.
     */
    boolean offer(
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int headLength = FrameDescriptor.HEADER_LENGTH + fieldsLength;
        final int bodyLength = fieldsLength + payloadLength;
        if (payload.byteArray() == null && headLength + GATHER_PREFIX_LENGTH <= ring.maxMsgLength())
        {
            payload.boundsCheck(payloadOffset, payloadLength);
            final long queued = (long)QUEUED_PAYLOAD_BYTES.getAndAdd(this, (long)payloadLength);
            if (queued > 0 && queued + payloadLength > maxQueuedPayloadBytes)
            {
                releasePayload(payloadLength);
                return false;
            }
            final int index = ring.tryClaim(RECORD_GATHER, GATHER_PREFIX_LENGTH + headLength);
            if (index < 0)
            {
                releasePayload(payloadLength);
                return false;
            }
            final int frame = index + GATHER_PREFIX_LENGTH;
            ringBuffer.putLong(index + GATHER_ADDRESS_OFFSET, payload.addressOffset() + payloadOffset);
            ringBuffer.putInt(index + GATHER_LENGTH_OFFSET, payloadLength);
            FrameDescriptor.writeHeader(ringBuffer, frame, messageType, bodyLength, localNodeId, correlationId);
            ringBuffer.putBytes(frame + FrameDescriptor.HEADER_LENGTH, fields, fieldsOffset, fieldsLength);
            FrameDescriptor.writeChecksum(ringBuffer, frame, headLength,
                FrameDescriptor.payloadChecksum(payload, payloadOffset, payloadLength), payloadLength);
            ring.commit(index);
            return true;
        }
        final int frameLength = headLength + payloadLength;
        if (frameLength <= maxRecordFrameLength)
        {
            final int index = ring.tryClaim(RECORD_FRAME, frameLength);
            if (index < 0)
            {
                return false;
            }
            writeContiguous(ringBuffer, index, messageType, correlationId, fields, fieldsOffset, fieldsLength,
                payload, payloadOffset, payloadLength);
            ring.commit(index);
            return true;
        }
        if (!claimStaging(frameLength))
        {
            return false;
        }
        writeContiguous(staging, 0, messageType, correlationId, fields, fieldsOffset, fieldsLength,
            payload, payloadOffset, payloadLength);
        return commitStaged(frameLength);
    }

    /**
     * @return the staging buffer holding the frame of the {@link #RECORD_STAGED} record being sent; agent thread.
     */
    UnsafeBuffer staging()
    {
        return staging;
    }

    /**
     * Takes a gather record's payload off the queued bytes, once the agent has written or dropped it.
     *
     * @param payloadLength its length.
     */
    void releasePayload(final int payloadLength)
    {
        QUEUED_PAYLOAD_BYTES.getAndAdd(this, (long)-payloadLength);
    }

    /**
     * Frees the staging buffer for the next staged offer, once the agent has sent or dropped its frame.
     */
    void releaseStaging()
    {
        STAGING_BUSY.setRelease(this, 0);
    }

    /**
     * Frees the queue's memory; the transport is closed and no offer will follow.
     */
    void close()
    {
        BufferUtil.free(ringMemory);
        if (stagingMemory != null)
        {
            BufferUtil.free(stagingMemory);
        }
    }

    private void writeContiguous(
        final MutableDirectBuffer buffer,
        final int index,
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        final int headLength = FrameDescriptor.HEADER_LENGTH + fieldsLength;
        FrameDescriptor.writeHeader(
            buffer, index, messageType, fieldsLength + payloadLength, localNodeId, correlationId);
        buffer.putBytes(index + FrameDescriptor.HEADER_LENGTH, fields, fieldsOffset, fieldsLength);
        buffer.putBytes(index + headLength, payload, payloadOffset, payloadLength);
        FrameDescriptor.writeChecksum(buffer, index);
    }

    /**
     * Takes the staging buffer, grown to hold {@code frameLength} bytes if it is smaller. It grows to the largest
     * frame staged rather than starting at {@link #maxFrameLength}: a client putting 1 MiB chunks kept 8 MiB of direct
     * memory per node it talked to.
     */
    private boolean claimStaging(final int frameLength)
    {
        if (!STAGING_BUSY.compareAndSet(this, 0, 1))
        {
            return false;
        }
        if (staging == null || staging.capacity() < frameLength)
        {
            if (stagingMemory != null)
            {
                BufferUtil.free(stagingMemory);
            }
            stagingMemory = ByteBuffer.allocateDirect(
                Math.min(maxFrameLength, BitUtil.align(frameLength, STAGING_ALIGNMENT)));
            staging = new UnsafeBuffer(stagingMemory);
        }
        return true;
    }

    private boolean commitStaged(final int frameLength)
    {
        final int index = ring.tryClaim(RECORD_STAGED, 4);
        if (index < 0)
        {
            releaseStaging();
            return false;
        }
        ringBuffer.putInt(index, frameLength);
        ring.commit(index);
        return true;
    }
}
