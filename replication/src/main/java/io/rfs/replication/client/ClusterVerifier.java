package io.rfs.replication.client;

import io.rfs.replication.manifest.ManifestMerge;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.VerifyChunksRequestDescriptor;
import io.rfs.replication.protocol.VerifyChunksRequestEncoder;
import io.rfs.replication.protocol.VerifyChunksResponseDecoder;
import io.rfs.replication.protocol.VerifyChunksResponseDescriptor;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.FileName;
import io.rfs.store.FileStat;
import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static io.rfs.replication.client.ReplicaProblem.Kind.*;

/**
 * {@code rfs verify} on a cluster: every replica re-hashes its own copies and answers per chunk, so no chunk byte
 * crosses the network; and every node's manifests are compared with the newest version of each name.
 * <ol>
 *     <li><b>Manifests.</b> Every node's listing is walked at once, in name order ({@link ManifestWalk}): a live name
 *     is a file; an owner of the name without its newest version has it missing or stale; a node that is no owner
 *     and holds one has it mis-placed.</li>
 *     <li><b>Chunks.</b> For each file, its manifest (the newest, read from R owners) names the chunks. Each
 *     chunk's owners are asked to re-hash it ({@code VerifyChunksRequest}); every other node is asked only whether
 *     it holds it (presence only: a copy there is mis-placed). Ids are batched per node,
 *     {@value #BATCH_IDS} per request, with at most {@value #MAX_IN_FLIGHT_PER_NODE} requests per node in
 *     flight.</li>
 * </ol>
 * A chunk is healthy when every owner re-hashed it successfully; under-replicated otherwise (an owner that did not
 * answer counts as not healthy); lost when no owner has a healthy copy. A node that fails to answer once is reported
 * unreachable and not asked again in this run, so a dead node costs one timeout, not one per chunk.
 * <p>
 * <b>Memory</b> is bounded: one listing page per node, one manifest, and at most {@value #MAX_OPEN_CHUNKS} chunks
 * awaiting answers. Problems are streamed to the caller as found.
 * <p>
 * <b>Not checked:</b> the whole-file SHA-256 (it would take shipping every byte to the client; each chunk's own
 * hash, checked by its node, covers the bytes, and the manifest's chunk list is what the put wrote), and chunks
 * that no manifest references (they are not any file's; the leader reclaims them, docs/NODE.md "Reclaiming
 * unreferenced chunks").
 * <p>
 * <b>Threads.</b> One caller thread; requests go through the client's agent.
 */
public final class ClusterVerifier
{
    /** Chunk ids per request: enough to amortise a round trip, small enough to keep a node's storage thread free. */
    static final int BATCH_IDS = 32;
    /** Requests in flight per node. */
    static final int MAX_IN_FLIGHT_PER_NODE = 4;
    /** Chunks awaiting answers, at most. */
    static final int MAX_OPEN_CHUNKS = 8192;

    private final ClientAgent agent;
    private final Ring ring;
    private final ClientContext context;
    private final long requestTimeoutNs;
    private final Consumer<ReplicaProblem> problems;
    private final IntHashSet unreachable = new IntHashSet();
    private final Int2ObjectHashMap<Batch> ownerBatches = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Batch> presenceBatches = new Int2ObjectHashMap<>();
    private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
    private final VerifyChunksRequestEncoder encoder = new VerifyChunksRequestEncoder();
    private final VerifyChunksResponseDecoder decoder = new VerifyChunksResponseDecoder();
    private final int[] owners = new int[Ring.MAX_REPLICATION_FACTOR];
    private int openChunks;
    private long files;
    private long chunks;
    private long bytes;
    private long healthy;
    private long underReplicated;
    private long lost;
    private long corrupt;
    private long missing;
    private long misplaced;
    private long manifestProblems;
    private long problemCount;

    /**
     * @param agent            the client's agent.
     * @param context          the client's settings (ring, read consistency).
     * @param requestTimeoutNs how long a node may take to answer one request (it re-hashes up to
     *                         {@value #BATCH_IDS} chunks first).
     * @param problems         told of each problem as it is found, on the caller's thread.
     */
    ClusterVerifier(final ClientAgent agent, final ClientContext context, final long requestTimeoutNs,
        final Consumer<ReplicaProblem> problems)
    {
        this.agent = agent;
        this.context = context;
        this.ring = context.ring();
        this.requestTimeoutNs = requestTimeoutNs;
        this.problems = problems;
    }

    /**
     * @param names the files to check, or empty for all.
     * @return the counts; the problems went to the listener.
     * @throws IOException if the client is closed or interrupted.
     */
    ClusterVerifyReport verify(final List<String> names) throws IOException
    {
        final List<Integer> nodeIds = new ArrayList<>();
        for (final RingNode node : ring.nodes())
        {
            nodeIds.add(node.id());
        }
        if (names.isEmpty())
        {
            walk(nodeIds, new byte[0], null);
        }
        else
        {
            for (final String name : new TreeSet<>(names))
            {
                FileName.validate(name);
                if (!walk(nodeIds, name.getBytes(StandardCharsets.UTF_8), name))
                {
                    report(new ReplicaProblem(0, NO_SUCH_FILE, name, null, "no such file"));
                }
            }
        }
        flushAll();
        while (!inFlight.isEmpty())
        {
            complete(inFlight.poll());
        }
        return new ClusterVerifyReport(files, chunks, bytes, healthy, underReplicated, lost, corrupt, missing,
            misplaced, manifestProblems, unreachable.size(), problemCount);
    }

