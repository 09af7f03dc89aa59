package io.rfs.replication.client;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * The one poll of a client's transport. A transport has a single {@code poll}, so a client whose writer and reader
 * both wait for answers cannot let each poll it: this agent drives the transport's I/O, hands every message it
 * receives to the client's one {@link PendingRequests} (which calls the {@link io.rfs.replication.transport.ResponseListener}
 * registered under the message's correlation id: a write of the {@link QuorumWriter}, a read of the
 * {@link QuorumReader}), then times out the requests whose deadline passed.
 * <p>
 * Messages that answer no pending request (late, duplicated, or not a response at all) are dropped and counted by
 * {@link PendingRequests#unmatchedResponses()}: a client serves no requests.
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread; tests step it by hand.
 */
public final class ResponsePoller implements Agent, MessageHandler
{
    /** Default most messages taken from the transport per duty cycle. */
    public static final int POLL_LIMIT_DEFAULT = 64;

    private final Transport transport;
    private final PendingRequests pending;
    private final NanoClock clock;
    private final int pollLimit;

    /**
     * @param transport the client's endpoint.
     * @param pending   the client's requests in flight.
     * @param clock     the clock deadlines are kept on, the one {@code pending} was built with.
     * @param pollLimit most messages taken per duty cycle, at least 1.
     */
    public ResponsePoller(
        final Transport transport, final PendingRequests pending, final NanoClock clock, final int pollLimit)
    {
        if (pollLimit < 1)
        {
            throw new IllegalArgumentException("pollLimit=" + pollLimit + " must be positive");
        }
        this.transport = transport;
        this.pending = pending;
        this.clock = clock;
        this.pollLimit = pollLimit;
    }

    /**
     * Drives the transport, routes what arrived, expires what is overdue.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        int work = transport.doWork();
        work += transport.poll(this, pollLimit);
        work += pending.expire(clock.nanoTime());
        return work;
    }

    @Override
    public void onMessage(
        final int sourceNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        pending.onResponse(correlationId, sourceNodeId, messageType, buffer, offset, length);
    }

    @Override
    public String roleName()
    {
        return "response-poller-" + transport.localNodeId();
    }
}
