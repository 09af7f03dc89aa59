package io.rfs.replication.repair;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.transport.ResponseListener;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayDeque;

/**
 * The requests a repair agent has waiting to be sent and in flight, and how each one ends: every request
 * {@link #add added} ends in exactly one call to its {@link Handler}, {@code onResponse} or {@code onFailed}, unless
 * {@link #clear} drops it first.
 * <p>
 * <b>Sending.</b> {@link #sendUnsent} tries each waiting request once, in the order they wait. One the channel
 * refuses (its node is not connected, or its link is full) goes to the back of the queue and is tried again on later
 * calls, until it has been refused for {@code giveUpNs} ({@code repair.request.timeout}); then it fails: a node that
 * is down cannot hold up a round. One the channel takes waits for its answer or its timeout
 * ({@link Envelope#timeoutNs(long)}, else the give-up span), found again by its correlation id.
 * <p>
 * <b>Refused since when.</b> The give-up span counts from the first refusal since the request was last added. A
 * request is added again when it is retried after it was sent (another holder after a wrong answer or a timeout) or
 * after it failed (the next holder after a node refused too long); it then gets a whole span again. Keeping the old
 * refusal time instead would fail such a retry at its first refusal, without another try, because of refusals that
 * happened before its previous send and say nothing of the node it now goes to.
 * <p>
 * <b>Answers.</b> An answer that cannot be decoded ({@link MalformedMessageException}) fails its request; late
 * answers and timeouts of requests dropped by {@link #clear} are ignored.
 * <p>
 * <b>Threads.</b> The owning agent's thread, which drives the {@link RequestChannel}. The handler may add requests,
 * or clear, from within its callbacks. No allocation per send once the queue and map have grown.
 *
 * @param <R> the agent's request.
 */
public final class OutgoingRequests<R> implements ResponseListener
{
    private static final long NOT_REFUSED = Long.MIN_VALUE;

    private final NanoClock clock;
    private final RequestChannel channel;
    private final long giveUpNs;
    private final Handler<R> handler;
    private final ArrayDeque<Waiting<R>> unsent = new ArrayDeque<>();
    private final ArrayDeque<Waiting<R>> spare = new ArrayDeque<>();
    private final Long2ObjectHashMap<R> inFlight = new Long2ObjectHashMap<>();
    private final Envelope envelope;

    /**
     * @param clock    the agent's clock.
     * @param channel  how requests reach nodes.
     * @param giveUpNs how long a request may go on being refused before it fails, and the answer timeout of those
     *                 whose envelope sets none.
     * @param handler  the agent's side: how to send its requests and what to do with their ends.
     */
    public OutgoingRequests(
        final NanoClock clock, final RequestChannel channel, final long giveUpNs, final Handler<R> handler)
    {
        this.clock = clock;
        this.channel = channel;
        this.giveUpNs = giveUpNs;
        this.handler = handler;
        this.envelope = new Envelope(giveUpNs);
    }

    /**
     * Queues a request behind those waiting; it is first tried at the next {@link #sendUnsent}.
     *
     * @param request to send.
     */
    public void add(final R request)
    {
        final Waiting<R> waiting = spare.isEmpty() ? new Waiting<>() : spare.poll();
        waiting.request = request;
        waiting.refusedSinceNs = NOT_REFUSED;
        unsent.add(waiting);
    }

    /**
     * Tries each request waiting once.
     *
     * @return requests the channel took.
     */
    public int sendUnsent()
    {
        int sent = 0;
        final long nowNs = clock.nanoTime();
        // A failure callback may clear the queue, so the queue, not the count, says when to stop.
        for (int i = unsent.size(); i > 0 && !unsent.isEmpty(); i--)
        {
            final Waiting<R> waiting = unsent.poll();
            final R request = waiting.request;
            handler.encode(request, envelope);
            final long correlationId = channel.send(envelope.destination, envelope.messageType, envelope.body, 0,
                envelope.length, this, envelope.timeoutNs);
            if (correlationId != RequestChannel.REFUSED)
            {
                release(waiting);
                inFlight.put(correlationId, request);
                sent++;
            }
            else if (waiting.refusedSinceNs != NOT_REFUSED && nowNs - waiting.refusedSinceNs >= giveUpNs)
            {
                release(waiting);
                handler.onFailed(request);
            }
            else
            {
                if (waiting.refusedSinceNs == NOT_REFUSED)
                {
                    waiting.refusedSinceNs = nowNs;
                }
                unsent.add(waiting);
            }
        }
        return sent;
    }

