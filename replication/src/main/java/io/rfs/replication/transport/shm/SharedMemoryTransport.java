package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A node's endpoint on a shared-memory network: its inbox is an Agrona many-to-one ring buffer that peers write
 * frames into, and it writes to theirs. Made by {@link InProcessNetwork} or {@link MappedFileNetwork}.
 * <p>
 * Each ring buffer record holds one whole frame ({@link FrameDescriptor}: header with checksum, then the body). An
 * offer claims the record in the peer's inbox and writes header, body (or fields and payload) and checksum straight
 * into it, then commits: one copy, no {@code byte[]}, no allocation. A full inbox refuses the offer (back-pressure);
 * an unknown node refuses it too.
 * <p>
 * {@link #poll} reads its own inbox and checks every frame as a receiver must (magic, version, length against the
 * record and the maximum, checksum) before the handler sees it; a frame that fails is dropped and counted in
 * {@link #rejectedFrames()}: there is no connection to close, and the writer is a local process of the cluster.
 * <p>
 * <b>Batching</b> ({@link SharedMemoryContext#batchLength}, off by default, in process only): small frames are
 * written into one open batch record ({@link BatchRecordDescriptor}) that is committed when the next frame does not
 * fit, when a frame goes to another node or is too large for a batch, or at {@link #doWork}: one claim and one commit
 * for many messages, and one record for the receiver. The receiver checks each frame of a batch as it checks a single
 * one. {@link #poll} counts records against its limit and delivers a batch whole, so it may hand over more messages
 * than the limit, at most a batch's worth more. While a batch to a node is open, further offers to it skip the
 * lookup of its inbox, so a node that leaves meanwhile still gets them (and loses them, as it loses anything sent
 * just before it left).
 * <p>
 * <b>Threads.</b> {@link #poll} and {@link #doWork} from the owning agent's thread only. With
 * {@link InProcessNetwork}, {@link #offer} may be called from any thread (the ring buffers take many producers);
 * with {@link MappedFileNetwork}, or with batching on, only from the owning thread.
 */
public final class SharedMemoryTransport implements Transport
{
    /** Ring buffer message type id of a record that holds a frame. */
    public static final int FRAME_RECORD_TYPE_ID = 1;
    private static final long NOT_STUCK = Long.MIN_VALUE;

    private final int localNodeId;
    private final RingBuffer inbox;
    private final InboxLookup peers;
    private final int maxFrameLength;
    private final NanoClock clock;
    private final long unblockTimeoutNs;
    private final Runnable onClose;
    private final int batchLength;
    private final FrameReader reader = new FrameReader();
    private RingBuffer batchRing;
    private int batchDestinationId;
    private int batchIndex = -1;
    private int batchUsed;
    private int batchCount;
    private boolean claimedInBatch;
    private long stuckSinceNs = NOT_STUCK;
    private long stuckAtPosition = -1;
    private long rejectedFrames;
    private long refusedOffers;
    private long unblocks;
    private boolean closed;

    SharedMemoryTransport(
        final int localNodeId,
        final RingBuffer inbox,
        final InboxLookup peers,
        final SharedMemoryContext context,
        final Runnable onClose)
    {
        this.localNodeId = localNodeId;
        this.inbox = inbox;
        this.peers = peers;
        this.maxFrameLength = context.maxFrameLength();
        this.clock = context.nanoClock();
        this.unblockTimeoutNs = context.unblockTimeoutNs();
        this.batchLength = context.batchLength();
        this.onClose = onClose;
    }

    @Override
    public int localNodeId()
    {
        return localNodeId;
    }

    @Override
    public boolean offer(
        final int destinationNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer body,
        final int offset,
        final int length)
    {
        final RingBuffer destination = claimable(destinationNodeId, length);
        if (destination == null)
        {
            return false;
        }
        final int index = claim(destination, destinationNodeId, messageType, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        try
        {
            final AtomicBuffer buffer = destination.buffer();
            buffer.putBytes(index + FrameDescriptor.HEADER_LENGTH, body, offset, length);
            FrameDescriptor.writeChecksum(buffer, index);
        }
        catch (final RuntimeException | Error ex)
        {
            abandon(destination, index);
            throw ex;
        }
        complete(destination, index, length);
        return true;
    }

    @Override
    public boolean offer(
        final int destinationNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer fields,
        final int fieldsOffset,
        final int fieldsLength,
        final DirectBuffer payload,
        final int payloadOffset,
        final int payloadLength)
    {
        if (fieldsLength < 0 || payloadLength < 0)
        {
            throw new IllegalArgumentException("fieldsLength=" + fieldsLength + " payloadLength=" + payloadLength +
                ": must not be negative");
        }
        final int length = fieldsLength + payloadLength;
        final RingBuffer destination = claimable(destinationNodeId, length);
        if (destination == null)
        {
            return false;
        }
        final int index = claim(destination, destinationNodeId, messageType, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        try
        {
            final AtomicBuffer buffer = destination.buffer();
            final int bodyIndex = index + FrameDescriptor.HEADER_LENGTH;
            buffer.putBytes(bodyIndex, fields, fieldsOffset, fieldsLength);
            buffer.putBytes(bodyIndex + fieldsLength, payload, payloadOffset, payloadLength);
            FrameDescriptor.writeChecksum(buffer, index);
        }
        catch (final RuntimeException | Error ex)
        {
            abandon(destination, index);
            throw ex;
        }
        complete(destination, index, length);
        return true;
    }

    private RingBuffer claimable(final int destinationNodeId, final int length)
    {
        if (length < 0 || length > maxMessageLength())
        {
            throw new IllegalArgumentException(
                "length=" + length + " is outside 0..maxMessageLength=" + maxMessageLength());
        }
        if (closed)
        {
            throw new IllegalStateException("transport of node " + localNodeId + " is closed");
        }
        // While a batch to this node is open its inbox is already known: no lookup until the batch is committed.
        final RingBuffer destination = batchIndex >= 0 && destinationNodeId == batchDestinationId ?
            batchRing : peers.find(destinationNodeId);
        if (destination == null)
        {
            refusedOffers++;
            return null;
        }
        if (FrameDescriptor.HEADER_LENGTH + length > destination.maxMsgLength())
        {
            throw new IllegalArgumentException("a frame of " + (FrameDescriptor.HEADER_LENGTH + length) +
                " bytes exceeds the inbox of node " + destinationNodeId + ", max " + destination.maxMsgLength());
        }
        return destination;
    }

    /**
     * Claims room for one frame and writes its header: in the open batch record for this destination (opening one if
     * need be) when batching is on and the frame fits a batch, else in a record of its own, after committing any open
     * batch so that frames keep their order.
     *
     * @return the frame's index in the destination's buffer, or negative if the inbox is full.
     */
    private int claim(
        final RingBuffer destination,
        final int destinationNodeId,
        final int messageType,
        final long correlationId,
        final int length)
    {
        final int aligned = BatchRecordDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + length);
        final int index;
        if (batchLength != 0 && BatchRecordDescriptor.HEADER_LENGTH + aligned <= batchLength)
        {
            if (batchIndex >= 0 &&
                (batchRing != destination || BatchRecordDescriptor.HEADER_LENGTH + batchUsed + aligned > batchLength))
            {
                flushBatch();
            }
            if (batchIndex < 0)
            {
                final int claimed = destination.tryClaim(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, batchLength);
                if (claimed < 0)
                {
                    refusedOffers++;
                    return claimed;
                }
                batchRing = destination;
                batchDestinationId = destinationNodeId;
                batchIndex = claimed;
                batchUsed = 0;
                batchCount = 0;
            }
            claimedInBatch = true;
            index = batchIndex + BatchRecordDescriptor.HEADER_LENGTH + batchUsed;
        }
        else
        {
            flushBatch();
            index = destination.tryClaim(FRAME_RECORD_TYPE_ID, FrameDescriptor.HEADER_LENGTH + length);
            if (index < 0)
            {
                refusedOffers++;
                return index;
            }
            claimedInBatch = false;
        }
        FrameDescriptor.writeHeader(destination.buffer(), index, messageType, length, localNodeId, correlationId);
        return index;
    }

    private void complete(final RingBuffer destination, final int index, final int length)
    {
        if (claimedInBatch)
        {
            batchUsed += BatchRecordDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + length);
            batchCount++;
        }
        else
        {
            destination.commit(index);
        }
    }

    private void abandon(final RingBuffer destination, final int index)
    {
        if (!claimedInBatch)
        {
            destination.abort(index);
        }
    }

    /**
     * Commits the open batch record, if any: its frames become visible to the receiver.
     *
     * @return 1 if a batch was committed, else 0.
     */
    private int flushBatch()
    {
        if (batchIndex < 0)
        {
            return 0;
        }
        final AtomicBuffer buffer = batchRing.buffer();
        buffer.putInt(batchIndex + BatchRecordDescriptor.USED_LENGTH_OFFSET, batchUsed);
        buffer.putInt(batchIndex + BatchRecordDescriptor.FRAME_COUNT_OFFSET, batchCount);
        batchRing.commit(batchIndex);
        batchRing = null;
        batchIndex = -1;
        return 1;
    }

    @Override
    public int poll(final MessageHandler handler, final int messageLimit)
    {
        reader.handler = handler;
        reader.delivered = 0;
        final long rejectedBefore = rejectedFrames;
        final int read;
        try
        {
            read = inbox.read(reader, messageLimit);
        }
        finally
        {
            reader.handler = null;
        }
        if (read == 0 && stuckSinceNs == NOT_STUCK && inbox.producerPosition() != inbox.consumerPosition())
        {
            stuckSinceNs = clock.nanoTime();
            stuckAtPosition = inbox.consumerPosition();
        }
        else if (read > 0)
        {
            stuckSinceNs = NOT_STUCK;
        }
        return reader.delivered + (int)(rejectedFrames - rejectedBefore);
    }

    /**
     * Commits the open batch, if batching is on ({@link SharedMemoryContext#batchLength}), and skips a record that a
     * producer claimed and never committed (it died in the act) once it has blocked the inbox for the unblock
     * timeout; otherwise nothing to do, since writes happen in {@link #offer}.
     *
     * @return batches committed plus records skipped.
     */
    @Override
    public int doWork()
    {
        return flushBatch() + unblockIfStuck();
    }

    private int unblockIfStuck()
    {
        if (stuckSinceNs == NOT_STUCK)
        {
            return 0;
        }
        if (inbox.consumerPosition() != stuckAtPosition)
        {
            stuckSinceNs = NOT_STUCK;
            return 0;
        }
        if (clock.nanoTime() - stuckSinceNs >= unblockTimeoutNs)
        {
            stuckSinceNs = NOT_STUCK;
            if (inbox.unblock())
            {
                unblocks++;
                return 1;
            }
        }
        return 0;
    }

    @Override
    public int maxMessageLength()
    {
        return maxFrameLength - FrameDescriptor.HEADER_LENGTH;
    }

    /**
     * @return frames dropped by {@link #poll} because they failed a check.
     */
    public long rejectedFrames()
    {
        return rejectedFrames;
    }

    /**
     * @return offers refused: destination unknown or its inbox full.
     */
    public long refusedOffers()
    {
        return refusedOffers;
    }

    /**
     * @return records skipped because their producer never committed them.
     */
    public long unblocks()
    {
        return unblocks;
    }

    /**
     * Leaves the network: peers' offers to this node are refused from now on.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            flushBatch();
            closed = true;
            onClose.run();
        }
    }

    /**
     * Checks each record before the application sees it. The checksum is verified in place (one CRC pass, the
     * checksum field zeroed for the pass and put back): while {@link RingBuffer#read} hands a record to this reader
     * the record belongs to the consumer, since producers only write past the tail and the head has not yet moved
     * over it, so no other thread or process reads or writes those bytes meanwhile.
     */
    private final class FrameReader implements org.agrona.concurrent.MessageHandler
    {
        private MessageHandler handler;
        private int delivered;

        @Override
        public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (msgTypeId == BatchRecordDescriptor.BATCH_RECORD_TYPE_ID)
            {
                onBatch(buffer, index, length);
                return;
            }
            if (msgTypeId != FRAME_RECORD_TYPE_ID || length < FrameDescriptor.HEADER_LENGTH ||
                FrameDescriptor.checkHeader(buffer, index, maxFrameLength) != null ||
                FrameDescriptor.frameLength(buffer, index) != length ||
                !FrameDescriptor.verifyChecksumInPlace(buffer, index))
            {
                rejectedFrames++;
                return;
            }
            deliver(buffer, index, length);
        }

        /**
         * Delivers the frames of a batch record in order, each checked as a single frame is. First the structure:
         * the batch header, then every frame's header and length, which must lay exactly the frame count of aligned
         * frames over exactly the used length; a record that does not add up is dropped whole. Then each frame's
         * checksum as it is delivered: a frame that fails drops it and the rest of the record. Either counts one
         * rejected frame.
         */
        private void onBatch(final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (BatchRecordDescriptor.checkHeader(buffer, index, length) != null)
            {
                rejectedFrames++;
                return;
            }
            final int count = BatchRecordDescriptor.frameCount(buffer, index);
            final int start = index + BatchRecordDescriptor.HEADER_LENGTH;
            final int end = start + BatchRecordDescriptor.usedLength(buffer, index);
            int frame = start;
            for (int i = 0; i < count; i++)
            {
                if (end - frame < FrameDescriptor.HEADER_LENGTH ||
                    FrameDescriptor.checkHeader(buffer, frame, maxFrameLength) != null ||
                    BatchRecordDescriptor.alignedLength(FrameDescriptor.frameLength(buffer, frame)) > end - frame)
                {
                    rejectedFrames++;
                    return;
                }
                frame += BatchRecordDescriptor.alignedLength(FrameDescriptor.frameLength(buffer, frame));
            }
            if (frame != end)
            {
                rejectedFrames++;
                return;
            }
            frame = start;
            for (int i = 0; i < count; i++)
            {
                if (!FrameDescriptor.verifyChecksumInPlace(buffer, frame))
                {
                    rejectedFrames++;
                    return;
                }
                final int frameLength = FrameDescriptor.frameLength(buffer, frame);
                deliver(buffer, frame, frameLength);
                frame += BatchRecordDescriptor.alignedLength(frameLength);
            }
        }

        private void deliver(final MutableDirectBuffer buffer, final int index, final int length)
        {
            delivered++;
            handler.onMessage(
                FrameDescriptor.sourceNodeId(buffer, index),
                FrameDescriptor.messageType(buffer, index),
                FrameDescriptor.correlationId(buffer, index),
                buffer,
                index + FrameDescriptor.HEADER_LENGTH,
                length - FrameDescriptor.HEADER_LENGTH);
        }
    }
}
