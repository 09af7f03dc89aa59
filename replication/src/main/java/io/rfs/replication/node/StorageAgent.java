package io.rfs.replication.node;

import io.rfs.replication.protocol.ChunkBitmapDescriptor;
import io.rfs.replication.protocol.ChunkBitmapEncoder;
import io.rfs.replication.protocol.DropChunksRequestDecoder;
import io.rfs.replication.protocol.DropChunksRequestDescriptor;
import io.rfs.replication.protocol.DropManifestsRequestDecoder;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorDescriptor;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.GetChunkRequestDecoder;
import io.rfs.replication.protocol.GetChunkResponseDescriptor;
import io.rfs.replication.protocol.GetChunkResponseEncoder;
import io.rfs.replication.protocol.GetManifestRequestDecoder;
import io.rfs.replication.protocol.GetManifestResponseDescriptor;
import io.rfs.replication.protocol.GetManifestResponseEncoder;
import io.rfs.replication.protocol.HasChunksRequestDecoder;
import io.rfs.replication.protocol.ListManifestsRequestDecoder;
import io.rfs.replication.protocol.ListManifestsResponseEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestDecoder;
import io.rfs.replication.protocol.PutChunkRequestDescriptor;
import io.rfs.replication.protocol.PutChunkResponseDescriptor;
import io.rfs.replication.protocol.PutChunkResponseEncoder;
import io.rfs.replication.protocol.PutManifestRequestDecoder;
import io.rfs.replication.protocol.PutManifestRequestDescriptor;
import io.rfs.replication.protocol.PutManifestResponseDescriptor;
import io.rfs.replication.protocol.PutManifestResponseEncoder;
import io.rfs.replication.protocol.RangeDigestRequestDecoder;
import io.rfs.replication.protocol.RangeIdsRequestDecoder;
import io.rfs.replication.protocol.ReclaimCandidatesRequestDecoder;
import io.rfs.replication.protocol.RangeManifestsRequestDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.protocol.VerifyChunksRequestDecoder;
import io.rfs.replication.protocol.VerifyChunksResponseDescriptor;
import io.rfs.replication.protocol.VerifyChunksResponseEncoder;
import io.rfs.store.CorruptChunkException;
import io.rfs.store.DiskFullException;
import io.rfs.store.MissingChunkException;
import io.rfs.store.FileStat;
import io.rfs.replication.repair.ChunkTouches;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.StoredRecord;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.ManifestStore;
import io.rfs.store.manifest.Version;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import static io.rfs.replication.node.StorageResultDescriptor.*;
import static org.agrona.concurrent.ControlledMessageHandler.Action.ABORT;
import static org.agrona.concurrent.ControlledMessageHandler.Action.CONTINUE;

/**
 * The disk side of a node: takes the requests the {@link NodeAgent} queued (see {@link StorageCommandDescriptor}),
 * does their store work, and queues one result for each ({@link StorageResultDescriptor}).
 * <p>
 * <b>Group commit</b> (DESIGN.md principle 4). In one duty cycle the agent takes every write waiting, up to
 * {@code storage.batch.limit}: each chunk is verified (LZ4 decodes to its raw length, SHA-256 equals its id) and
 * appended, each manifest appended; then each log written to is forced once, the manifests are made current, and
 * only then are the acknowledgements queued. A force that fails answers the whole batch {@code ERROR} and puts the
 * agent in a failed state in which it answers everything with {@code Error INTERNAL}: after a failed
 * {@code fdatasync} nothing appended can be trusted to be on disk, and the node must be restarted (recovery checks
 * every record).
 * <p>
 * <b>Reads see only durable data.</b> A read (get chunk, has chunks, get manifest, list) queued behind writes waits
 * for their force: the agent stops the batch there and serves the read in the next duty cycle, so no answer ever
 * names a chunk or version that a crash could still take back.
 * <p>
 * <b>Back-pressure.</b> Acknowledgements that find the results ring full stay here and go first next time; until
 * they are out, no request is taken. The queue in front of this agent is bounded, so a slow disk shows up at the
 * network agent as {@code Error OVERLOADED}, never as memory growth.
 * <p>
 * <b>Hinted writes.</b> A put hinted for another node (sloppy quorum) is stored as usual and a hint appended to the
 * {@link HintStore} in the same batch; the group commit forces the hint log too, so the acknowledgement, with
 * {@code HINT_RECORDED}, comes only once both are durable. With {@code handoff.max.hints} pending, a hinted put for
 * a new hint is answered {@code HINTS_FULL} and nothing is stored. A put hinted for this node itself is a plain put.
 * Outcomes of the {@link HintedHandoffAgent}'s requests come back through the storage queue and are handed to it.
 * <p>
 * <b>Threads.</b> Single writer: only the thread running this agent touches it and the {@link NodeStore}; the
 * {@link HintedHandoffAgent} runs on the same thread.
 */
