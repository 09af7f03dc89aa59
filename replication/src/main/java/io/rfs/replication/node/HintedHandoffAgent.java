package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.CorruptChunkException;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.StoredRecord;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.node.StorageResultDescriptor.*;

/**
 * Hinted handoff: hands every chunk and manifest this node accepted for an owner that was down (the
 * {@link HintStore}'s pending hints) to that owner, and forgets the hint only once the owner has it.
 * <p>
 * <b>How a hint is delivered.</b> The agent reads the chunk (or the newest version of the manifest's name) from this
 * node's own store and queues a plain {@code PutChunkRequest} ({@code PutManifestRequest}) in the results ring,
 * addressed to the owner, tagged with the hint's location, its bytes referenced where they lie in the mapped segment.
 * The network agent's {@link OutboundRequests} sends it as this node (a node-role peer) with a correlation id from the
 * node's {@code PendingRequests}, and reports the outcome back through the storage queue to {@link #onOutcome}. The
 * owner verifies the chunk against its id as for any put. A hint is marked delivered (a marker appended to the hint
 * log) only when the owner answered {@code OK} or {@code ALREADY_HAD}; a manifest is delivered as the newest version
 * held here, and the owner keeps whichever version is newest.
 * <p>
 * <b>Pacing.</b> At most {@code handoff.max.in.flight} requests are in flight. A target whose request failed (timed
 * out, refused, answered with an error) is tried again after {@code handoff.retry.interval}, doubled per failure up
 * to 16 times, one request at a time until one succeeds. A hint the owner answered {@code CORRUPT} (this node's copy
 * is bad) or that this node cannot read waits a retry interval before it is tried again, so it never loops hot; it
 * stays pending until a repair replaces the copy, and is counted ({@link NodeCounter#HANDOFF_CORRUPT},
 * {@link NodeCounter#HANDOFF_UNREADABLE}).
 * <p>
 * <b>Threads.</b> Runs on the storage thread, composed with the {@link StorageAgent} (it reads the store and writes
 * the hint log, both that thread's, and is the results ring's other producer on that thread). Time comes from the
 * injected clock.
 */
public final class HintedHandoffAgent implements Agent
{
    private static final long NONE = Long.MIN_VALUE;
    private static final int MAX_BACKOFF_SHIFT = 4;

    private final HintStore hints;
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final RingBuffer results;
    private final NanoClock clock;
    private final NodeCounters counters;
    private final ErrorHandler errorHandler;
    private final long retryIntervalNs;
    private final long outcomeDeadlineNs;
    private final int maxInFlight;
    private final int maxMessageLength;
    private final Int2ObjectHashMap<Target> targets = new Int2ObjectHashMap<>();
    private final List<Target> targetOrder = new ArrayList<>();
    private final Long2LongHashMap inFlight = new Long2LongHashMap(NONE);
    private final Long2LongHashMap notBefore = new Long2LongHashMap(NONE);
    private final LongArrayList expired = new LongArrayList();
    private final StoredRecord record = new StoredRecord();
    private final PutChunkRequestEncoder putChunk = new PutChunkRequestEncoder();
    private final PutManifestRequestEncoder putManifest = new PutManifestRequestEncoder();
    private int cursor;

    HintedHandoffAgent(
        final NodeContext context, final NodeStore store, final RingBuffer results, final int maxMessageLength,
        final NodeCounters counters)
    {
        this.hints = store.hints();
        this.chunks = store.chunks();
        this.manifests = store.manifests();
        this.results = results;
        this.clock = context.nanoClock();
        this.counters = counters;
        this.errorHandler = context.errorHandler();
        this.retryIntervalNs = context.handoffRetryIntervalNs();
        this.outcomeDeadlineNs = 2 * context.handoffRequestTimeoutNs();
        this.maxInFlight = context.handoffMaxInFlight();
        this.maxMessageLength = maxMessageLength;
        for (final Hint hint : hints.pendingHints())
        {
            target(hint.target()).queue.addLong(hint.location());
        }
        counters.set(NodeCounter.HINTS_PENDING, hints.pendingCount());
        hints.listener(hint -> target(hint.target()).queue.addLong(hint.location()));
    }

    @Override
    public String roleName()
    {
        return "rfs-handoff";
    }

