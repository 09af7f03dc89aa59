package io.rfs.replication.transport.fault;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;

/**
 * A node's endpoint on a {@link SimulatedNetwork}: offers are copied and scheduled by the network, and
 * {@link #poll} delivers those whose time on the network's clock has come. Single-threaded, like the whole
 * simulation.
 */
public final class SimulatedTransport implements Transport
{
    private final SimulatedNetwork network;
    private final int nodeId;
    private final SimulatedNetwork.Inbox inbox;
    private boolean closed;

    SimulatedTransport(final SimulatedNetwork network, final int nodeId, final SimulatedNetwork.Inbox inbox)
    {
        this.network = network;
        this.nodeId = nodeId;
        this.inbox = inbox;
    }

    /**
     * @return when the earliest message in flight to this endpoint comes due, {@link Long#MAX_VALUE} if none or
     * closed: whether a simulator that steps only the nodes with something to do must step this one, and when.
     */
    public long nextDeliveryTimeNs()
    {
        return closed ? Long.MAX_VALUE : inbox.nextDeliveryTimeNs();
    }

    @Override
    public int localNodeId()
    {
        return nodeId;
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
        checkOpen();
        return network.send(nodeId, destinationNodeId, messageType, correlationId, body, offset, length, null, 0, 0);
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
        checkOpen();
        return network.send(nodeId, destinationNodeId, messageType, correlationId, fields, fieldsOffset, fieldsLength,
            payload, payloadOffset, payloadLength);
    }

    @Override
    public int poll(final MessageHandler handler, final int messageLimit)
    {
        checkOpen();
        return network.deliver(nodeId, handler, messageLimit);
    }

    /**
     * Nothing to do: the network moves messages when they are polled.
     *
     * @return 0.
     */
    @Override
    public int doWork()
    {
        return 0;
    }

    @Override
    public int maxMessageLength()
    {
        return network.context().maxMessageLength();
    }

    /**
     * Leaves the network, as a crashed node: messages in flight to it are lost, offers to it refused.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            network.remove(nodeId);
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("transport of node " + nodeId + " is closed");
        }
    }
}