public final class StorageAgent implements Agent
{
    private final ChunkStore chunks;
    private final ManifestStore manifests;
    private final HintStore hints;
    private final HintedHandoffAgent handoff;
    private final int nodeId;
    private final RingBuffer commands;
    private final RingBuffer results;
    private final NodeCounters counters;
    private final ErrorHandler errorHandler;
    private final int batchLimit;
    private volatile long chunkReadDelayNs;
    private final int maxMessageLength;
    private final int maxInlineLength;
    private final PendingWrites writes;
    private final ReceivedChunkVerifier verifier = new ReceivedChunkVerifier();
    private final ManifestListing listing;
    private final RangeQueries ranges;
    private final RangeDigestRequestDecoder rangeDigestRequest = new RangeDigestRequestDecoder();
    private final RangeIdsRequestDecoder rangeIdsRequest = new RangeIdsRequestDecoder();
    private final ChunkTouches touches;
    private final ReclaimQueries reclaims;
    private final ReclaimCandidatesRequestDecoder reclaimCandidatesRequest = new ReclaimCandidatesRequestDecoder();
    private final RangeManifestsRequestDecoder rangeManifestsRequest = new RangeManifestsRequestDecoder();
    private final StoredRecord record = new StoredRecord();
    private final ManifestDecoder manifestDecoder = new ManifestDecoder();
    private final PutChunkRequestDecoder putChunkRequest = new PutChunkRequestDecoder();
    private final GetChunkRequestDecoder getChunkRequest = new GetChunkRequestDecoder();
    private final HasChunksRequestDecoder hasChunksRequest = new HasChunksRequestDecoder();
    private final VerifyChunksRequestDecoder verifyChunksRequest = new VerifyChunksRequestDecoder();
    private final VerifyChunksResponseEncoder verifyChunksResponse = new VerifyChunksResponseEncoder();
    private final PutManifestRequestDecoder putManifestRequest = new PutManifestRequestDecoder();
    private final GetManifestRequestDecoder getManifestRequest = new GetManifestRequestDecoder();
    private final ListManifestsRequestDecoder listManifestsRequest = new ListManifestsRequestDecoder();
    private final PutChunkResponseEncoder putChunkResponse = new PutChunkResponseEncoder();
    private final GetChunkResponseEncoder getChunkResponse = new GetChunkResponseEncoder();
    private final ChunkBitmapEncoder hasChunksResponse = new ChunkBitmapEncoder(MessageTypes.HAS_CHUNKS_RESPONSE);
    private final DropChunksRequestDecoder dropChunksRequest = new DropChunksRequestDecoder();
    private final ChunkBitmapEncoder dropChunksResponse = new ChunkBitmapEncoder(MessageTypes.DROP_CHUNKS_RESPONSE);
    private final List<ChunkId> toDrop = new ArrayList<>();
    private final IntArrayList dropPositions = new IntArrayList();
    private final boolean[] dropped = new boolean[DropChunksRequestDescriptor.MAX_COUNT];
    private final DropManifestsRequestDecoder dropManifestsRequest = new DropManifestsRequestDecoder();
    private final ChunkBitmapEncoder dropManifestsResponse =
        new ChunkBitmapEncoder(MessageTypes.DROP_MANIFESTS_RESPONSE);
    private final List<String> namesToDrop = new ArrayList<>();
    private final List<Version> versionsToDrop = new ArrayList<>();
    private final PutManifestResponseEncoder putManifestResponse = new PutManifestResponseEncoder();
    private final GetManifestResponseEncoder getManifestResponse = new GetManifestResponseEncoder();
    private final ListManifestsResponseEncoder listManifestsResponse = new ListManifestsResponseEncoder();
    private final ErrorEncoder errorResponse = new ErrorEncoder();
    private final UnsafeBuffer errorScratch =
        new UnsafeBuffer(new byte[ErrorDescriptor.BLOCK_LENGTH + ErrorDescriptor.MAX_TEXT_LENGTH]);
    private final ControlledMessageHandler commandHandler = this::onCommand;
    private byte[] rawChunk = new byte[0];
    private String failure;
    private final NanoClock clock;
    private long serviceTimeEwmaNs;

    StorageAgent(
        final NodeContext context,
        final NodeStore store,
        final RingBuffer commands,
        final RingBuffer results,
        final int maxMessageLength,
        final NodeCounters counters,
        final HintedHandoffAgent handoff,
        final RangeQueries ranges,
        final ChunkTouches touches)
    {
        this.ranges = ranges;
        this.touches = touches;
        this.reclaims = new ReclaimQueries(store.chunks(), touches, context.nanoClock());
        this.chunks = store.chunks();
        this.manifests = store.manifests();
        this.hints = store.hints();
        this.handoff = handoff;
        this.nodeId = context.nodeId();
        this.commands = commands;
        this.results = results;
        this.counters = counters;
        this.errorHandler = context.errorHandler();
        this.batchLimit = context.storageBatchLimit();
        this.chunkReadDelayNs = context.storageChunkReadDelayNs();
        this.maxMessageLength = maxMessageLength;
        this.maxInlineLength = Math.min(maxMessageLength, results.maxMsgLength() - HEADER_LENGTH);
        this.writes = new PendingWrites(batchLimit);
        this.listing = new ManifestListing(manifests, context.listMaxEntries());
        this.clock = context.nanoClock();
    }