    /**
     * Forces the delivered markers of the last duty cycle, gives up on requests whose outcome is overdue, and sends
     * what is due.
     *
     * @return requests sent plus outcomes handled.
     */
    @Override
    public int doWork()
    {
        try
        {
            hints.force();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
        final long nowNs = clock.nanoTime();
        return expireOverdue(nowNs) + sendDue(nowNs);
    }

    /**
     * @return hints not yet delivered.
     */
    public int pendingHints()
    {
        return hints.pendingCount();
    }

    /**
     * @return handoff requests in flight.
     */
    public int inFlight()
    {
        return inFlight.size();
    }

    /**
     * How a handoff request ended; called by the {@link StorageAgent} for each
     * {@link StorageCommandDescriptor#TYPE_OUTBOUND_OUTCOME} record.
     *
     * @param location the hint's location, the request's tag.
     * @param outcome  a {@link Status} code, or one of {@link OutboundRequests}' negative outcomes.
     */
    void onOutcome(final long location, final int outcome)
    {
        final long nowNs = clock.nanoTime();
        final boolean wasInFlight = inFlight.remove(location) != NONE;
        final Hint hint = hints.get(location);
        if (hint == null)
        {
            return;
        }
        final Target target = target(hint.target());
        if (wasInFlight)
        {
            target.inFlight--;
        }
        if (outcome == Status.OK.code() || outcome == Status.ALREADY_HAD.code())
        {
            delivered(hint, target, nowNs);
            return;
        }
        if (outcome == Status.CORRUPT.code())
        {
            counters.increment(NodeCounter.HANDOFF_CORRUPT);
            notBefore.put(location, nowNs + retryIntervalNs);
        }
        else
        {
            counters.increment(NodeCounter.HANDOFF_FAILURES);
            if (nowNs - target.nextAttemptNs >= 0)
            {
                // Requests in flight together fail together: one outage is one failure, not one per request.
                target.failures++;
                target.nextAttemptNs = nowNs + (retryIntervalNs << Math.min(target.failures - 1, MAX_BACKOFF_SHIFT));
            }
        }
        if (wasInFlight)
        {
            target.queue.addLong(location);
        }
    }

    private void delivered(final Hint hint, final Target target, final long nowNs)
    {
        try
        {
            hints.markDelivered(hint.location());
            notBefore.remove(hint.location());
            counters.increment(NodeCounter.HINTS_DELIVERED);
            counters.set(NodeCounter.HINTS_PENDING, hints.pendingCount());
            target.failures = 0;
            target.nextAttemptNs = nowNs;
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            notBefore.put(hint.location(), nowNs + retryIntervalNs);
            target.queue.addLong(hint.location());
        }
    }

    private int expireOverdue(final long nowNs)
    {
        if (inFlight.isEmpty())
        {
            return 0;
        }
        expired.clear();
        final Long2LongHashMap.EntryIterator entries = inFlight.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            if (nowNs - entries.getLongValue() >= 0)
            {
                expired.addLong(entries.getLongKey());
            }
        }
        for (int i = 0; i < expired.size(); i++)
        {
            onOutcome(expired.getLong(i), OutboundRequests.OUTCOME_TIMEOUT);
        }
        return expired.size();
    }

    private int sendDue(final long nowNs)
    {
        final int count = targetOrder.size();
        int sent = 0;
        for (int i = 0; i < count && inFlight.size() < maxInFlight; i++)
        {
            final Target target = targetOrder.get((cursor + i) % count);
            if (target.queue.isEmpty() || nowNs - target.nextAttemptNs < 0)
            {
                continue;
            }
            final int allowed = target.failures > 0 ? 1 : maxInFlight;
            for (int scanned = 0, size = target.queue.size();
                scanned < size && target.inFlight < allowed && inFlight.size() < maxInFlight; scanned++)
            {
                final long location = target.queue.pollLong();
                final Hint hint = hints.get(location);
                if (hint == null || inFlight.containsKey(location))
                {
                    continue;
                }
                final long waitUntil = notBefore.get(location);
                if (waitUntil != NONE && nowNs - waitUntil < 0)
                {
                    target.queue.addLong(location);
                    continue;
                }
                final int queued = queueRequest(hint);
                if (queued < 0)
                {
                    target.queue.addLong(location);
                    return sent;
                }
                if (queued == 0)
                {
                    counters.increment(NodeCounter.HANDOFF_UNREADABLE);
                    notBefore.put(location, nowNs + retryIntervalNs);
                    target.queue.addLong(location);
                    continue;
                }
                inFlight.put(location, nowNs + outcomeDeadlineNs);
                target.inFlight++;
                counters.increment(NodeCounter.HANDOFF_ATTEMPTS);
                sent++;
            }
        }
        cursor = count == 0 ? 0 : (cursor + 1) % count;
        return sent;
    }

    /**
     * @return 1 if queued, 0 if this node cannot read what the hint names, -1 if the results ring is full.
     */
    private int queueRequest(final Hint hint)
    {
        try
        {
            final boolean found = hint.isChunk() ?
                chunks.locate(hint.key(), record) : manifests.locateCurrent(hint.name(), record);
            if (!found)
            {
                return 0;
            }
        }
        catch (final CorruptChunkException | CorruptManifestException ex)
        {
            return 0;
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return 0;
        }
        final int storedLength = record.storedLength();
        final int fieldsLength = hint.isChunk() ?
            PutChunkRequestDescriptor.BLOCK_LENGTH : PutManifestRequestDescriptor.BLOCK_LENGTH;
        if (fieldsLength + storedLength > maxMessageLength)
        {
            return 0;
        }
        final int type = hint.isChunk() ? MessageTypes.PUT_CHUNK_REQUEST : MessageTypes.PUT_MANIFEST_REQUEST;
        final int index = results.tryClaim(type, HEADER_LENGTH + fieldsLength);
        if (index < 0)
        {
            return -1;
        }
        final MutableDirectBuffer buffer = results.buffer();
        buffer.putInt(index + DESTINATION_OFFSET, hint.target());
        buffer.putInt(index + PAYLOAD_LENGTH_OFFSET, storedLength);
        buffer.putLong(index + CORRELATION_ID_OFFSET, hint.location());
        buffer.putLong(index + PAYLOAD_ADDRESS_OFFSET, record.payloadAddress());
        if (hint.isChunk())
        {
            putChunk.wrap(buffer, index + FIELDS_OFFSET).chunkId(hint.key()).rawLength(record.rawLength())
                .compressed(record.isCompressed()).payloadLength(storedLength);
        }
        else
        {
            putManifest.wrap(buffer, index + FIELDS_OFFSET).manifestLength(storedLength);
        }
        results.commit(index);
        return 1;
    }

    private Target target(final int id)
    {
        Target target = targets.get(id);
        if (target == null)
        {
            target = new Target();
            targets.put(id, target);
            targetOrder.add(target);
        }
        return target;
    }

    /**
     * One owner's hints waiting to be sent, and its back-off.
     */
    private static final class Target
    {
        final LongArrayQueue queue = new LongArrayQueue(NONE);
        long nextAttemptNs = Long.MIN_VALUE / 2;
        int failures;
        int inFlight;
    }
}
