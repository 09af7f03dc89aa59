package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.Transport;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import static io.rfs.replication.node.StorageResultDescriptor.*;

/**
 * Sends the results the {@link StorageAgent} queued ({@link StorageResultDescriptor}): the fields from the ring, and
 * a chunk's or manifest's stored bytes straight from their mapped segment with the transport's gather offer.
 * <p>
 * <b>Back-pressure.</b> A result the transport refuses stays at the head of the ring and is offered again on the
 * next duty cycle, for up to {@code network.response.timeout}; then it is dropped and counted (the requester times
 * out and retries, which every request type allows), and its destination is marked stalled: further results to it
 * are dropped at their first refusal until one is taken again, so one dead requester cannot hold up everyone else
 * for a timeout per response.
 * <p>
 * <b>Requests.</b> A record of a request type is not a response: a storage-side agent (hinted handoff) asks for it to
 * be sent to another node, and it goes to {@link OutboundRequests}, which registers and sends it.
 * <p>
 * <b>This node.</b> A result addressed to this node answers a request the node sent itself ({@link NodeRequests}:
 * the repair scheduler's, the chunk copier's and the reclaim's); it goes to the node's pending requests and is not
 * counted as a response taken. A payload (the manifest the reclaim reads from this node's own store) is copied
 * after the fields, as the transport would have sent it.
 * <p>
 * <b>Threads.</b> The {@link NodeAgent}'s thread only; it owns the transport.
 */
final class ResultSender implements ControlledMessageHandler
{
    private static final long NOT_BLOCKED = Long.MIN_VALUE;
    private static final int NO_NODE = Integer.MIN_VALUE;

    private final ExpandableArrayBuffer localBody = new ExpandableArrayBuffer(1024);
    private final Transport transport;
    private final RingBuffer results;
    private final NanoClock clock;
    private final long responseTimeoutNs;
    private final NodeCounters counters;
    private final ErrorHandler errorHandler;
    private final OutboundRequests outbound;
    private final NodeRequests requests;
    private final int localNodeId;
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private long blockedSinceNs = NOT_BLOCKED;
    private int stalledNode = NO_NODE;
    private int consumed;

    ResultSender(
        final Transport transport,
        final RingBuffer results,
        final NanoClock clock,
        final long responseTimeoutNs,
        final NodeCounters counters,
        final ErrorHandler errorHandler,
        final OutboundRequests outbound,
        final NodeRequests requests)
    {
        this.requests = requests;
        this.localNodeId = requests.localNodeId();
        this.outbound = outbound;
        this.transport = transport;
        this.results = results;
        this.clock = clock;
        this.responseTimeoutNs = responseTimeoutNs;
        this.counters = counters;
        this.errorHandler = errorHandler;
    }

    /**
     * @param limit most results to take.
     * @return responses taken off the ring: sent or dropped (requests handed to {@link OutboundRequests} are not
     * counted: they answer nothing the node agent took).
     */
    int send(final int limit)
    {
        consumed = 0;
        results.controlledRead(this, limit);
        return consumed;
    }

    @Override
    public Action onMessage(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int destination = buffer.getInt(index + DESTINATION_OFFSET);
        final long correlationId = buffer.getLong(index + CORRELATION_ID_OFFSET);
        final int payloadLength = buffer.getInt(index + PAYLOAD_LENGTH_OFFSET);
        final int fieldsOffset = index + FIELDS_OFFSET;
        final int fieldsLength = length - HEADER_LENGTH;
        if (destination == localNodeId && MessageTypes.kind(type) != MessageTypes.KIND_REQUEST)
        {
            if (payloadLength == 0)
            {
                requests.onLocalResponse(correlationId, type, buffer, fieldsOffset, fieldsLength);
            }
            else
            {
                // a response with its payload by reference (a manifest as stored) is whole only once joined
                payload.wrap(buffer.getLong(index + PAYLOAD_ADDRESS_OFFSET), payloadLength);
                localBody.putBytes(0, buffer, fieldsOffset, fieldsLength);
                localBody.putBytes(fieldsLength, payload, 0, payloadLength);
                requests.onLocalResponse(correlationId, type, localBody, 0, fieldsLength + payloadLength);
            }
            return Action.CONTINUE;
        }
        if (MessageTypes.kind(type) == MessageTypes.KIND_REQUEST)
        {
            outbound.send(destination, type, correlationId, buffer, fieldsOffset, fieldsLength,
                buffer.getLong(index + PAYLOAD_ADDRESS_OFFSET), payloadLength);
            return Action.CONTINUE;
        }
        final boolean sent;
        try
        {
            if (payloadLength == 0)
            {
                sent = transport.offer(destination, type, correlationId, buffer, fieldsOffset, fieldsLength);
            }
            else
            {
                payload.wrap(buffer.getLong(index + PAYLOAD_ADDRESS_OFFSET), payloadLength);
                sent = transport.offer(destination, type, correlationId, buffer, fieldsOffset, fieldsLength,
                    payload, 0, payloadLength);
            }
        }
        catch (final RuntimeException ex)
        {
            errorHandler.onError(ex);
            return drop();
        }
        if (sent)
        {
            counters.increment(NodeCounter.RESPONSES_SENT);
            blockedSinceNs = NOT_BLOCKED;
            if (destination == stalledNode)
            {
                stalledNode = NO_NODE;
            }
            consumed++;
            return Action.CONTINUE;
        }
        if (destination == stalledNode)
        {
            return drop();
        }
        final long nowNs = clock.nanoTime();
        if (blockedSinceNs == NOT_BLOCKED)
        {
            blockedSinceNs = nowNs;
            return Action.ABORT;
        }
        if (nowNs - blockedSinceNs >= responseTimeoutNs)
        {
            stalledNode = destination;
            return drop();
        }
        return Action.ABORT;
    }

    private Action drop()
    {
        counters.increment(NodeCounter.RESPONSES_DROPPED);
        blockedSinceNs = NOT_BLOCKED;
        consumed++;
        return Action.CONTINUE;
    }
}
