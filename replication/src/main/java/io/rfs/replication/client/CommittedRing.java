package io.rfs.replication.client;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RingResponseDecoder;
import io.rfs.replication.ring.CorruptRingException;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.Transport;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Collection;

/**
 * Asks the cluster for its committed ring when a client connects ({@code RingRequest}, PROTOCOL.md 5.32), so that
 * the client places keys where the cluster does after {@code rfs cluster add-node}, {@code remove-node} or a node
 * committed gone, and whatever zones and weights its own settings name. The first node to answer decides; a node
 * that has committed no change answers none, and the client keeps the ring of its settings. Blocks the calling
 * thread (the one that owns the transport, before the client's agent starts) up to the timeout given.
 */
public final class CommittedRing
{
    /** How long a client waits at connect for a node to answer with the committed ring. */
    public static final long TIMEOUT_NS_DEFAULT = 2_000_000_000L;

    /** Correlation ids far above those the client's own requests use, so late answers match nothing. */
    private static final long CORRELATION_BASE = Long.MAX_VALUE - 65_536;

    private CommittedRing()
    {
    }

    /**
     * @param transport the client's transport, not yet polled by anything else.
     * @param nodes     the node ids to ask (the seeds).
     * @param fallback  the ring of the client's settings.
     * @param clock     for the timeout.
     * @param timeoutNs how long to wait for an answer.
     * @return the committed ring, or {@code fallback} if no node answered with one within the timeout. Every node of
     * the returned ring is a peer of the transport.
     */
    public static Ring fetch(
        final Transport transport, final Collection<Integer> nodes, final Ring fallback, final NanoClock clock,
        final long timeoutNs)
    {
        final int[] ids = nodes.stream().mapToInt(Integer::intValue).toArray();
        final boolean[] asked = new boolean[ids.length];
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        final Ring[] answer = new Ring[1];
        final boolean[] answered = new boolean[1];
        final RingResponseDecoder decoder = new RingResponseDecoder();
        final long deadlineNs = clock.nanoTime() + timeoutNs;
        while (!answered[0] && clock.nanoTime() - deadlineNs < 0)
        {
            int work = transport.doWork();
            for (int i = 0; i < ids.length; i++)
            {
                if (!asked[i] && transport.offer(ids[i], MessageTypes.RING_REQUEST, CORRELATION_BASE + i, empty, 0, 0))
                {
                    asked[i] = true;
                    work++;
                }
            }
            work += transport.poll((source, type, correlationId, buffer, offset, length) ->
            {
                if (type == MessageTypes.RING_RESPONSE && correlationId >= CORRELATION_BASE && !answered[0])
                {
                    try
                    {
                        decoder.wrap(buffer, offset, length);
                        answer[0] = decoder.ringLength() == 0 ? null :
                            RingCodec.decode(decoder.buffer(), decoder.ringOffset(), decoder.ringLength());
                        answered[0] = true;
                    }
                    catch (final MalformedMessageException | CorruptRingException ex)
                    {
                        // a bad answer decides nothing; another node's may
                    }
                }
            }, 16);
            if (work == 0)
            {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        if (answer[0] == null)
        {
            return fallback;
        }
        for (final RingNode node : answer[0].nodes())
        {
            transport.learnPeer(node.id(), node.address());
        }
        return answer[0];
    }

}
