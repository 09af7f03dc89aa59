package io.rfs.replication.client;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MembershipResponseDecoder;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.Transport;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Collection;

/**
 * An operator's ring change, sent the way {@code rfs cluster add-node} and {@code remove-node} send it: to a node,
 * then to the leader it names, until the leader answers (PROTOCOL.md 5.30, 5.31). Blocks the calling thread, which
 * must own the transport; for command-line tools, not for the client's agent.
 */
public final class MembershipClient
{
    /** Correlation ids far above those a client's own requests use. */
    private static final long CORRELATION_BASE = Long.MAX_VALUE - 131_072;

    /**
     * How long one request waits for its answer before it is sent again (a connection lost with it loses it; a
     * repeated add of the same node is answered as committed).
     */
    private static final long ANSWER_TIMEOUT_NS = 10_000_000_000L;

    private final Transport transport;
    private final int[] nodes;
    private final NanoClock clock;
    private long nextCorrelationId = CORRELATION_BASE;

    /**
     * The answer of the node that decided.
     *
     * @param nodeId      the node that answered.
     * @param status      a {@link MembershipResponseDescriptor} status.
     * @param leaderId    the leader it knows, -1 if none.
     * @param ringVersion the ring version it gave.
     * @param text        its text.
     */
    public record Answer(int nodeId, int status, int leaderId, long ringVersion, String text)
    {
        /**
         * @return whether the change is committed.
         */
        public boolean isCommitted()
        {
            return status == MembershipResponseDescriptor.COMMITTED;
        }
    }

    /**
     * @param transport a client transport that knows the nodes.
     * @param nodes     the nodes to ask first, in order (the seeds).
     * @param clock     for the timeout.
     */
    public MembershipClient(final Transport transport, final Collection<Integer> nodes, final NanoClock clock)
    {
        this.transport = transport;
        this.nodes = nodes.stream().mapToInt(Integer::intValue).toArray();
        this.clock = clock;
    }

    /**
     * Sends the change to the first node that takes it, follows {@code NOT_LEADER} to the leader named, and sends
     * again after {@code BUSY}, {@code LOST} or a request left unanswered. Sending again after {@code LOST} (the
     * leader lost its term before the change committed) is safe because every change is idempotent at the leader: one
     * that holds already (the next leader committed it) is answered {@code COMMITTED}.
     *
     * @param request   the encoded request.
     * @param timeoutNs how long to try in all.
     * @return the deciding answer ({@code COMMITTED} or {@code REFUSED}), or the last {@code LOST} or
     * {@code NOT_LEADER} if none came in time, or null if no node answered at all.
     */
    public Answer change(final MembershipRequestEncoder request, final long timeoutNs)
    {
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        Answer last = null;
        int target = -1;
        int next = 0;
        while (clock.nanoTime() - deadlineNs < 0)
        {
            if (target < 0)
            {
                target = nodes[next];
                next = (next + 1) % nodes.length;
            }
            final Answer answer = exchange(target, request, deadlineNs);
            if (answer == null)
            {
                target = -1;
                continue;
            }
            last = answer;
            if (answer.status() == MembershipResponseDescriptor.BUSY)
            {
                pause(deadlineNs);
                continue;
            }
            if (answer.status() == MembershipResponseDescriptor.LOST)
            {
                target = -1;
                pause(deadlineNs);
                continue;
            }
            if (answer.status() != MembershipResponseDescriptor.NOT_LEADER)
            {
                return answer;
            }
            target = answer.leaderId() >= 0 && answer.leaderId() != answer.nodeId() ? answer.leaderId() : -1;
            if (target < 0)
            {
                pause(deadlineNs);
            }
        }
        return last;
    }

    /**
     * One request to one node; its answer, or null if it was not taken or not answered within a few seconds.
     */
    private Answer exchange(final int nodeId, final MembershipRequestEncoder request, final long deadlineNs)
    {
        final long correlationId = nextCorrelationId++;
        final Answer[] answer = new Answer[1];
        final MembershipResponseDecoder decoder = new MembershipResponseDecoder();
        final long offerDeadlineNs = Math.min(deadlineNs, clock.nanoTime() + 2_000_000_000L);
        boolean sent = false;
        while (!sent && clock.nanoTime() - offerDeadlineNs < 0)
        {
            transport.doWork();
            sent = transport.offer(nodeId, MessageTypes.MEMBERSHIP_REQUEST, correlationId,
                (UnsafeBuffer)request.buffer(), request.offset(), request.encodedLength());
            if (!sent)
            {
                pause(offerDeadlineNs);
            }
        }
        final long answerDeadlineNs = Math.min(deadlineNs, clock.nanoTime() + ANSWER_TIMEOUT_NS);
        while (sent && answer[0] == null && clock.nanoTime() - answerDeadlineNs < 0)
        {
            final int work = transport.doWork() + transport.poll((source, type, id, buffer, offset, length) ->
            {
                if (id == correlationId && source == nodeId && type == MessageTypes.MEMBERSHIP_RESPONSE)
                {
                    try
                    {
                        decoder.wrap(buffer, offset, length);
                        answer[0] = new Answer(source, decoder.status(), decoder.leaderId(), decoder.ringVersion(),
                            decoder.text());
                    }
                    catch (final MalformedMessageException ex)
                    {
                        answer[0] = new Answer(source, MembershipResponseDescriptor.LOST, -1, 0, ex.getMessage());
                    }
                }
            }, 16);
            if (work == 0)
            {
                Thread.yield();
            }
        }
        return answer[0];
    }

    private void pause(final long deadlineNs)
    {
        final long ms = Math.max(0, Math.min(50, (deadlineNs - clock.nanoTime()) / 1_000_000));
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
