package io.rfs.replication.transport;

import org.agrona.DirectBuffer;

/**
 * Carries framed messages between nodes: the one interface behind which TCP, shared memory and the simulated
 * network sit, so that node logic runs unchanged on each (DESIGN.md principle 6).
 * <p>
 * <b>Threads.</b> A transport is owned by one thread, the agent that calls {@link #doWork()} and
 * {@link #poll(MessageHandler, int)}; {@link #offer} may be called from that thread only, unless an implementation
 * says otherwise. Nothing blocks: I/O happens in {@code doWork}, and a message that cannot be queued is refused.
 * <p>
 * <b>Messages.</b> A message is a type id, a correlation id and a body. The transport adds and checks the frame
 * around it (see {@code docs/PROTOCOL.md}); the body's layout belongs to the message type's codec. Messages between
 * one pair of nodes arrive in the order they were offered, at most once, unless a fault injector says otherwise;
 * a message may be lost when a connection breaks, so request/response users time out and retry. Correlation ids and
 * timeouts are kept above the transport, by {@link PendingRequests}; message types, roles and bodies are in
 * {@code io.rfs.replication.protocol.MessageTypes} and its codecs.
 * <p>
 * <b>Back-pressure.</b> Every queue is bounded. {@link #offer} returns false when the message cannot be queued now
 * (the peer is slow, not connected yet, or unknown); the caller keeps it and offers again on a later duty cycle, or
 * gives up. No transport grows a queue without bound.
 */
public interface Transport extends AutoCloseable
{
    /**
     * @return this endpoint's node id.
     */
    int localNodeId();

    /**
     * Queues a message for a peer, copying its body.
     *
     * @param destinationNodeId the peer.
     * @param messageType       the message type id.
     * @param correlationId     matches a response to its request; 0 for a one-way message.
     * @param body              the body's bytes.
     * @param offset            where the body starts.
     * @param length            body length, at most {@link #maxMessageLength()}.
     * @return true if queued, false under back-pressure.
     */
    boolean offer(int destinationNodeId, int messageType, long correlationId, DirectBuffer body, int offset, int length);

    /**
     * Queues a message whose body is a fixed part followed by a bulk payload held elsewhere (a chunk in a mapped
     * segment, a writer's direct buffer). Implementations send the payload without copying it into a {@code byte[]}.
     * <p>
     * The fields are copied before this method returns. The payload may not be: an implementation that sends it
     * straight from its memory reads it after this call returns, until it tells a {@link PayloadReleaseHandler}
     * (see the implementation's context); the caller keeps those bytes unchanged and mapped until then. An
     * implementation that copies the payload says so and reads nothing after returning.
     *
     * @param destinationNodeId the peer.
     * @param messageType       the message type id.
     * @param correlationId     matches a response to its request; 0 for a one-way message.
     * @param fields            the fixed part of the body.
     * @param fieldsOffset      where it starts.
     * @param fieldsLength      its length.
     * @param payload           the bulk part of the body.
     * @param payloadOffset     where it starts.
     * @param payloadLength     its length; fields plus payload at most {@link #maxMessageLength()}.
     * @return true if queued, false under back-pressure.
     */
    boolean offer(
        int destinationNodeId,
        int messageType,
        long correlationId,
        DirectBuffer fields,
        int fieldsOffset,
        int fieldsLength,
        DirectBuffer payload,
        int payloadOffset,
        int payloadLength);

    /**
     * Hands received messages to {@code handler}, in arrival order per peer.
     *
     * @param handler      receives each message; the buffer is valid only during the call.
     * @param messageLimit most messages to deliver in this call.
     * @return messages delivered.
     */
    int poll(MessageHandler handler, int messageLimit);

    /**
     * Does a bounded slice of I/O: connects, reads, writes, handshakes, times out. Called by the owning agent's duty
     * cycle.
     *
     * @return work done, 0 if there was none (so the idle strategy may back off).
     */
    int doWork();

    /**
     * @return the largest message body this transport carries.
     */
    int maxMessageLength();

    /**
     * Learns a node that joined the cluster after this transport was built (a committed ring names it), so that
     * messages can reach it. The owning agent's thread.
     *
     * @param nodeId   the node.
     * @param hostPort where it listens.
     * @return true if the node was new to this transport; false if it was known, or if this transport needs no
     * addresses (shared memory reaches every node of the host by id).
     */
    default boolean learnPeer(final int nodeId, final String hostPort)
    {
        return false;
    }

    /**
     * @return what the owning thread can block on while idle, woken by this transport's I/O readiness (a message
     * arrived, a connection can take more bytes) or by {@link Waiter#wake()}; null if this transport can only be
     * polled (shared memory, the simulated network), whose owner backs off instead.
     */
    default Waiter waiter()
    {
        return null;
    }

    @Override
    void close();
}