    /**
     * @return true if {@code only} was null or was found live.
     */
    private boolean walk(final List<Integer> nodeIds, final byte[] prefix, final String only) throws IOException
    {
        final ManifestWalk walk = new ManifestWalk(nodeIds, (nodeId, token) ->
            RfsClient.await(agent.listPage(nodeId, prefix, token, ManifestWalk.PAGE_ENTRIES)));
        boolean found = only == null;
        ManifestMerge.Name next;
        while ((next = walk.next()) != null)
        {
            for (final Map.Entry<Integer, String> failure : walk.failedNodes().entrySet())
            {
                markUnreachable(failure.getKey(), "cannot list its manifests: " + failure.getValue());
            }
            if (only != null && !only.equals(next.name()))
            {
                continue;
            }
            final FileStat newest = next.newest();
            if (newest.tombstone())
            {
                continue;
            }
            found = true;
            files++;
            checkManifests(next, newest);
            checkChunks(next.name());
        }
        for (final Map.Entry<Integer, String> failure : walk.failedNodes().entrySet())
        {
            markUnreachable(failure.getKey(), "cannot list its manifests: " + failure.getValue());
        }
        return found;
    }

    private void checkManifests(final ManifestMerge.Name name, final FileStat newest)
    {
        final int n = ring.replicas(Ring.manifestPosition(name.name()), owners);
        final IntHashSet owning = new IntHashSet();
        for (int k = 0; k < n; k++)
        {
            owning.add(owners[k]);
            final FileStat held = name.holders().get(owners[k]);
            if (unreachable.contains(owners[k]))
            {
                continue;
            }
            if (held == null)
            {
                manifestProblems++;
                report(new ReplicaProblem(owners[k], MANIFEST_MISSING, name.name(), null,
                    "holds no manifest of it (newest " + newest.version() + ")"));
            }
            else if (newest.version().isNewerThan(held.version()))
            {
                manifestProblems++;
                report(new ReplicaProblem(owners[k], MANIFEST_STALE, name.name(), null,
                    "holds version " + held.version() + ", the newest is " + newest.version()));
            }
        }
        for (final Map.Entry<Integer, FileStat> holder : name.holders().entrySet())
        {
            if (!owning.contains(holder.getKey()))
            {
                manifestProblems++;
                misplaced++;
                report(new ReplicaProblem(holder.getKey(), MANIFEST_MISPLACED, name.name(), null,
                    "holds a manifest of it but is not one of its owners"));
            }
        }
    }

