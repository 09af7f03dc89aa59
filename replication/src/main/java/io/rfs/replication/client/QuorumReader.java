package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.protocol.GetChunkRequestDescriptor;
import io.rfs.replication.protocol.GetChunkRequestEncoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.GetManifestRequestEncoder;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.ListManifestsRequestEncoder;
import io.rfs.replication.protocol.ListManifestsResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutManifestRequestEncoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.ResponseListener;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import io.rfs.store.CorruptChunkException;
import io.rfs.store.MissingChunkException;
import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.CorruptManifestException;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client side of the read path (DESIGN.md section 5).
 * <ul>
 * <li><b>Manifests</b>, {@link #readManifest}: asks the N owners of the name (skipping those {@link NodeHealth} has
 * ejected, when the others can still make R), completes once R answered (an answer is a manifest or
 * {@code NOT_FOUND}) with the newest version among them, or fails once R can no longer be reached. The read then
 * waits for the other owners (up to {@link Context#repairWaitNs()}) and <i>read-repairs</i> every owner that answered
 * with an older version or none: it sends it the newest with {@code PutManifest}, counted by
 * {@link #readRepairs()}.</li>
 * <li><b>Chunks</b>, {@link #fetchChunk}: asks one replica at a time, picked by the {@link ReplicaBalancer} among
 * those not yet tried and up per {@link NodeHealth} (down ones only when nothing else is left), and falls over to
 * the next on {@code NOT_FOUND}, {@code CORRUPT}, an error, a malformed answer or a timeout, reporting the bad
 * replica to the {@link BadReplicaListener}. The payload is copied into the caller's array; the caller verifies it
 * (decompress, SHA-256) on a worker, off this thread, and on a mismatch calls {@link #reportBadReplica} and fetches
 * again, excluding the replicas it has tried.</li>
 * <li><b>Listings</b>, {@link #listManifests}: one page from one node.</li>
 * </ul>
 * <p>
 * <b>Shared transport.</b> Like the {@link QuorumWriter}, the reader never polls: the client's {@link ResponsePoller}
 * routes answers through the shared {@link PendingRequests}.
 * <p>
 * <b>Bounds.</b> At most {@link Context#maxReads()} manifest reads and {@link Context#maxFetches()} chunk fetches
 * are in flight; the submit methods return {@link #REFUSED} beyond that. Their state is preallocated.
 * <p>
 * <b>Threads.</b> Single writer: the client agent's thread calls every method.
 */
public final class QuorumReader implements Agent
{
    /** Returned by the submit methods when their bound is reached. Ids are positive. */
    public static final long REFUSED = -1;

    private static final int UNSENT = 0;
    private static final int SENT = 1;
    private static final int ANSWERED = 2;
    private static final int FAILED = 3;

    private final Ring ring;
    private final Transport transport;
    private final PendingRequests pending;
    private final NanoClock clock;
    private final long requestTimeoutNs;
    private final long offerTimeoutNs;
    private final long repairWaitNs;
    private final ConsistencyLevel consistencyLevel;
    private final ReplicaBalancer balancer;
    private final NodeHealth health;
    private final BadReplicaListener badReplicaListener;
    private final ManifestRead[] freeReads;
    private int freeReadCount;
    private final ManifestRead[] activeReads;
    private int activeReadCount;
    private final Fetch[] freeFetches;
    private int freeFetchCount;
    private final Fetch[] activeFetches;
    private int activeFetchCount;
    private long nextId = 1;
    private long readRepairs;
    private long readRepairsAcknowledged;
    private long badReplicaReports;
    /** Grows to the largest manifest sent in a read repair, as {@link QuorumWriter}'s. */
    private final ExpandableArrayBuffer sendBuffer =
        new ExpandableArrayBuffer(QuorumWriter.MANIFEST_BUFFER_INITIAL_LENGTH);
    private final GetManifestRequestEncoder manifestRequest = new GetManifestRequestEncoder();
    private final GetManifestResponseDecoder manifestResponse = new GetManifestResponseDecoder();
    private final PutManifestRequestEncoder repairRequest = new PutManifestRequestEncoder();
    private final PutManifestResponseDecoder repairResponse = new PutManifestResponseDecoder();
    private final GetChunkRequestEncoder chunkRequest = new GetChunkRequestEncoder();
    private final GetChunkResponseDecoder chunkResponse = new GetChunkResponseDecoder();
    private final ListManifestsRequestEncoder listRequest = new ListManifestsRequestEncoder();
    private final ListManifestsResponseDecoder listResponse = new ListManifestsResponseDecoder();
    private final ResponseListener repairListener = new RepairListener();
    private final ArrayList<ListRequest> unsentLists = new ArrayList<>();

    /**
     * @param context concluded here if it has not been.
     */
    public QuorumReader(final Context context)
    {
        context.conclude();
        this.ring = context.ring();
        this.transport = context.transport();
        this.pending = context.pendingRequests();
        this.clock = context.nanoClock();
        this.requestTimeoutNs = context.requestTimeoutNs();
        this.offerTimeoutNs = context.offerTimeoutNs();
        this.repairWaitNs = context.repairWaitNs();
        this.consistencyLevel = context.consistencyLevel();
        this.balancer = context.balancer();
        this.health = context.nodeHealth();
        this.badReplicaListener = context.badReplicaListener();
        final int maxReads = context.maxReads();
        this.freeReads = new ManifestRead[maxReads];
        this.activeReads = new ManifestRead[maxReads];
        for (int i = 0; i < maxReads; i++)
        {
            freeReads[i] = new ManifestRead();
        }
        this.freeReadCount = maxReads;
        final int maxFetches = context.maxFetches();
        this.freeFetches = new Fetch[maxFetches];
        this.activeFetches = new Fetch[maxFetches];
        for (int i = 0; i < maxFetches; i++)
        {
            freeFetches[i] = new Fetch();
        }
        this.freeFetchCount = maxFetches;
    }

    /**
     * Reads the newest version of a name from R of its owners. Nothing is sent before the next {@link #doWork()}.
     *
     * @param name     the file name (validated by the caller).
     * @param level    R of this read; null for {@link Context#consistencyLevel()}.
     * @param listener told once how the read ended.
     * @return the read's id, or {@link #REFUSED} if {@link Context#maxReads()} reads are in flight.
     */
    public long readManifest(final String name, final ConsistencyLevel level, final ManifestReadListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener=null");
        }
        if (freeReadCount == 0)
        {
            return REFUSED;
        }
        final ManifestRead read = freeReads[--freeReadCount];
        read.start(nextId++, name, level == null ? consistencyLevel : level, listener);
        activeReads[activeReadCount++] = read;
        return read.readId;
    }

    /**
     * Fetches a chunk from one of its replicas, falling over to the others.
     *
     * @param id            the chunk's id.
     * @param rawLength     its raw length, from the manifest.
     * @param dst           receives the payload; at least {@code rawLength} long (a stored chunk is never longer
     *                      than its raw bytes). Not touched after the listener was called.
     * @param excludedNodes replicas not to ask (tried already), or null.
     * @param listener      told once how the fetch ended.
     * @return the fetch's id, or {@link #REFUSED} if {@link Context#maxFetches()} fetches are in flight.
     */
    public long fetchChunk(
        final ChunkId id, final int rawLength, final byte[] dst, final int[] excludedNodes,
        final ChunkFetchListener listener)
    {
        return startFetch(id, rawLength, dst, excludedNodes, -1, listener);
    }

    /**
     * Fetches a chunk from one named replica, with no failover (verify asks every owner).
     *
     * @param nodeId    the replica.
     * @param id        the chunk's id.
     * @param rawLength its raw length.
     * @param dst       receives the payload, at least {@code rawLength} long.
     * @param listener  told once how the fetch ended.
     * @return the fetch's id, or {@link #REFUSED}.
     */
    public long fetchChunkFrom(
        final int nodeId, final ChunkId id, final int rawLength, final byte[] dst, final ChunkFetchListener listener)
    {
        return startFetch(id, rawLength, dst, null, nodeId, listener);
    }

    private long startFetch(
        final ChunkId id, final int rawLength, final byte[] dst, final int[] excludedNodes, final int onlyNode,
        final ChunkFetchListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener=null");
        }
        if (dst.length < rawLength)
        {
            throw new IllegalArgumentException("dst.length=" + dst.length + " < rawLength=" + rawLength);
        }
        if (freeFetchCount == 0)
        {
            return REFUSED;
        }
        final Fetch fetch = freeFetches[--freeFetchCount];
        fetch.start(nextId++, id, rawLength, dst, excludedNodes, onlyNode, listener);
        activeFetches[activeFetchCount++] = fetch;
        return fetch.fetchId;
    }

    /**
     * Asks one node for one page of its manifests, tombstones included. Sent on the next {@link #doWork()}; if the
     * transport keeps refusing it for {@link Context#offerTimeoutNs()} the request fails. Allocates (listings are not
     * a hot path).
     *
     * @param nodeId     the node.
     * @param prefix     name prefix bytes.
     * @param pageToken  the previous page's token, or null for the first page.
     * @param maxEntries most entries, 1..1000.
     * @param listener   told once how it ended.
     * @return the request's id, or {@link #REFUSED} if {@link Context#maxReads()} listings wait to be sent.
     */
    public long listManifests(
        final int nodeId, final byte[] prefix, final byte[] pageToken, final int maxEntries,
        final ListPageListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener=null");
        }
        if (unsentLists.size() >= freeReads.length)
        {
            return REFUSED;
        }
        final ListRequest request = new ListRequest(nextId++, nodeId, prefix, pageToken, maxEntries, listener,
            clock.nanoTime() + Math.min(requestTimeoutNs, offerTimeoutNs));
        unsentLists.add(request);
        return request.requestId;
    }

    private int sendLists(final long nowNs)
    {
        int work = 0;
        for (int i = unsentLists.size() - 1; i >= 0; i--)
        {
            final ListRequest request = unsentLists.get(i);
            if (request.send(nowNs))
            {
                unsentLists.remove(i);
                work++;
            }
        }
        return work;
    }

    /**
     * Reports a replica whose bytes the caller found bad (they did not hash to the id): counted, told to the
     * {@link BadReplicaListener}, and a failure for {@link NodeHealth}.
     *
     * @param nodeId  the replica.
     * @param chunkId the chunk.
     * @param reason  what was wrong.
     */
    public void reportBadReplica(final int nodeId, final ChunkId chunkId, final ReplicaFailure reason)
    {
        badReplicaReports++;
        badReplicaListener.onBadReplica(nodeId, chunkId, reason);
    }

    /**
     * Sends what is unsent, times out sends that could not be made, ends decided reads and fetches and calls their
     * listeners, and sends read repairs.
     *
     * @return work done.
     */
    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        int work = sendLists(nowNs);
        int i = 0;
        while (i < activeReadCount)
        {
            final ManifestRead read = activeReads[i];
            work += read.doWork(nowNs);
            if (read.isFinished())
            {
                activeReads[i] = activeReads[--activeReadCount];
                activeReads[activeReadCount] = null;
                read.release();
                freeReads[freeReadCount++] = read;
                work++;
            }
            else
            {
                i++;
            }
        }
        i = 0;
        while (i < activeFetchCount)
        {
            final Fetch fetch = activeFetches[i];
            work += fetch.doWork(nowNs);
            if (fetch.isFinished())
            {
                activeFetches[i] = activeFetches[--activeFetchCount];
                activeFetches[activeFetchCount] = null;
                freeFetches[freeFetchCount++] = fetch;
                fetch.finish();
                work++;
            }
            else
            {
                i++;
            }
        }
        return work;
    }

    /**
     * @return manifest reads in flight, lingering ones (waiting for the last owners, to repair them) included.
     */
    public int readsInFlight()
    {
        return activeReadCount;
    }

    /**
     * @return chunk fetches in flight.
     */
    public int fetchesInFlight()
    {
        return activeFetchCount;
    }

    /**
     * @return read repairs sent: stale or missing owners sent the newest manifest.
     */
    public long readRepairs()
    {
        return readRepairs;
    }

    /**
     * @return read repairs the owner acknowledged.
     */
    public long readRepairsAcknowledged()
    {
        return readRepairsAcknowledged;
    }

    /**
     * @return bad replicas reported, by this reader's fetches and by {@link #reportBadReplica}.
     */
    public long badReplicaReports()
    {
        return badReplicaReports;
    }

    /**
     * @return the health tracker the reader consults and feeds.
     */
    public NodeHealth nodeHealth()
    {
        return health;
    }

    @Override
    public String roleName()
    {
        return "quorum-reader-" + transport.localNodeId();
    }

    private final class RepairListener implements ResponseListener
    {
        @Override
        public void onResponse(
            final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (messageType == MessageTypes.PUT_MANIFEST_RESPONSE)
            {
                try
                {
                    final Status status = repairResponse.wrap(buffer, offset, length).status();
                    if (status == Status.OK || status == Status.ALREADY_HAD)
                    {
                        readRepairsAcknowledged++;
                    }
                }
                catch (final MalformedMessageException ignore)
                {
                    // A repair is best effort; the next read or the repair service tries again.
                }
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
        }
    }

    /**
     * One manifest read's state, preallocated and reused.
     */
    private final class ManifestRead implements ResponseListener
    {
        final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
        final long[] correlationIds = new long[Ring.MAX_REPLICATION_FACTOR];
        final int[] states = new int[Ring.MAX_REPLICATION_FACTOR];
        final Version[] versions = new Version[Ring.MAX_REPLICATION_FACTOR];
        final ReplicaFailure[] failures = new ReplicaFailure[Ring.MAX_REPLICATION_FACTOR];
        long readId;
        String name;
        ConsistencyLevel level;
        ManifestReadListener listener;
        long deadlineNs;
        int replicaCount;
        int required;
        int answers;
        int failureCount;
        boolean told;
        Manifest newest;

        void start(final long readId, final String name, final ConsistencyLevel level,
            final ManifestReadListener listener)
        {
            this.readId = readId;
            this.name = name;
            this.level = level;
            this.listener = listener;
            this.deadlineNs = clock.nanoTime() + requestTimeoutNs;
            this.replicaCount = ring.replicas(Ring.manifestPosition(name), replicas);
            this.required = level.required(ring.replicationFactor());
            answers = 0;
            failureCount = 0;
            told = false;
            newest = null;
            final long nowNs = clock.nanoTime();
            int down = 0;
            for (int r = 0; r < replicaCount; r++)
            {
                correlationIds[r] = 0;
                versions[r] = null;
                failures[r] = null;
                states[r] = UNSENT;
                if (!health.isUp(replicas[r], nowNs))
                {
                    down++;
                }
            }
            if (replicaCount - down >= required)
            {
                for (int r = 0; r < replicaCount; r++)
                {
                    if (!health.isUp(replicas[r], nowNs))
                    {
                        states[r] = FAILED;
                        failures[r] = ReplicaFailure.TIMED_OUT;
                        failureCount++;
                    }
                }
            }
        }

        int doWork(final long nowNs)
        {
            int work = 0;
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] != UNSENT)
                {
                    continue;
                }
                final long remainingNs = deadlineNs - nowNs;
                if (remainingNs <= 0)
                {
                    fail(r, ReplicaFailure.TIMED_OUT);
                    continue;
                }
                final long correlationId = pending.register(replicas[r], this, remainingNs);
                if (correlationId == PendingRequests.REFUSED)
                {
                    break;
                }
                manifestRequest.wrap(sendBuffer, 0).name(name);
                if (transport.offer(replicas[r], MessageTypes.GET_MANIFEST_REQUEST, correlationId, sendBuffer, 0,
                    manifestRequest.encodedLength()))
                {
                    correlationIds[r] = correlationId;
                    states[r] = SENT;
                    work++;
                }
                else
                {
                    pending.cancel(correlationId);
                }
            }
            if (!told && (answers >= required || failureCount > replicaCount - required))
            {
                told = true;
                deadlineNs = Math.min(deadlineNs, nowNs + repairWaitNs);
                work++;
                if (answers >= required)
                {
                    listener.onRead(readId, newest);
                }
                else
                {
                    listener.onFailed(readId, failure());
                }
            }
            if (told && !isFinished() && nowNs - deadlineNs >= 0)
            {
                giveUpWaiting();
            }
            if (told && isFinished())
            {
                repair();
            }
            return work;
        }

        /**
         * Stops waiting for the owners that have not answered by the repair wait: they are not repaired this time.
         */
        private void giveUpWaiting()
        {
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == SENT)
                {
                    pending.cancel(correlationIds[r]);
                }
                if (states[r] == SENT || states[r] == UNSENT)
                {
                    states[r] = FAILED;
                    failures[r] = ReplicaFailure.TIMED_OUT;
                    failureCount++;
                }
            }
        }

        boolean isFinished()
        {
            if (!told)
            {
                return false;
            }
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == UNSENT || states[r] == SENT)
                {
                    return false;
                }
            }
            return true;
        }

        private void repair()
        {
            if (newest == null)
            {
                return;
            }
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == ANSWERED && (versions[r] == null || newest.version().isNewerThan(versions[r])))
                {
                    final long correlationId = pending.register(replicas[r], repairListener, requestTimeoutNs);
                    if (correlationId == PendingRequests.REFUSED)
                    {
                        return;
                    }
                    repairRequest.wrap(sendBuffer, 0).manifest(newest);
                    if (transport.offer(replicas[r], MessageTypes.PUT_MANIFEST_REQUEST, correlationId, sendBuffer,
                        0, repairRequest.encodedLength()))
                    {
                        readRepairs++;
                    }
                    else
                    {
                        pending.cancel(correlationId);
                    }
                }
            }
        }

        void release()
        {
            listener = null;
            newest = null;
            name = null;
        }

        @Override
        public void onResponse(
            final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
            final int offset, final int length)
        {
            final int r = replicaOf(correlationId);
            if (r < 0)
            {
                return;
            }
            if (messageType != MessageTypes.GET_MANIFEST_RESPONSE)
            {
                fail(r, messageType == MessageTypes.ERROR ? ReplicaFailure.REJECTED : ReplicaFailure.BAD_RESPONSE);
                return;
            }
            try
            {
                manifestResponse.wrap(buffer, offset, length);
                final Status status = manifestResponse.status();
                if (status == Status.NOT_FOUND)
                {
                    answered(r, null);
                }
                else if (status == Status.OK)
                {
                    final Manifest manifest = ManifestCodec.decode(
                        buffer, manifestResponse.manifestOffset(), manifestResponse.manifestLength());
                    if (!manifest.name().equals(name))
                    {
                        fail(r, ReplicaFailure.BAD_RESPONSE);
                        return;
                    }
                    answered(r, manifest);
                }
                else
                {
                    fail(r, status == Status.CORRUPT ? ReplicaFailure.CORRUPT : ReplicaFailure.FAILED);
                }
            }
            catch (final MalformedMessageException | CorruptManifestException ex)
            {
                fail(r, ReplicaFailure.BAD_RESPONSE);
            }
        }

        private void answered(final int r, final Manifest manifest)
        {
            states[r] = ANSWERED;
            health.onSuccess(replicas[r]);
            if (manifest != null)
            {
                versions[r] = manifest.version();
                if (newest == null || manifest.version().isNewerThan(newest.version()))
                {
                    newest = manifest;
                }
            }
            if (!told)
            {
                answers++;
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            final int r = replicaOf(correlationId);
            if (r >= 0)
            {
                fail(r, ReplicaFailure.TIMED_OUT);
            }
        }

        private int replicaOf(final long correlationId)
        {
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == SENT && correlationIds[r] == correlationId)
                {
                    return r;
                }
            }
            return -1;
        }

        private void fail(final int r, final ReplicaFailure failure)
        {
            states[r] = FAILED;
            failures[r] = failure;
            failureCount++;
            if (failure == ReplicaFailure.TIMED_OUT || failure == ReplicaFailure.REJECTED ||
                failure == ReplicaFailure.FAILED)
            {
                health.onFailure(replicas[r], clock.nanoTime());
            }
        }

        private QuorumReadException failure()
        {
            final Map<Integer, ReplicaFailure> byNode = new LinkedHashMap<>();
            for (int r = 0; r < replicaCount; r++)
            {
                if (states[r] == FAILED)
                {
                    byNode.put(replicas[r], failures[r]);
                }
            }
            return new QuorumReadException("manifest '" + name + "' at " + level, required, replicaCount, answers,
                byNode);
        }
    }

    /**
     * One chunk fetch's state, preallocated and reused: one replica asked at a time.
     */
    private final class Fetch implements ResponseListener
    {
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[GetChunkRequestDescriptor.BLOCK_LENGTH]);
        final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
        final ReplicaFailure[] failures = new ReplicaFailure[Ring.MAX_REPLICATION_FACTOR];
        final boolean[] tried = new boolean[Ring.MAX_REPLICATION_FACTOR];
        final int[] candidates = new int[Ring.MAX_REPLICATION_FACTOR];
        final int[] candidateIndex = new int[Ring.MAX_REPLICATION_FACTOR];
        long fetchId;
        ChunkId chunkId;
        int rawLength;
        byte[] dst;
        ChunkFetchListener listener;
        int replicaCount;
        int current;
        long correlationId;
        long sentNs;
        long sendDeadlineNs;
        boolean waiting;
        boolean done;
        int fetchedNode;
        boolean fetchedCompressed;
        int fetchedLength;
        RfsException failure;

        void start(final long fetchId, final ChunkId chunkId, final int rawLength, final byte[] dst,
            final int[] excludedNodes, final int onlyNode, final ChunkFetchListener listener)
        {
            this.fetchId = fetchId;
            this.chunkId = chunkId;
            this.rawLength = rawLength;
            this.dst = dst;
            this.listener = listener;
            if (onlyNode >= 0)
            {
                replicas[0] = onlyNode;
                replicaCount = 1;
            }
            else
            {
                replicaCount = ring.replicas(Ring.chunkPosition(chunkId), replicas);
            }
            for (int r = 0; r < replicaCount; r++)
            {
                failures[r] = null;
                tried[r] = false;
                if (excludedNodes != null)
                {
                    for (final int excluded : excludedNodes)
                    {
                        if (excluded == replicas[r])
                        {
                            tried[r] = true;
                            failures[r] = ReplicaFailure.MISMATCH;
                        }
                    }
                }
            }
            current = -1;
            waiting = false;
            done = false;
            failure = null;
        }

        int doWork(final long nowNs)
        {
            if (done || waiting)
            {
                return 0;
            }
            if (current < 0)
            {
                current = pick(nowNs);
                if (current < 0)
                {
                    done = true;
                    failure = unavailable();
                    return 1;
                }
                sendDeadlineNs = nowNs + Math.min(requestTimeoutNs, offerTimeoutNs);
            }
            if (nowNs - sendDeadlineNs >= 0)
            {
                failed(ReplicaFailure.TIMED_OUT, nowNs);
                return 1;
            }
            final int node = replicas[current];
            final long id = pending.register(node, this, requestTimeoutNs);
            if (id == PendingRequests.REFUSED)
            {
                return 0;
            }
            chunkRequest.wrap(fields, 0).chunkId(chunkId).acceptCompressed(true);
            if (!transport.offer(node, MessageTypes.GET_CHUNK_REQUEST, id, fields, 0,
                GetChunkRequestDescriptor.BLOCK_LENGTH))
            {
                pending.cancel(id);
                return 0;
            }
            correlationId = id;
            sentNs = nowNs;
            waiting = true;
            balancer.onRequest(node, rawLength);
            return 1;
        }

        private int pick(final long nowNs)
        {
            int count = 0;
            for (int r = 0; r < replicaCount; r++)
            {
                if (!tried[r] && health.isUp(replicas[r], nowNs))
                {
                    candidates[count] = replicas[r];
                    candidateIndex[count++] = r;
                }
            }
            if (count == 0)
            {
                for (int r = 0; r < replicaCount; r++)
                {
                    if (!tried[r])
                    {
                        candidates[count] = replicas[r];
                        candidateIndex[count++] = r;
                    }
                }
            }
            if (count == 0)
            {
                return -1;
            }
            final int chosen = count == 1 ? 0 : balancer.select(chunkId.prefix(), candidates, count);
            tried[candidateIndex[chosen]] = true;
            return candidateIndex[chosen];
        }

        boolean isFinished()
        {
            return done;
        }

        @Override
        public void onResponse(
            final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (!waiting || correlationId != this.correlationId)
            {
                return;
            }
            final long nowNs = clock.nanoTime();
            waiting = false;
            balancer.onResponse(sourceNodeId, rawLength, nowNs - sentNs);
            if (messageType != MessageTypes.GET_CHUNK_RESPONSE)
            {
                failed(messageType == MessageTypes.ERROR ? ReplicaFailure.REJECTED : ReplicaFailure.BAD_RESPONSE,
                    nowNs);
                return;
            }
            try
            {
                chunkResponse.wrap(buffer, offset, length);
                if (!chunkId.matches(buffer, chunkResponse.chunkIdOffset()))
                {
                    failed(ReplicaFailure.BAD_RESPONSE, nowNs);
                    return;
                }
                final Status status = chunkResponse.status();
                if (status == Status.OK)
                {
                    final int payloadLength = chunkResponse.payloadLength();
                    if (chunkResponse.rawLength() != rawLength || payloadLength > rawLength ||
                        (!chunkResponse.isCompressed() && payloadLength != rawLength))
                    {
                        failed(ReplicaFailure.MISMATCH, nowNs);
                        return;
                    }
                    buffer.getBytes(chunkResponse.payloadOffset(), dst, 0, payloadLength);
                    health.onSuccess(sourceNodeId);
                    fetchedNode = sourceNodeId;
                    fetchedCompressed = chunkResponse.isCompressed();
                    fetchedLength = payloadLength;
                    done = true;
                }
                else if (status == Status.NOT_FOUND)
                {
                    health.onSuccess(sourceNodeId);
                    failed(ReplicaFailure.NOT_FOUND, nowNs);
                }
                else if (status == Status.CORRUPT)
                {
                    health.onSuccess(sourceNodeId);
                    failed(ReplicaFailure.CORRUPT, nowNs);
                }
                else
                {
                    failed(ReplicaFailure.FAILED, nowNs);
                }
            }
            catch (final MalformedMessageException ex)
            {
                failed(ReplicaFailure.BAD_RESPONSE, nowNs);
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            if (waiting && correlationId == this.correlationId)
            {
                final long nowNs = clock.nanoTime();
                waiting = false;
                balancer.onResponse(replicas[current], rawLength, nowNs - sentNs);
                failed(ReplicaFailure.TIMED_OUT, nowNs);
            }
        }

        private void failed(final ReplicaFailure reason, final long nowNs)
        {
            final int node = replicas[current];
            failures[current] = reason;
            current = -1;
            if (reason != ReplicaFailure.NOT_FOUND && reason != ReplicaFailure.CORRUPT &&
                reason != ReplicaFailure.MISMATCH)
            {
                health.onFailure(node, nowNs);
            }
            reportBadReplica(node, chunkId, reason);
        }

        private RfsException unavailable()
        {
            final Map<Integer, ReplicaFailure> byNode = new LinkedHashMap<>();
            boolean allMissing = replicaCount > 0;
            int corruptNode = -1;
            for (int r = 0; r < replicaCount; r++)
            {
                if (failures[r] != null)
                {
                    byNode.put(replicas[r], failures[r]);
                }
                allMissing &= failures[r] == ReplicaFailure.NOT_FOUND;
                if (corruptNode < 0 && (failures[r] == ReplicaFailure.CORRUPT || failures[r] == ReplicaFailure.MISMATCH))
                {
                    corruptNode = replicas[r];
                }
            }
            if (allMissing)
            {
                return new MissingChunkException(chunkId, replicas[0]);
            }
            if (corruptNode >= 0)
            {
                return new CorruptChunkException(chunkId, corruptNode,
                    "no replica had a good copy: " + QuorumReadException.describe(byNode));
            }
            return new QuorumReadException("chunk " + chunkId.toHex(), 1, replicaCount, 0, byNode);
        }

        void finish()
        {
            final ChunkFetchListener toTell = listener;
            final RfsException failed = failure;
            listener = null;
            dst = null;
            failure = null;
            if (failed == null)
            {
                toTell.onFetched(fetchId, fetchedNode, fetchedCompressed, fetchedLength);
            }
            else
            {
                toTell.onFailed(fetchId, failed);
            }
        }
    }

    /**
     * One listing page request; allocated per request.
     */
    private final class ListRequest implements ResponseListener
    {
        final long requestId;
        final int nodeId;
        final byte[] prefix;
        final byte[] pageToken;
        final int maxEntries;
        final ListPageListener listener;
        final long sendDeadlineNs;

        ListRequest(final long requestId, final int nodeId, final byte[] prefix, final byte[] pageToken,
            final int maxEntries, final ListPageListener listener, final long sendDeadlineNs)
        {
            this.requestId = requestId;
            this.nodeId = nodeId;
            this.prefix = prefix;
            this.pageToken = pageToken;
            this.maxEntries = maxEntries;
            this.listener = listener;
            this.sendDeadlineNs = sendDeadlineNs;
        }

        /**
         * @return true if it is done with sending: sent, or failed because it could not be.
         */
        boolean send(final long nowNs)
        {
            if (nowNs - sendDeadlineNs >= 0)
            {
                health.onFailure(nodeId, nowNs);
                listener.onFailed(requestId, new RfsException("node " + nodeId + " is not reachable to list its " +
                    "manifests"));
                return true;
            }
            final long correlationId = pending.register(nodeId, this, requestTimeoutNs);
            if (correlationId == PendingRequests.REFUSED)
            {
                return false;
            }
            listRequest.wrap(sendBuffer, 0).maxEntries(maxEntries).includeTombstones(true)
                .prefix(new UnsafeBuffer(prefix), 0, prefix.length);
            if (pageToken != null)
            {
                listRequest.pageToken(new UnsafeBuffer(pageToken), 0, pageToken.length);
            }
            if (!transport.offer(nodeId, MessageTypes.LIST_MANIFESTS_REQUEST, correlationId, sendBuffer, 0,
                listRequest.encodedLength()))
            {
                pending.cancel(correlationId);
                return false;
            }
            return true;
        }

        @Override
        public void onResponse(
            final long correlationId, final int sourceNodeId, final int messageType, final DirectBuffer buffer,
            final int offset, final int length)
        {
            if (messageType != MessageTypes.LIST_MANIFESTS_RESPONSE)
            {
                listener.onFailed(requestId, new RfsException("node " + sourceNodeId +
                    " refused a manifest listing (message type " + messageType + ")"));
                return;
            }
            try
            {
                listResponse.wrap(buffer, offset, length);
                if (listResponse.status() != Status.OK)
                {
                    listener.onFailed(requestId, new RfsException("node " + sourceNodeId +
                        " could not list its manifests: " + listResponse.status()));
                    return;
                }
                health.onSuccess(sourceNodeId);
                listener.onPage(requestId, listResponse);
            }
            catch (final MalformedMessageException ex)
            {
                listener.onFailed(requestId, new RfsException("node " + sourceNodeId +
                    " sent a malformed listing: " + ex.getMessage()));
            }
        }

        @Override
        public void onTimeout(final long correlationId)
        {
            health.onFailure(nodeId, clock.nanoTime());
            listener.onFailed(requestId, new RfsException("node " + nodeId + " did not answer a manifest listing"));
        }
    }

    /**
     * Configuration of a {@link QuorumReader}.
     */
    public static final class Context
    {
        /** Default time a manifest read, or one replica of a chunk fetch, may take. */
        public static final long REQUEST_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(10);
        /**
         * Default time a chunk fetch keeps offering its request to a replica the transport refuses (not connected,
         * or its queue full) before it falls over to the next one.
         */
        public static final long OFFER_TIMEOUT_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(500);
        /**
         * Default time a manifest read that has its answer keeps waiting for the other owners, so as to repair them
         * if they are stale; then it ends (and frees its slot) without them.
         */
        public static final long REPAIR_WAIT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(1);
        /** Default most manifest reads in flight. */
        public static final int MAX_READS_DEFAULT = 64;
        /** Default most chunk fetches in flight. */
        public static final int MAX_FETCHES_DEFAULT = 256;
        /** Largest bound on reads or fetches in flight. */
        public static final int MAX_MAX = 1 << 14;

        private Ring ring;
        private Transport transport;
        private PendingRequests pendingRequests;
        private ConsistencyLevel consistencyLevel = ConsistencyLevel.QUORUM;
        private NanoClock nanoClock;
        private long requestTimeoutNs = REQUEST_TIMEOUT_NS_DEFAULT;
        private long offerTimeoutNs = OFFER_TIMEOUT_NS_DEFAULT;
        private long repairWaitNs = REPAIR_WAIT_NS_DEFAULT;
        private int maxReads = MAX_READS_DEFAULT;
        private int maxFetches = MAX_FETCHES_DEFAULT;
        private ReplicaBalancer balancer;
        private NodeHealth nodeHealth;
        private BadReplicaListener badReplicaListener = BadReplicaListener.NONE;

        /**
         * Checks the settings and fills in defaults.
         *
         * @return this.
         * @throws ConfigurationException naming the first setting that is wrong.
         */
        public Context conclude()
        {
            if (ring == null)
            {
                throw new ConfigurationException("ring", null, "is required");
            }
            if (transport == null)
            {
                throw new ConfigurationException("transport", null, "is required");
            }
            if (pendingRequests == null)
            {
                throw new ConfigurationException("pendingRequests", null, "is required");
            }
            if (consistencyLevel == null)
            {
                throw new ConfigurationException("consistencyLevel", null, "is required");
            }
            if (requestTimeoutNs <= 0)
            {
                throw new ConfigurationException("requestTimeoutNs", requestTimeoutNs, "must be positive");
            }
            if (offerTimeoutNs <= 0)
            {
                throw new ConfigurationException("offerTimeoutNs", offerTimeoutNs, "must be positive");
            }
            if (repairWaitNs <= 0)
            {
                throw new ConfigurationException("repairWaitNs", repairWaitNs, "must be positive");
            }
            if (maxReads < 1 || maxReads > MAX_MAX)
            {
                throw new ConfigurationException("maxReads", maxReads, "must be 1.." + MAX_MAX);
            }
            if (maxFetches < 1 || maxFetches > MAX_MAX)
            {
                throw new ConfigurationException("maxFetches", maxFetches, "must be 1.." + MAX_MAX);
            }
            if (nanoClock == null)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            if (balancer == null)
            {
                balancer = new LoadAwareBalancer(LoadScore.LEAST_OUTSTANDING);
            }
            if (nodeHealth == null)
            {
                nodeHealth = new NodeHealth(NodeHealth.FAILURE_THRESHOLD_DEFAULT, NodeHealth.EJECT_NS_DEFAULT);
            }
            if (badReplicaListener == null)
            {
                badReplicaListener = BadReplicaListener.NONE;
            }
            return this;
        }

        public Ring ring()
        {
            return ring;
        }

        /**
         * @param ring names each key's owners and N; required.
         * @return this.
         */
        public Context ring(final Ring ring)
        {
            this.ring = ring;
            return this;
        }

        public Transport transport()
        {
            return transport;
        }

        /**
         * @param transport the client's endpoint, for sending; required. Polled by the client's
         *                  {@link ResponsePoller}, not by the reader.
         * @return this.
         */
        public Context transport(final Transport transport)
        {
            this.transport = transport;
            return this;
        }

        public PendingRequests pendingRequests()
        {
            return pendingRequests;
        }

        /**
         * @param pendingRequests the client's shared requests in flight; required.
         * @return this.
         */
        public Context pendingRequests(final PendingRequests pendingRequests)
        {
            this.pendingRequests = pendingRequests;
            return this;
        }

        public ConsistencyLevel consistencyLevel()
        {
            return consistencyLevel;
        }

        /**
         * @param consistencyLevel R for the reads that name none; default {@link ConsistencyLevel#QUORUM}.
         * @return this.
         */
        public Context consistencyLevel(final ConsistencyLevel consistencyLevel)
        {
            this.consistencyLevel = consistencyLevel;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param nanoClock source of time; default the system's monotonic clock. Tests step a
         *                  {@code CachedNanoClock}.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }

        public long requestTimeoutNs()
        {
            return requestTimeoutNs;
        }

        /**
         * @param requestTimeoutNs how long a manifest read, or each replica a chunk fetch asks, may take, sending
         *                         included; default {@link #REQUEST_TIMEOUT_NS_DEFAULT}.
         * @return this.
         */
        public Context requestTimeoutNs(final long requestTimeoutNs)
        {
            this.requestTimeoutNs = requestTimeoutNs;
            return this;
        }

        public long offerTimeoutNs()
        {
            return offerTimeoutNs;
        }

        /**
         * @param offerTimeoutNs how long a chunk fetch offers its request to a replica the transport refuses before
         *                       it falls over to the next; default {@link #OFFER_TIMEOUT_NS_DEFAULT}, capped by the
         *                       request timeout.
         * @return this.
         */
        public Context offerTimeoutNs(final long offerTimeoutNs)
        {
            this.offerTimeoutNs = offerTimeoutNs;
            return this;
        }

        public long repairWaitNs()
        {
            return repairWaitNs;
        }

        /**
         * @param repairWaitNs how long a manifest read that has its answer keeps waiting for the other owners, to
         *                     repair the stale ones; default {@link #REPAIR_WAIT_NS_DEFAULT}, capped by the request
         *                     timeout.
         * @return this.
         */
        public Context repairWaitNs(final long repairWaitNs)
        {
            this.repairWaitNs = repairWaitNs;
            return this;
        }

        public int maxReads()
        {
            return maxReads;
        }

        /**
         * @param maxReads most manifest reads in flight; default {@link #MAX_READS_DEFAULT}.
         * @return this.
         */
        public Context maxReads(final int maxReads)
        {
            this.maxReads = maxReads;
            return this;
        }

        public int maxFetches()
        {
            return maxFetches;
        }

        /**
         * @param maxFetches most chunk fetches in flight; default {@link #MAX_FETCHES_DEFAULT}.
         * @return this.
         */
        public Context maxFetches(final int maxFetches)
        {
            this.maxFetches = maxFetches;
            return this;
        }

        public ReplicaBalancer balancer()
        {
            return balancer;
        }

        /**
         * @param balancer picks each chunk's replica; default a {@link LoadAwareBalancer} by {@link LoadScore#LEAST_OUTSTANDING}.
         * @return this.
         */
        public Context balancer(final ReplicaBalancer balancer)
        {
            this.balancer = balancer;
            return this;
        }

        public NodeHealth nodeHealth()
        {
            return nodeHealth;
        }

        /**
         * @param nodeHealth the passive health tracker; default one with {@link NodeHealth#FAILURE_THRESHOLD_DEFAULT}
         *                   and {@link NodeHealth#EJECT_NS_DEFAULT}.
         * @return this.
         */
        public Context nodeHealth(final NodeHealth nodeHealth)
        {
            this.nodeHealth = nodeHealth;
            return this;
        }

        public BadReplicaListener badReplicaListener()
        {
            return badReplicaListener;
        }

        /**
         * @param badReplicaListener told of every bad replica found; default {@link BadReplicaListener#NONE}.
         * @return this.
         */
        public Context badReplicaListener(final BadReplicaListener badReplicaListener)
        {
            this.badReplicaListener = badReplicaListener;
            return this;
        }
    }
}