    @Override
    public String roleName()
    {
        return "rfs-storage";
    }

    /**
     * Sends what the last batch left unsent, then takes one batch of requests and, if it holds writes, commits it.
     *
     * @return requests taken plus results queued.
     */
    @Override
    public int doWork()
    {
        int work = queueAcknowledgements();
        if (writes.hasUnsent())
        {
            return work;
        }
        writes.clear();
        final long startNs = clock.nanoTime();
        final int taken = commands.controlledRead(commandHandler, batchLimit);
        work += taken;
        if (writes.size() > 0)
        {
            commit();
            work += queueAcknowledgements();
        }
        if (taken > 0)
        {
            // An eighth of each batch's time: a slow force or a long read shows within a few batches.
            final long elapsedNs = clock.nanoTime() - startNs;
            serviceTimeEwmaNs += (elapsedNs - serviceTimeEwmaNs) >> 3;
        }
        return work;
    }

    /**
     * @return the average time a batch of requests took (an exponentially weighted moving average, one eighth per
     * batch): how long the node's own request handling takes now, which the {@link NodeScrubber} backs off from.
     */
    public long serviceTimeEwmaNs()
    {
        return serviceTimeEwmaNs;
    }

    /**
     * @return why the agent stopped writing, or null while it is healthy.
     */
    public String failure()
    {
        return failure;
    }