    private void checkChunks(final String name) throws IOException
    {
        final Manifest manifest;
        try
        {
            manifest = RfsClient.await(agent.readManifest(name, context.readConsistency()));
        }
        catch (final RfsException ex)
        {
            report(new ReplicaProblem(0, UNREACHABLE, name, null, "cannot read its manifest: " + ex.getMessage()));
            return;
        }
        if (manifest == null || manifest.isTombstone())
        {
            return;
        }
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            final ChunkId id = manifest.chunkId(i);
            final int n = ring.replicas(Ring.chunkPosition(id), owners);
            // Held open (pending 1) while its requests are added: one may be answered before the next is added.
            final Check check = new Check(name, id, manifest.chunkLength(i), n);
            check.pending = 1;
            openChunks++;
            final IntHashSet owning = new IntHashSet();
            for (int k = 0; k < n; k++)
            {
                owning.add(owners[k]);
                add(ownerBatches, owners[k], false, check);
            }
            for (final RingNode node : ring.nodes())
            {
                if (!owning.contains(node.id()))
                {
                    add(presenceBatches, node.id(), true, check);
                }
            }
            if (--check.pending == 0)
            {
                finish(check);
            }
            while (openChunks >= MAX_OPEN_CHUNKS)
            {
                flushAll();
                complete(inFlight.poll());
            }
        }
    }

    private void add(final Int2ObjectHashMap<Batch> batches, final int nodeId, final boolean presenceOnly,
        final Check check) throws IOException
    {
        if (unreachable.contains(nodeId))
        {
            check.unreachableOwners += presenceOnly ? 0 : 1;
            return;
        }
        Batch batch = batches.get(nodeId);
        if (batch == null)
        {
            batch = new Batch(nodeId, presenceOnly);
            batches.put(nodeId, batch);
        }
        batch.checks.add(check);
        check.pending++;
        if (batch.checks.size() == BATCH_IDS)
        {
            batches.remove(nodeId);
            send(batch);
        }
    }

    private void flushAll() throws IOException
    {
        for (final Int2ObjectHashMap<Batch> batches : List.of(ownerBatches, presenceBatches))
        {
            for (final Batch batch : new ArrayList<>(batches.values()))
            {
                send(batch);
            }
            batches.clear();
        }
    }

    private void send(final Batch batch) throws IOException
    {
        while (inFlightTo(batch.nodeId) >= MAX_IN_FLIGHT_PER_NODE)
        {
            complete(inFlight.poll());
        }
        final byte[] body = new byte[VerifyChunksRequestDescriptor.encodedLength(batch.checks.size())];
        encoder.wrap(new UnsafeBuffer(body), 0, batch.presenceOnly);
        for (final Check check : batch.checks)
        {
            encoder.addChunkId(check.id);
        }
        batch.reply = agent.request(batch.nodeId, MessageTypes.VERIFY_CHUNKS_REQUEST, body, body.length,
            requestTimeoutNs);
        inFlight.add(batch);
    }

    private int inFlightTo(final int nodeId)
    {
        int count = 0;
        for (final Batch batch : inFlight)
        {
            count += batch.nodeId == nodeId ? 1 : 0;
        }
        return count;
    }

    private void complete(final Batch batch) throws IOException
    {
        String failure = null;
        if (unreachable.contains(batch.nodeId))
        {
            failure = "unreachable";
        }
        else
        {
            try
            {
                final ClientAgent.Reply reply = RfsClient.await(batch.reply);
                if (reply.messageType() != MessageTypes.VERIFY_CHUNKS_RESPONSE)
                {
                    failure = "answered " + MessageTypes.name(reply.messageType()) + " instead of a verify response";
                }
                else
                {
                    decoder.wrap(new UnsafeBuffer(reply.body()), 0, reply.body().length);
                    if (decoder.count() != batch.checks.size())
                    {
                        failure = "answered " + decoder.count() + " states for " + batch.checks.size() + " chunks";
                    }
                }
            }
            catch (final MalformedMessageException ex)
            {
                failure = "sent a malformed answer: " + ex.getMessage();
            }
            catch (final RfsException ex)
            {
                failure = ex.getMessage();
            }
        }
        if (failure != null)
        {
            markUnreachable(batch.nodeId, failure);
        }
        for (int i = 0; i < batch.checks.size(); i++)
        {
            final Check check = batch.checks.get(i);
            if (failure != null)
            {
                check.unreachableOwners += batch.presenceOnly ? 0 : 1;
            }
            else
            {
                onState(batch, check, decoder.state(i));
            }
            if (--check.pending == 0)
            {
                finish(check);
            }
        }
    }

    private void onState(final Batch batch, final Check check, final int state)
    {
        switch (state)
        {
            case VerifyChunksResponseDescriptor.STATE_HEALTHY:
                check.healthy++;
                break;
            case VerifyChunksResponseDescriptor.STATE_CORRUPT:
                corrupt++;
                report(new ReplicaProblem(batch.nodeId, CORRUPT, check.file, check.id.toHex(),
                    "its copy does not hash to the chunk's id (quarantined; repair will replace it)"));
                break;
            case VerifyChunksResponseDescriptor.STATE_HELD:
                misplaced++;
                report(new ReplicaProblem(batch.nodeId, MISPLACED, check.file, check.id.toHex(),
                    "holds a copy but is not one of its owners"));
                break;
            default:
                if (!batch.presenceOnly)
                {
                    missing++;
                    report(new ReplicaProblem(batch.nodeId, MISSING, check.file, check.id.toHex(),
                        "does not hold it"));
                }
                break;
        }
    }

    private void finish(final Check check)
    {
        openChunks--;
        chunks++;
        bytes += check.length;
        if (check.healthy >= check.owners)
        {
            healthy++;
            return;
        }
        underReplicated++;
        if (check.healthy == 0 && check.unreachableOwners < check.owners)
        {
            lost++;
            report(new ReplicaProblem(0, LOST, check.file, check.id.toHex(), "no owner that answered holds a " +
                "healthy copy (" + check.unreachableOwners + " of " + check.owners + " owners did not answer)"));
        }
    }

    private void markUnreachable(final int nodeId, final String why)
    {
        if (unreachable.add(nodeId))
        {
            report(new ReplicaProblem(nodeId, UNREACHABLE, null, null, why));
        }
    }

    private void report(final ReplicaProblem problem)
    {
        problemCount++;
        problems.accept(problem);
    }

    /**
     * One chunk reference being checked.
     */
    private static final class Check
    {
        private final String file;
        private final ChunkId id;
        private final int length;
        private final int owners;
        private int pending;
        private int healthy;
        private int unreachableOwners;

        Check(final String file, final ChunkId id, final int length, final int owners)
        {
            this.file = file;
            this.id = id;
            this.length = length;
            this.owners = owners;
        }
    }

    /**
     * Ids bound for one node in one request.
     */
    private static final class Batch
    {
        private final int nodeId;
        private final boolean presenceOnly;
        private final List<Check> checks = new ArrayList<>(BATCH_IDS);
        private CompletableFuture<ClientAgent.Reply> reply;

        Batch(final int nodeId, final boolean presenceOnly)
        {
            this.nodeId = nodeId;
            this.presenceOnly = presenceOnly;
        }
    }
}
