package io.rfs.replication.node;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends, for the agents on the storage thread, requests to other nodes, and reports how each ended: the network
 * thread's half of hinted handoff.
 * <p>
 * A storage-side agent (the {@link HintedHandoffAgent}) queues a request in the results ring like a response, with
 * its own tag where a response has its correlation id, and the stored bytes to send referenced by address. The
 * {@link ResultSender} hands every record of a request type here. This class registers the request with the node's
 * {@link PendingRequests} (the answer must come from the node it went to, before {@code handoff.request.timeout}),
 * offers it with the transport's gather offer, and writes one {@link StorageCommandDescriptor#TYPE_OUTBOUND_OUTCOME}
 * record into the storage queue when it ends: the response's status code (0 and up, {@code Status}), or one of the
 * negative outcomes below. If the storage queue is full the outcome is dropped and counted; the storage-side agent
 * gives up on the request by its own, longer, deadline, so nothing waits forever.
 * <p>
 * <b>Threads.</b> The {@link NodeAgent}'s thread only: it owns the transport, the node's {@link PendingRequests} and
 * the producer side of the storage queue.
 */
final class OutboundRequests implements ResponseListener
{
    /** No answer before the deadline. */
    static final int OUTCOME_TIMEOUT = -1;
    /** Not sent: the transport refused the offer (the node is unknown or its link full) or no slot was free. */
    static final int OUTCOME_NOT_SENT = -2;
    /** The node answered with {@code Error} (overloaded, malformed to it, shutting down, ...). */
    static final int OUTCOME_ERROR = -3;
    /** The answer did not decode. */
    static final int OUTCOME_MALFORMED = -4;

    private static final long NO_TAG = Long.MIN_VALUE;

    private final Transport transport;
    private final PendingRequests pending;
    private final StorageProxy storage;
    private final long timeoutNs;
    private final NodeCounters counters;
    private final Long2LongHashMap tags = new Long2LongHashMap(NO_TAG);
    private final PutChunkResponseDecoder putChunkResponse = new PutChunkResponseDecoder();
    private final PutManifestResponseDecoder putManifestResponse = new PutManifestResponseDecoder();
    private final UnsafeBuffer outcome = new UnsafeBuffer(new byte[StorageCommandDescriptor.OUTCOME_LENGTH]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private final Long2LongHashMap destinations = new Long2LongHashMap(NO_TAG);

    OutboundRequests(
        final Transport transport,
        final PendingRequests pending,
        final StorageProxy storage,
        final long timeoutNs,
        final NodeCounters counters)
    {
        this.transport = transport;
        this.pending = pending;
        this.storage = storage;
        this.timeoutNs = timeoutNs;
        this.counters = counters;
    }

    /**
     * Registers and offers a request; its outcome comes back through the storage queue.
     *
     * @param destination    the node.
     * @param type           the request's type.
     * @param tag            the storage-side agent's tag, returned with the outcome.
     * @param fields         holds the request's fields.
     * @param fieldsOffset   where they start.
     * @param fieldsLength   their length.
     * @param payloadAddress where the payload lies (a mapped segment), if {@code payloadLength > 0}.
     * @param payloadLength  payload bytes, 0 if none.
     */
    void send(
        final int destination, final int type, final long tag, final DirectBuffer fields, final int fieldsOffset,
        final int fieldsLength, final long payloadAddress, final int payloadLength)
    {
        final long correlationId = pending.register(destination, this, timeoutNs);
        if (correlationId == PendingRequests.REFUSED)
        {
            report(destination, tag, OUTCOME_NOT_SENT);
            return;
        }
        final boolean sent;
        if (payloadLength == 0)
        {
            sent = transport.offer(destination, type, correlationId, fields, fieldsOffset, fieldsLength);
        }
        else
        {
            payload.wrap(payloadAddress, payloadLength);
            sent = transport.offer(destination, type, correlationId, fields, fieldsOffset, fieldsLength,
                payload, 0, payloadLength);
        }
        if (!sent)
        {
            pending.cancel(correlationId);
            report(destination, tag, OUTCOME_NOT_SENT);
            return;
        }
        tags.put(correlationId, tag);
        destinations.put(correlationId, destination);
    }

    @Override
    public void onResponse(
        final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final long tag = tags.remove(correlationId);
        destinations.remove(correlationId);
        report(sourceNodeId, tag, outcomeOf(messageType, buffer, offset, length));
    }

    @Override
    public void onTimeout(final long correlationId)
    {
        final long tag = tags.remove(correlationId);
        final int destination = (int)destinations.remove(correlationId);
        report(destination, tag, OUTCOME_TIMEOUT);
    }

    private int outcomeOf(final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            switch (type)
            {
                case MessageTypes.PUT_CHUNK_RESPONSE:
                    return putChunkResponse.wrap(buffer, offset, length).status().code();
                case MessageTypes.PUT_MANIFEST_RESPONSE:
                    return putManifestResponse.wrap(buffer, offset, length).status().code();
                case MessageTypes.ERROR:
                    return OUTCOME_ERROR;
                default:
                    return OUTCOME_MALFORMED;
            }
        }
        catch (final MalformedMessageException ex)
        {
            return OUTCOME_MALFORMED;
        }
    }

    private void report(final int node, final long tag, final int result)
    {
        outcome.putInt(0, result);
        if (!storage.offer(StorageCommandDescriptor.TYPE_OUTBOUND_OUTCOME, node, tag, outcome, 0, outcome.capacity()))
        {
            counters.increment(NodeCounter.OUTCOMES_DROPPED);
        }
    }
}