    private ControlledMessageHandler.Action onCommand(
        final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int source = buffer.getInt(index + StorageCommandDescriptor.SOURCE_OFFSET);
        final long correlationId = buffer.getLong(index + StorageCommandDescriptor.CORRELATION_ID_OFFSET);
        final int bodyOffset = index + StorageCommandDescriptor.BODY_OFFSET;
        final int bodyLength = length - StorageCommandDescriptor.HEADER_LENGTH;
        if (type == StorageCommandDescriptor.TYPE_OUTBOUND_OUTCOME)
        {
            handoff.onOutcome(correlationId, buffer.getInt(bodyOffset));
            return CONTINUE;
        }
        if (failure != null)
        {
            return queueError(source, correlationId, type, "storage failed, restart the node: " + failure) ?
                CONTINUE : ABORT;
        }
        if (type == MessageTypes.PUT_CHUNK_REQUEST || type == MessageTypes.PUT_MANIFEST_REQUEST)
        {
            if (writes.isFull())
            {
                return ABORT;
            }
            if (type == MessageTypes.PUT_CHUNK_REQUEST)
            {
                onPutChunk(source, correlationId, buffer, bodyOffset, bodyLength);
            }
            else
            {
                onPutManifest(source, correlationId, buffer, bodyOffset, bodyLength);
            }
            return CONTINUE;
        }
        if (writes.size() > 0)
        {
            return ABORT;
        }
        try
        {
            return onRead(type, source, correlationId, buffer, bodyOffset, bodyLength) ? CONTINUE : ABORT;
        }
        catch (final IOException | RuntimeException ex)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            errorHandler.onError(ex);
            return queueError(source, correlationId, type, "storage error: " + ex.getMessage()) ? CONTINUE : ABORT;
        }
    }

    private void onPutChunk(
        final int source, final long correlationId, final MutableDirectBuffer buffer, final int offset,
        final int length)
    {
        final int slot = writes.add(MessageTypes.PUT_CHUNK_RESPONSE, source, correlationId);
        try
        {
            putChunkRequest.wrap(buffer, offset, length);
            writes.chunkId(slot, buffer, putChunkRequest.chunkIdOffset());
            final ChunkId id = putChunkRequest.chunkId();
            final int hintedFor = putChunkRequest.hintedFor() == nodeId ?
                PutChunkRequestDescriptor.NOT_HINTED : putChunkRequest.hintedFor();
            if (hintedFor != PutChunkRequestDescriptor.NOT_HINTED && hints.isFull() &&
                !hints.containsChunk(hintedFor, id))
            {
                counters.increment(NodeCounter.HINTS_REFUSED_FULL);
                writes.status(slot, Status.HINTS_FULL);
                return;
            }
            if (chunks.contains(id))
            {
                // A new file may reference a chunk no manifest references yet: its reclaim must wait again.
                touches.touch(id, clock.nanoTime());
                counters.increment(NodeCounter.CHUNKS_ALREADY_HELD);
                writes.status(slot, Status.ALREADY_HAD);
            }
            else if (verifier.verify(putChunkRequest, id) != null)
            {
                counters.increment(NodeCounter.CORRUPT_CHUNKS_REFUSED);
                writes.status(slot, Status.CORRUPT);
                return;
            }
            else
            {
                final boolean written = chunks.putStored(id, putChunkRequest.rawLength(),
                    putChunkRequest.isCompressed(), verifier.payload(), 0, putChunkRequest.payloadLength());
                touches.touch(id, clock.nanoTime());
                writes.chunkAppended();
                counters.increment(written ? NodeCounter.CHUNKS_WRITTEN : NodeCounter.CHUNKS_ALREADY_HELD);
                writes.status(slot, written ? Status.OK : Status.ALREADY_HAD);
            }
            if (hintedFor != PutChunkRequestDescriptor.NOT_HINTED)
            {
                final int pendingBefore = hints.pendingCount();
                hints.addChunk(hintedFor, id);
                recordHint(slot, pendingBefore);
            }
        }
        catch (final DiskFullException ex)
        {
            counters.increment(NodeCounter.DISK_FULL);
            writes.status(slot, Status.DISK_FULL);
        }
        catch (final IOException | RuntimeException ex)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            errorHandler.onError(ex);
            writes.status(slot, Status.ERROR);
        }
    }

    private void onPutManifest(
        final int source, final long correlationId, final MutableDirectBuffer buffer, final int offset,
        final int length)
    {
        final int slot = writes.add(MessageTypes.PUT_MANIFEST_RESPONSE, source, correlationId);
        try
        {
            putManifestRequest.wrap(buffer, offset, length).manifest(manifestDecoder);
            final int hintedFor = putManifestRequest.hintedFor() == nodeId ?
                PutManifestRequestDescriptor.NOT_HINTED : putManifestRequest.hintedFor();
            if (hintedFor != PutManifestRequestDescriptor.NOT_HINTED && hints.isFull() &&
                !hints.containsManifest(hintedFor, manifestDecoder.name()))
            {
                counters.increment(NodeCounter.HINTS_REFUSED_FULL);
                writes.status(slot, Status.HINTS_FULL);
                return;
            }
            final long location = manifests.append(manifestDecoder);
            final String name = manifestDecoder.name();
            if (hintedFor != PutManifestRequestDescriptor.NOT_HINTED)
            {
                final int pendingBefore = hints.pendingCount();
                hints.addManifest(hintedFor, name, manifestDecoder.versionTimestamp(), manifestDecoder.versionNodeId());
                recordHint(slot, pendingBefore);
            }
            writes.manifestAppended(slot, location, name);
        }
        catch (final DiskFullException ex)
        {
            counters.increment(NodeCounter.DISK_FULL);
            writes.status(slot, Status.DISK_FULL);
        }
        catch (final IOException | RuntimeException ex)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            errorHandler.onError(ex);
            writes.status(slot, Status.ERROR);
        }
    }

    /**
     * Marks the slot's acknowledgement {@code HINT_RECORDED}; counts the hint if it is a new one (not a repeat).
     */
    private void recordHint(final int slot, final int pendingBefore)
    {
        writes.hintRecorded(slot);
        if (hints.pendingCount() > pendingBefore)
        {
            counters.increment(NodeCounter.HINTS_STORED);
            counters.set(NodeCounter.HINTS_PENDING, hints.pendingCount());
        }
    }

    /**
     * Forces what the batch appended, one force per log, then makes its manifests current.
     */
    private void commit()
    {
        try
        {
            if (writes.chunksAppended())
            {
                chunks.force();
            }
            if (writes.manifestsAppended())
            {
                manifests.force();
            }
            hints.force();
            counters.increment(NodeCounter.GROUP_COMMITS);
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = "force failed: " + ex.getMessage();
            counters.increment(NodeCounter.STORAGE_ERRORS);
            errorHandler.onError(ex);
            writes.failAll();
            return;
        }
        for (int slot = 0; slot < writes.size(); slot++)
        {
            final long location = writes.manifestLocation(slot);
            if (location >= 0)
            {
                publish(slot, location);
            }
        }
    }

    private void publish(final int slot, final long location)
    {
        try
        {
            final boolean current = manifests.publish(location);
            final FileStat stat = manifests.stat(writes.manifestName(slot));
            writes.currentVersion(slot, stat.version().timestamp(), stat.version().nodeId());
            writes.status(slot, current ? Status.OK : Status.ALREADY_HAD);
            counters.increment(NodeCounter.MANIFESTS_WRITTEN);
        }
        catch (final CorruptManifestException | RuntimeException ex)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            errorHandler.onError(ex);
            writes.status(slot, Status.ERROR);
        }
    }

    private int queueAcknowledgements()
    {
        int queued = 0;
        while (writes.hasUnsent())
        {
            final int slot = writes.nextUnsent();
            final int type = writes.responseType(slot);
            final int fieldsLength = type == MessageTypes.PUT_CHUNK_RESPONSE ?
                PutChunkResponseDescriptor.BLOCK_LENGTH : PutManifestResponseDescriptor.BLOCK_LENGTH;
            final int index = claim(type, writes.destination(slot), writes.correlationId(slot), fieldsLength);
            if (index < 0)
            {
                break;
            }
            final MutableDirectBuffer buffer = results.buffer();
            if (type == MessageTypes.PUT_CHUNK_RESPONSE)
            {
                putChunkResponse.wrap(buffer, index + FIELDS_OFFSET)
                    .chunkId(writes.chunkIds(), writes.chunkIdOffset(slot))
                    .status(writes.status(slot))
                    .hintRecorded(writes.isHintRecorded(slot));
            }
            else
            {
                putManifestResponse.wrap(buffer, index + FIELDS_OFFSET)
                    .status(writes.status(slot))
                    .hintRecorded(writes.isHintRecorded(slot))
                    .currentVersion(writes.versionTimestamp(slot), writes.versionNodeId(slot));
            }
            results.commit(index);
            writes.markSent();
            queued++;
        }
        return queued;
    }

    /**
     * Changes {@code storage.chunk.read.delay} while the node runs, so that a benchmark can slow one node down and
     * restore it without a restart. Any thread may call it: the only setting read across threads, hence volatile.
     *
     * @param delayNs how long to wait before each chunk read from now on, 0 to
     *                {@link NodeContext#MAX_STORAGE_CHUNK_READ_DELAY_NS}.
     * @throws IllegalArgumentException if out of that range.
     */
    public void chunkReadDelayNs(final long delayNs)
    {
        if (delayNs < 0 || delayNs > NodeContext.MAX_STORAGE_CHUNK_READ_DELAY_NS)
        {
            throw new IllegalArgumentException("chunkReadDelayNs=" + delayNs + " must be 0..1s");
        }
        chunkReadDelayNs = delayNs;
    }

    /**
     * @return how long each chunk read waits, 0 for not at all.
     */
    public long chunkReadDelayNs()
    {
        return chunkReadDelayNs;
    }

    /**
     * Holds this thread for {@code storage.chunk.read.delay} of real time before a chunk read, as a slow disk would:
     * the test and benchmark knob that makes one node the slow replica. Only chunk reads wait: those are the requests
     * a client's balancer sends to one replica of its choice, whereas every owner gets each quorum manifest read, and
     * delaying those would grow the node's queue without bound under load. The injected clock is not used: a stepped
     * clock would not slow anything.
     */
    private void slowDown()
    {
        final long delayNs = chunkReadDelayNs;
        if (delayNs > 0)
        {
            final long deadlineNs = System.nanoTime() + delayNs;
            for (long leftNs = delayNs; leftNs > 0; leftNs = deadlineNs - System.nanoTime())
            {
                LockSupport.parkNanos(leftNs);
            }
        }
    }

    /**
     * @return false if the results ring had no room: the request stays queued and is served again.
     */
    private boolean onRead(
        final int type, final int source, final long correlationId, final MutableDirectBuffer buffer,
        final int offset, final int length) throws IOException
    {
        switch (type)
        {
            case MessageTypes.GET_CHUNK_REQUEST:
                return onGetChunk(source, correlationId, getChunkRequest.wrap(buffer, offset, length));
            case MessageTypes.HAS_CHUNKS_REQUEST:
                return onHasChunks(source, correlationId, hasChunksRequest.wrap(buffer, offset, length));
            case MessageTypes.VERIFY_CHUNKS_REQUEST:
                return onVerifyChunks(source, correlationId, verifyChunksRequest.wrap(buffer, offset, length));
            case MessageTypes.GET_MANIFEST_REQUEST:
                return onGetManifest(source, correlationId, getManifestRequest.wrap(buffer, offset, length));
            case MessageTypes.LIST_MANIFESTS_REQUEST:
                return onListManifests(source, correlationId, listManifestsRequest.wrap(buffer, offset, length));
            case MessageTypes.RANGE_DIGEST_REQUEST:
                return onRangeDigests(source, correlationId, rangeDigestRequest.wrap(buffer, offset, length));
            case MessageTypes.RANGE_IDS_REQUEST:
                return onRangeIds(source, correlationId, rangeIdsRequest.wrap(buffer, offset, length));
            case MessageTypes.RECLAIM_CANDIDATES_REQUEST:
                return onReclaimCandidates(
                    source, correlationId, reclaimCandidatesRequest.wrap(buffer, offset, length));
            case MessageTypes.DROP_CHUNKS_REQUEST:
                return onDropChunks(source, correlationId, dropChunksRequest.wrap(buffer, offset, length));
            case MessageTypes.DROP_MANIFESTS_REQUEST:
                return onDropManifests(source, correlationId, dropManifestsRequest.wrap(buffer, offset, length));
            case MessageTypes.RANGE_MANIFESTS_REQUEST:
                return onRangeManifests(source, correlationId, rangeManifestsRequest.wrap(buffer, offset, length));
            default:
                counters.increment(NodeCounter.STORAGE_ERRORS);
                return queueError(source, correlationId, type, "the storage agent does not serve this type");
        }
    }

    private boolean onGetChunk(final int source, final long correlationId, final GetChunkRequestDecoder request)
        throws IOException
    {
        slowDown();
        final ChunkId id = request.chunkId();
        Status status = Status.NOT_FOUND;
        try
        {
            if ((!request.verify() || verifyHeld(id, NodeCounter.CHUNKS_VERIFIED_FOR_COPY)) && chunks.locate(id, record))
            {
                status = Status.OK;
            }
        }
        catch (final CorruptChunkException ex)
        {
            counters.increment(NodeCounter.CORRUPT_RECORDS_FOUND);
            status = Status.CORRUPT;
        }
        if (status != Status.OK)
        {
            final int index = claim(
                MessageTypes.GET_CHUNK_RESPONSE, source, correlationId, GetChunkResponseDescriptor.BLOCK_LENGTH);
            if (index < 0)
            {
                return false;
            }
            getChunkResponse.wrap(results.buffer(), index + FIELDS_OFFSET)
                .chunkId(request.buffer(), request.chunkIdOffset()).status(status);
            results.commit(index);
            return true;
        }
        if (!record.isCompressed() || request.acceptsCompressed())
        {
            return queueStoredChunk(source, correlationId, request);
        }
        return queueDecompressedChunk(source, correlationId, request, id);
    }

    /**
     * For a requester that asked for {@code VERIFY} (a repair copy): decompresses and hashes the held copy, which
     * quarantines it if it fails.
     *
     * @return true if the chunk is held and sound, false if it is not held.
     * @throws CorruptChunkException if it failed; it is now quarantined.
     */
    private boolean verifyHeld(final ChunkId id, final NodeCounter verified) throws IOException
    {
        final int rawLength = chunks.rawLength(id);
        if (rawLength < 0)
        {
            return false;
        }
        if (rawChunk.length < rawLength)
        {
            rawChunk = new byte[rawLength];
        }
        try
        {
            chunks.read(id, rawChunk, verifier.codec());
            counters.increment(verified);
            return true;
        }
        catch (final MissingChunkException ex)
        {
            return false;
        }
    }

    /**
     * The chunk as stored, sent from its segment: only the fields go through the results ring.
     */
    private boolean queueStoredChunk(
        final int source, final long correlationId, final GetChunkRequestDecoder request)
    {
        final int storedLength = record.storedLength();
        if (GetChunkResponseDescriptor.BLOCK_LENGTH + storedLength > maxMessageLength)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            return queueError(source, correlationId, MessageTypes.GET_CHUNK_REQUEST, "chunk of " + storedLength +
                " stored bytes exceeds the transport's largest message, " + maxMessageLength);
        }
        final int index = claim(
            MessageTypes.GET_CHUNK_RESPONSE, source, correlationId, GetChunkResponseDescriptor.BLOCK_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = results.buffer();
        getChunkResponse.wrap(buffer, index + FIELDS_OFFSET)
            .chunkId(request.buffer(), request.chunkIdOffset())
            .status(Status.OK)
            .rawLength(record.rawLength())
            .compressed(record.isCompressed())
            .payloadLength(storedLength);
        buffer.putInt(index + PAYLOAD_LENGTH_OFFSET, storedLength);
        buffer.putLong(index + PAYLOAD_ADDRESS_OFFSET, record.payloadAddress());
        results.commit(index);
        return true;
    }

    /**
     * The slow path for a requester that does not accept LZ4: decompress (verified, as {@code ChunkStore.read}
     * does) and copy the raw bytes into the result.
     */
    private boolean queueDecompressedChunk(
        final int source, final long correlationId, final GetChunkRequestDecoder request, final ChunkId id)
        throws IOException
    {
        final int rawLength = record.rawLength();
        final int fieldsLength = GetChunkResponseDescriptor.BLOCK_LENGTH + rawLength;
        if (fieldsLength > maxInlineLength)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            return queueError(source, correlationId, MessageTypes.GET_CHUNK_REQUEST, "chunk of " + rawLength +
                " bytes is too large to send uncompressed (at most " + maxInlineLength + "); accept compressed");
        }
        if (rawChunk.length < rawLength)
        {
            rawChunk = new byte[rawLength];
        }
        Status status = Status.OK;
        try
        {
            chunks.read(id, rawChunk, verifier.codec());
        }
        catch (final CorruptChunkException ex)
        {
            counters.increment(NodeCounter.CORRUPT_RECORDS_FOUND);
            status = Status.CORRUPT;
        }
        final int index = claim(MessageTypes.GET_CHUNK_RESPONSE, source, correlationId,
            status == Status.OK ? fieldsLength : GetChunkResponseDescriptor.BLOCK_LENGTH);
        if (index < 0)
        {
            return false;
        }
        getChunkResponse.wrap(results.buffer(), index + FIELDS_OFFSET)
            .chunkId(request.buffer(), request.chunkIdOffset())
            .status(status);
        if (status == Status.OK)
        {
            getChunkResponse.rawLength(rawLength).compressed(false);
            results.buffer().putBytes(
                index + FIELDS_OFFSET + GetChunkResponseDescriptor.PAYLOAD_OFFSET, rawChunk, 0, rawLength);
            getChunkResponse.payloadLength(rawLength);
        }
        results.commit(index);
        return true;
    }

    private boolean onHasChunks(
        final int source, final long correlationId, final HasChunksRequestDecoder request)
    {
        final int count = request.count();
        final int index = claim(
            MessageTypes.HAS_CHUNKS_RESPONSE, source, correlationId, ChunkBitmapDescriptor.encodedLength(count));
        if (index < 0)
        {
            return false;
        }
        hasChunksResponse.wrap(results.buffer(), index + FIELDS_OFFSET, count);
        for (int i = 0; i < count; i++)
        {
            hasChunksResponse.set(i, chunks.contains(ChunkId.read(request.buffer(), request.chunkIdOffset(i))));
        }
        results.commit(index);
        return true;
    }

    /**
     * Drops the chunks ordered (the network agent checked that the order is the leader's), forced once per segment
     * touched before the answer is queued. A chunk this node keeps a pending hint for stays: the handoff reads it
     * from here, and the leader asks again in a later round. The result is claimed first, so a full results ring never makes the work
     * be done twice; a failed force gives the claim back and answers an error.
     */
    private boolean onDropChunks(
        final int source, final long correlationId, final DropChunksRequestDecoder request) throws IOException
    {
        final int count = request.count();
        final int index = claim(
            MessageTypes.DROP_CHUNKS_RESPONSE, source, correlationId, ChunkBitmapDescriptor.encodedLength(count));
        if (index < 0)
        {
            return false;
        }
        toDrop.clear();
        dropPositions.clear();
        for (int i = 0; i < count; i++)
        {
            final ChunkId id = request.chunkId(i);
            // The reclaim's order: a put since the listing may be a new file deduplicating against this chunk.
            if (request.hasUntouchedSince() &&
                !touches.isUntouchedSince(id, request.untouchedSinceNs(), request.clockInstance()))
            {
                counters.increment(NodeCounter.RECLAIM_KEPT_TOUCHED);
                continue;
            }
            if (!hints.containsChunk(id))
            {
                toDrop.add(id);
                dropPositions.addInt(i);
            }
        }
        final int droppedCount;
        try
        {
            droppedCount = toDrop.isEmpty() ? 0 : chunks.drop(toDrop, dropped);
        }
        catch (final IOException | RuntimeException ex)
        {
            results.abort(index);
            throw ex;
        }
        dropChunksResponse.wrap(results.buffer(), index + FIELDS_OFFSET, count);
        for (int i = 0; i < toDrop.size(); i++)
        {
            dropChunksResponse.set(dropPositions.getInt(i), dropped[i]);
            if (dropped[i])
            {
                touches.forget(toDrop.get(i));
            }
        }
        results.commit(index);
        counters.add(NodeCounter.CHUNKS_DROPPED, droppedCount);
        return true;
    }

    /**
     * Carries out a leader's {@code DropManifestsRequest} (its term and sender checked by the network agent): drops
     * each name held at the version given or an older one, every version of it, forced before the answer is queued
     * ({@link io.rfs.store.manifest.ManifestStore#drop}); a name held at a newer version (written since the leader's
     * listing) is kept. A name this node keeps a pending hint for stays, as for chunks. Claimed first, as for
     * {@link #onDropChunks}.
     */
    private boolean onDropManifests(
        final int source, final long correlationId, final DropManifestsRequestDecoder request) throws IOException
    {
        final int count = request.count();
        final int index = claim(
            MessageTypes.DROP_MANIFESTS_RESPONSE, source, correlationId, ChunkBitmapDescriptor.encodedLength(count));
        if (index < 0)
        {
            return false;
        }
        namesToDrop.clear();
        versionsToDrop.clear();
        dropPositions.clear();
        for (int i = 0; i < count; i++)
        {
            final String name = request.name(i);
            if (!hints.containsManifest(name))
            {
                namesToDrop.add(name);
                versionsToDrop.add(request.upTo(i));
                dropPositions.addInt(i);
            }
        }
        final int droppedCount;
        try
        {
            droppedCount = namesToDrop.isEmpty() ? 0 : manifests.drop(namesToDrop, versionsToDrop, dropped);
        }
        catch (final IOException | RuntimeException ex)
        {
            results.abort(index);
            throw ex;
        }
        dropManifestsResponse.wrap(results.buffer(), index + FIELDS_OFFSET, count);
        for (int i = 0; i < namesToDrop.size(); i++)
        {
            dropManifestsResponse.set(dropPositions.getInt(i), dropped[i]);
        }
        results.commit(index);
        counters.add(NodeCounter.MANIFESTS_DROPPED, droppedCount);
        return true;
    }

    /**
     * Re-hashes each chunk asked about ({@code rfs verify}); a copy that fails is quarantined, as for any verified
     * read. The result is claimed before any hashing, so a full results ring never makes the work be done twice.
     */
    private boolean onVerifyChunks(
        final int source, final long correlationId, final VerifyChunksRequestDecoder request) throws IOException
    {
        final int count = request.count();
        final int index = claim(MessageTypes.VERIFY_CHUNKS_RESPONSE, source, correlationId,
            VerifyChunksResponseDescriptor.encodedLength(count));
        if (index < 0)
        {
            return false;
        }
        verifyChunksResponse.wrap(results.buffer(), index + FIELDS_OFFSET, count);
        for (int i = 0; i < count; i++)
        {
            final ChunkId id = request.chunkId(i);
            int state = VerifyChunksResponseDescriptor.STATE_MISSING;
            if (request.presenceOnly())
            {
                state = chunks.contains(id) ? VerifyChunksResponseDescriptor.STATE_HELD : state;
            }
            else
            {
                try
                {
                    state = verifyHeld(id, NodeCounter.CHUNKS_VERIFIED_ON_REQUEST) ? VerifyChunksResponseDescriptor.STATE_HEALTHY : state;
                }
                catch (final CorruptChunkException ex)
                {
                    counters.increment(NodeCounter.CORRUPT_RECORDS_FOUND);
                    state = VerifyChunksResponseDescriptor.STATE_CORRUPT;
                }
            }
            verifyChunksResponse.state(i, state);
        }
        results.commit(index);
        return true;
    }

    private boolean onGetManifest(
        final int source, final long correlationId, final GetManifestRequestDecoder request)
    {
        Status status = Status.NOT_FOUND;
        try
        {
            if (manifests.locateCurrent(request.name(), record))
            {
                status = Status.OK;
            }
        }
        catch (final CorruptManifestException ex)
        {
            counters.increment(NodeCounter.CORRUPT_RECORDS_FOUND);
            status = Status.CORRUPT;
        }
        final int storedLength = status == Status.OK ? record.storedLength() : 0;
        if (GetManifestResponseDescriptor.BLOCK_LENGTH + storedLength > maxMessageLength)
        {
            counters.increment(NodeCounter.STORAGE_ERRORS);
            return queueError(source, correlationId, MessageTypes.GET_MANIFEST_REQUEST, "manifest of " +
                storedLength + " bytes exceeds the transport's largest message, " + maxMessageLength);
        }
        final int index = claim(
            MessageTypes.GET_MANIFEST_RESPONSE, source, correlationId, GetManifestResponseDescriptor.BLOCK_LENGTH);
        if (index < 0)
        {
            return false;
        }
        final MutableDirectBuffer buffer = results.buffer();
        getManifestResponse.wrap(buffer, index + FIELDS_OFFSET).status(status);
        if (status == Status.OK)
        {
            getManifestResponse.manifestLength(storedLength);
            buffer.putInt(index + PAYLOAD_LENGTH_OFFSET, storedLength);
            buffer.putLong(index + PAYLOAD_ADDRESS_OFFSET, record.payloadAddress());
        }
        results.commit(index);
        return true;
    }

    private boolean onListManifests(
        final int source, final long correlationId, final ListManifestsRequestDecoder request)
    {
        final int length = listing.prepare(request, maxInlineLength);
        final int index = claim(MessageTypes.LIST_MANIFESTS_RESPONSE, source, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        listing.encode(listManifestsResponse, results.buffer(), index + FIELDS_OFFSET);
        results.commit(index);
        return true;
    }

    private boolean onRangeDigests(
        final int source, final long correlationId, final RangeDigestRequestDecoder request)
    {
        final int length = ranges.prepareDigests(request);
        final int index = claim(MessageTypes.RANGE_DIGEST_RESPONSE, source, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        ranges.encodeDigests(results.buffer(), index + FIELDS_OFFSET);
        results.commit(index);
        return true;
    }

    private boolean onRangeIds(final int source, final long correlationId, final RangeIdsRequestDecoder request)
    {
        final int length = ranges.prepareIds(request, maxInlineLength);
        final int index = claim(MessageTypes.RANGE_IDS_RESPONSE, source, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        ranges.encodeIds(results.buffer(), index + FIELDS_OFFSET);
        results.commit(index);
        return true;
    }

    private boolean onReclaimCandidates(
        final int source, final long correlationId, final ReclaimCandidatesRequestDecoder request)
    {
        final int length = reclaims.prepare(request, maxInlineLength);
        final int index = claim(MessageTypes.RECLAIM_CANDIDATES_RESPONSE, source, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        reclaims.encode(results.buffer(), index + FIELDS_OFFSET);
        results.commit(index);
        return true;
    }

    private boolean onRangeManifests(
        final int source, final long correlationId, final RangeManifestsRequestDecoder request)
    {
        final int length = ranges.prepareManifests(request, maxInlineLength);
        final int index = claim(MessageTypes.RANGE_MANIFESTS_RESPONSE, source, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        ranges.encodeManifests(results.buffer(), index + FIELDS_OFFSET);
        results.commit(index);
        return true;
    }

    private boolean queueError(
        final int destination, final long correlationId, final int relatedType, final String text)
    {
        final int length = errorResponse.wrap(errorScratch, 0)
            .code(ErrorCode.INTERNAL)
            .relatedType(relatedType)
            .text(text)
            .encodedLength();
        final int index = claim(MessageTypes.ERROR, destination, correlationId, length);
        if (index < 0)
        {
            return false;
        }
        results.buffer().putBytes(index + FIELDS_OFFSET, errorScratch, 0, length);
        results.commit(index);
        return true;
    }

    /**
     * Claims a result record with no payload; the caller writes the fields and commits it.
     *
     * @return the record's index, or -1 if the ring is full.
     */
    private int claim(final int type, final int destination, final long correlationId, final int fieldsLength)
    {
        final int index = results.tryClaim(type, HEADER_LENGTH + fieldsLength);
        if (index < 0)
        {
            return -1;
        }
        final MutableDirectBuffer buffer = results.buffer();
        buffer.putInt(index + DESTINATION_OFFSET, destination);
        buffer.putInt(index + PAYLOAD_LENGTH_OFFSET, 0);
        buffer.putLong(index + StorageResultDescriptor.CORRELATION_ID_OFFSET, correlationId);
        buffer.putLong(index + PAYLOAD_ADDRESS_OFFSET, 0);
        return index;
    }
}
