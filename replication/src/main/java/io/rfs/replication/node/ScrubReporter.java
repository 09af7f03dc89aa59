package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.protocol.CorruptChunkReportDecoder;
import io.rfs.replication.protocol.CorruptChunkReportEncoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.RepairScheduler;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Queue;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Carries the background scrub's findings to the leader, and, on the leader, turns them into a repair round now
 * rather than at the next {@code repair.interval}.
 * <p>
 * Each chunk the {@link NodeScrubber} quarantined is sent as a {@code CorruptChunkReport} to the leader of the
 * current term; while no leader is known, or the transport refuses, the report waits (the scrubber's queue is
 * bounded). The report is a prompt, not the record: the quarantine has already taken the chunk out of this node's
 * range digests, so the leader's next comparison finds the replica missing whatever happens to the message, and its
 * repair copies it back from a replica that re-hashes its copy before sending.
 * <p>
 * <b>Threads.</b> The network agent's (it offers on the transport and starts the repair scheduler's rounds).
 */
public final class ScrubReporter implements Agent, MessageHandler
{
    private final Queue<ChunkId> found;
    private final Transport transport;
    private final int nodeId;
    private final IntSupplier leaderId;
    private final LongSupplier term;
    private final RepairScheduler scheduler;
    private final NodeCounters counters;
    private final CorruptChunkReportEncoder encoder = new CorruptChunkReportEncoder();
    private final CorruptChunkReportDecoder decoder = new CorruptChunkReportDecoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
    private boolean roundWanted;

    /**
     * @param found     the scrubber's queue of chunks found corrupt.
     * @param transport the node's endpoint.
     * @param nodeId    this node.
     * @param leaderId  the current term's leader, or {@link ClusterAgent#NO_LEADER}.
     * @param term      the current term.
     * @param scheduler this node's repair scheduler (it works only while the node leads).
     * @param counters  the node's counters.
     */
    public ScrubReporter(
        final Queue<ChunkId> found,
        final Transport transport,
        final int nodeId,
        final IntSupplier leaderId,
        final LongSupplier term,
        final RepairScheduler scheduler,
        final NodeCounters counters)
    {
        this.found = found;
        this.transport = transport;
        this.nodeId = nodeId;
        this.leaderId = leaderId;
        this.term = term;
        this.scheduler = scheduler;
        this.counters = counters;
    }

    @Override
    public String roleName()
    {
        return "rfs-scrub-reporter";
    }

    @Override
    public int doWork()
    {
        int work = 0;
        if (roundWanted && !scheduler.isRoundInProgress())
        {
            roundWanted = false;
            scheduler.runNow();
            work++;
        }
        final ChunkId id = found.peek();
        if (id == null)
        {
            return work;
        }
        final int leader = leaderId.getAsInt();
        if (leader == ClusterAgent.NO_LEADER)
        {
            return work;
        }
        if (leader == nodeId)
        {
            roundWanted = true;
        }
        else
        {
            final int length = encoder.wrap(buffer, 0).term(term.getAsLong()).chunkId(id).encodedLength();
            if (!transport.offer(leader, MessageTypes.CORRUPT_CHUNK_REPORT, 0, buffer, 0, length))
            {
                return work;
            }
        }
        found.poll();
        counters.increment(NodeCounter.SCRUB_REPORTS_SENT);
        return work + 1;
    }

    /**
     * A {@code CorruptChunkReport} from another node (a malformed one is counted and dropped): a repair round as
     * soon as none is running (the scheduler ignores it unless this node leads).
     */
    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer body, final int offset,
        final int length)
    {
        try
        {
            decoder.wrap(body, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            counters.increment(NodeCounter.MALFORMED);
            return;
        }
        counters.increment(NodeCounter.SCRUB_REPORTS_RECEIVED);
        roundWanted = true;
    }
}
