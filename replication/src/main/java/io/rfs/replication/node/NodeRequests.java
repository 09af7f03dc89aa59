package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.RequestChannel;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Requests that the agents of the network thread (the repair scheduler, the chunk copier) send to any node, this one
 * included, registered with the node's {@link PendingRequests}.
 * <p>
 * <b>This node as destination.</b> The transport does not carry a node's messages to itself, so they take a local
 * route: a storage request goes straight into the storage queue with this node as its source, and the storage
 * agent's result, addressed to this node, is handed by the {@link ResultSender} to the {@code PendingRequests} (its
 * fields only: no payload travels this route); a copy order goes to the {@link ChunkCopier}. Answers to this node
 * ({@link #respond}) wait in a local inbox until the next {@link #deliverLocal()}, so no answer arrives while its
 * request is being sent.
 * <p>
 * <b>Threads.</b> The network agent's thread only.
 */
final class NodeRequests implements RequestChannel
{
    private final Transport transport;
    private final PendingRequests pending;
    private final StorageProxy storage;
    private final int localNodeId;
    private final NodeCounters counters;
    private final ExpandableArrayBuffer inbox = new ExpandableArrayBuffer(1024);
    private final ExpandableArrayBuffer delivering = new ExpandableArrayBuffer(1024);
    private int inboxLength;
    private ChunkCopier copier;

    NodeRequests(
        final Transport transport, final PendingRequests pending, final StorageProxy storage,
        final NodeCounters counters)
    {
        this.transport = transport;
        this.pending = pending;
        this.storage = storage;
        this.localNodeId = transport.localNodeId();
        this.counters = counters;
    }

    void copier(final ChunkCopier copier)
    {
        this.copier = copier;
    }

    int localNodeId()
    {
        return localNodeId;
    }

    @Override
    public long send(
        final int destination, final int type, final DirectBuffer body, final int offset, final int length,
        final ResponseListener listener, final long timeoutNs)
    {
        return send(destination, type, body, offset, length, body, 0, 0, listener, timeoutNs);
    }

    /**
     * As {@link #send(int, int, DirectBuffer, int, int, ResponseListener, long)} for a body in two parts.
     */
    long send(
        final int destination, final int type, final DirectBuffer fields, final int fieldsOffset,
        final int fieldsLength, final DirectBuffer payload, final int payloadOffset, final int payloadLength,
        final ResponseListener listener, final long timeoutNs)
    {
        final long correlationId = pending.register(destination, listener, timeoutNs);
        if (correlationId == PendingRequests.REFUSED)
        {
            return REFUSED;
        }
        final boolean sent;
        if (destination == localNodeId)
        {
            if (type == MessageTypes.COPY_CHUNKS_REQUEST)
            {
                copier.onCopyOrder(localNodeId, correlationId, fields, fieldsOffset, fieldsLength);
                sent = true;
            }
            else
            {
                sent = storage.offer(type, localNodeId, correlationId, fields, fieldsOffset, fieldsLength,
                    payload, payloadOffset, payloadLength);
            }
        }
        else if (payloadLength == 0)
        {
            sent = transport.offer(destination, type, correlationId, fields, fieldsOffset, fieldsLength);
        }
        else
        {
            sent = transport.offer(destination, type, correlationId, fields, fieldsOffset, fieldsLength,
                payload, payloadOffset, payloadLength);
        }
        if (!sent)
        {
            pending.cancel(correlationId);
            return REFUSED;
        }
        return correlationId;
    }

    /**
     * Answers a request: over the transport, or, to this node, through the local inbox.
     *
     * @return true if sent (or queued locally), false if the transport refused it.
     */
    boolean respond(
        final int destination, final int type, final long correlationId, final DirectBuffer body, final int offset,
        final int length)
    {
        if (destination != localNodeId)
        {
            return transport.offer(destination, type, correlationId, body, offset, length);
        }
        final MutableDirectBuffer buffer = inbox;
        buffer.putInt(inboxLength, type);
        buffer.putInt(inboxLength + 4, length);
        buffer.putLong(inboxLength + 8, correlationId);
        buffer.putBytes(inboxLength + 16, body, offset, length);
        inboxLength += 16 + length;
        return true;
    }

    /**
     * Hands the answers this node sent itself to the {@link PendingRequests}.
     *
     * @return answers delivered.
     */
    int deliverLocal()
    {
        if (inboxLength == 0)
        {
            return 0;
        }
        final int end = inboxLength;
        delivering.putBytes(0, inbox, 0, end);
        inboxLength = 0;
        int delivered = 0;
        for (int at = 0; at < end; delivered++)
        {
            final int type = delivering.getInt(at);
            final int length = delivering.getInt(at + 4);
            final long correlationId = delivering.getLong(at + 8);
            onLocalResponse(correlationId, type, delivering, at + 16, length);
            at += 16 + length;
        }
        return delivered;
    }

    /**
     * A response this node addressed to itself (from the storage agent or the copier).
     */
    void onLocalResponse(
        final long correlationId, final int type, final DirectBuffer buffer, final int offset, final int length)
    {
        if (!pending.onResponse(correlationId, localNodeId, type, buffer, offset, length))
        {
            counters.increment(NodeCounter.UNEXPECTED);
        }
    }
}
