package io.rfs.replication.repair;

import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.node.NodeCounters;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RepairControlRequestDecoder;
import io.rfs.replication.protocol.RepairStatusEncoder;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static io.rfs.replication.protocol.RepairStatusDescriptor.*;

/**
 * Answers {@code RepairControlRequest}s ({@code rfs repair}, PROTOCOL.md 5.28): sets this node's repair bandwidth
 * if asked (and keeps it across restarts, {@link RepairBandwidth}), starts every kind of repair now if asked and this
 * node leads, and answers with the repair status. "Now" means a repair round (chunk digests and copies, surplus chunk
 * drops, and the manifest pass it starts: manifest copies and surplus manifest drops) and a reclaim round of
 * unreferenced chunks ({@link ChunkReclaimer}, if {@code repair.reclaim.enabled}); the status counts the round in
 * progress until all of them end. A node that does not lead starts nothing and names the leader it knows, so the
 * requester can ask it instead.
 * <p>
 * <b>Threads.</b> The network agent's (the scheduler's and the transport's).
 */
public final class RepairControl implements MessageHandler
{
    private final Transport transport;
    private final RepairScheduler scheduler;
    private final ManifestRepair manifestRepair;
    private final ChunkReclaimer reclaimer;
    private final RepairBandwidth bandwidth;
    private final boolean enabled;
    private final boolean reclaimEnabled;
    private final BooleanSupplier isLeader;
    private final IntSupplier leaderId;
    private final LongSupplier term;
    private final NodeCounters counters;
    private final RepairControlRequestDecoder request = new RepairControlRequestDecoder();
    private final RepairStatusEncoder status = new RepairStatusEncoder();
    private final ErrorEncoder error = new ErrorEncoder();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1024]);

    /**
     * @param context   concluded repair settings.
     * @param transport where answers go.
     * @param scheduler this node's repair scheduler.
     * @param manifestRepair this node's manifest repair, whose pass counts as part of the round it started with.
     * @param reclaimer      this node's reclaim of unreferenced chunks, started with every round asked for.
     * @param bandwidth      where the bandwidth set is kept across restarts.
     * @param isLeader  whether this node leads now.
     * @param leaderId  the leader this node knows, or {@code NO_LEADER}.
     * @param term      the current term.
     * @param counters  the node's counters.
     */
    public RepairControl(
        final RepairContext context,
        final Transport transport,
        final RepairScheduler scheduler,
        final ManifestRepair manifestRepair,
        final ChunkReclaimer reclaimer,
        final RepairBandwidth bandwidth,
        final BooleanSupplier isLeader,
        final IntSupplier leaderId,
        final LongSupplier term,
        final NodeCounters counters)
    {
        this.transport = transport;
        this.scheduler = scheduler;
        this.manifestRepair = manifestRepair;
        this.reclaimer = reclaimer;
        this.reclaimEnabled = context.reclaimEnabled();
        this.bandwidth = bandwidth;
        this.enabled = context.enabled();
        this.isLeader = isLeader;
        this.leaderId = leaderId;
        this.term = term;
        this.counters = counters;
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        try
        {
            request.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            counters.increment(NodeCounter.MALFORMED);
            error.wrap(scratch, 0).code(ErrorCode.MALFORMED).relatedType(type).text(ex.getMessage());
            offer(source, MessageTypes.ERROR, correlationId, error.encodedLength());
            return;
        }
        final boolean leads = isLeader.getAsBoolean();
        if (request.setsBandwidth())
        {
            scheduler.bandwidth(request.bandwidth());
            bandwidth.set(request.bandwidth());
        }
        if (request.startRound() && leads && enabled)
        {
            scheduler.runNow();
            if (reclaimEnabled)
            {
                reclaimer.runNow();
            }
        }
        final boolean inProgress = scheduler.isRoundInProgress() || manifestRepair.isPassInProgress() ||
            (reclaimEnabled && reclaimer.isRoundInProgress());
        status.wrap(scratch, 0)
            .flags((leads ? FLAG_LEADER : 0) | (inProgress ? FLAG_ROUND_IN_PROGRESS : 0) | (enabled ? FLAG_ENABLED : 0))
            .leaderId(leaderId.getAsInt())
            .field(TERM_OFFSET, term.getAsLong())
            .field(BANDWIDTH_OFFSET, scheduler.bandwidth())
            .field(ROUNDS_STARTED_OFFSET, counters.get(NodeCounter.REPAIR_ROUNDS))
            .field(ROUNDS_COMPLETED_OFFSET, scheduler.roundsCompleted())
            .field(ROUND_ELAPSED_NS_OFFSET, Math.max(0, scheduler.roundElapsedNs()))
            .field(RANGES_OFFSET, scheduler.rangeCount())
            .field(RANGES_COMPARED_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_RANGES_COMPARED))
            .field(RANGES_DIFFERENT_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_RANGES_DIFFERENT))
            .field(RANGES_REPAIRED_OFFSET, scheduler.rangesRepaired())
            .field(CHUNKS_SCHEDULED_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_CHUNKS_SCHEDULED))
            .field(CHUNKS_COPIED_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_CHUNKS_COPIED))
            .field(BYTES_COPIED_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_BYTES_COPIED))
            .field(COPY_FAILURES_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_COPY_FAILURES))
            .field(ANSWERS_MISSED_OFFSET, scheduler.roundCount(NodeCounter.REPAIR_ANSWERS_MISSED))
            .field(COPYING_NS_OFFSET, Math.max(0, scheduler.roundCopyingNs()))
            .field(UNRECOVERABLE_OFFSET, counters.get(NodeCounter.REPAIR_UNRECOVERABLE));
        offer(source, MessageTypes.REPAIR_STATUS_RESPONSE, correlationId, status.encodedLength());
    }

    private void offer(final int destination, final int type, final long correlationId, final int length)
    {
        counters.increment(transport.offer(destination, type, correlationId, scratch, 0, length) ?
            NodeCounter.RESPONSES_SENT : NodeCounter.RESPONSES_DROPPED);
    }
}