    /**
     * @return true if no request is waiting to be sent.
     */
    public boolean isUnsentEmpty()
    {
        return unsent.isEmpty();
    }

    /**
     * @return true if no request is waiting to be sent or in flight.
     */
    public boolean isEmpty()
    {
        return unsent.isEmpty() && inFlight.isEmpty();
    }

    /**
     * Drops every request, waiting or in flight, with no callback (a round abandoned).
     */
    public void clear()
    {
        Waiting<R> waiting;
        while ((waiting = unsent.poll()) != null)
        {
            release(waiting);
        }
        inFlight.clear();
    }

    private void release(final Waiting<R> waiting)
    {
        waiting.request = null;
        spare.add(waiting);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onResponse(
        final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
        final int offset, final int length)
    {
        final R request = inFlight.remove(correlationId);
        if (request == null)
        {
            return;
        }
        try
        {
            handler.onResponse(request, messageType, buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            handler.onFailed(request);
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void onTimeout(final long correlationId)
    {
        final R request = inFlight.remove(correlationId);
        if (request != null)
        {
            handler.onFailed(request);
        }
    }

    /**
     * A request waiting to be sent, and since when the channel refuses it; reused once it leaves the queue.
     */
    private static final class Waiting<R>
    {
        private R request;
        private long refusedSinceNs;
    }

    /**
     * What differs between the agents: how a request is written and where it goes, and what its end means.
     *
     * @param <R> the agent's request.
     */
    public interface Handler<R>
    {
        /**
         * Writes the request's body, unless it is written already, and fills in the envelope.
         *
         * @param request  to send.
         * @param envelope where to say where the body is and where it goes; reused for every request.
         */
        void encode(R request, Envelope envelope);

        /**
         * The answer arrived in time.
         *
         * @param request     the request answered.
         * @param messageType the answer's type id ({@code Error} included).
         * @param buffer      holds the answer's body; valid only during this call.
         * @param offset      where the body starts.
         * @param length      its length.
         * @throws MalformedMessageException if the answer cannot be decoded; the request then fails.
         */
        void onResponse(R request, int messageType, DirectBuffer buffer, int offset, int length)
            throws MalformedMessageException;

        /**
         * The request got no answer: refused past the give-up span, timed out, or answered with what cannot be
         * decoded.
         *
         * @param request the request that failed.
         */
        void onFailed(R request);
    }

    /**
     * Where a request goes and where its encoded body is, filled in by {@link Handler#encode} just before each send.
     */
    public static final class Envelope
    {
        private final long defaultTimeoutNs;
        private int destination;
        private int messageType;
        private DirectBuffer body;
        private int length;
        private long timeoutNs;

        Envelope(final long defaultTimeoutNs)
        {
            this.defaultTimeoutNs = defaultTimeoutNs;
        }

        /**
         * Sets every field; the answer timeout is the give-up span unless {@link #timeoutNs(long)} follows.
         *
         * @param destination the node id the request goes to.
         * @param messageType the request's type id.
         * @param body        holds the body from offset 0.
         * @param length      the body's length.
         * @return this.
         */
        public Envelope wrap(final int destination, final int messageType, final DirectBuffer body, final int length)
        {
            this.destination = destination;
            this.messageType = messageType;
            this.body = body;
            this.length = length;
            this.timeoutNs = defaultTimeoutNs;
            return this;
        }

        /**
         * @param timeoutNs how long to wait for the answer once sent.
         * @return this.
         */
        public Envelope timeoutNs(final long timeoutNs)
        {
            this.timeoutNs = timeoutNs;
            return this;
        }
    }
}
