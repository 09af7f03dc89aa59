package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.node.Node;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.PendingRequests;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.StoreDirectory;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.Disk;
import io.rfs.store.manifest.HybridLogicalClock;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestStore;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * Real nodes (ids 1 to {@link #nodeCount}, three by default, each with its own data directory) and a client (id
 * {@value #CLIENT_ID}) on one in-process shared-memory network, on cached clocks, with a ring of N = 3 over the
 * nodes. Nothing runs by itself: {@link #step} steps the writer and every live node (network, storage and hinted
 * handoff agents) by hand.
 */
final class ClusterFixture implements AutoCloseable
{
    static final int CLIENT_ID = 100;
    static final int NODES = 3;
    static final int CHUNK_SEGMENT_CAPACITY = 4 * 1024 * 1024;
    static final int MANIFEST_SEGMENT_CAPACITY = 1024 * 1024;

    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final List<Throwable> errors = new ArrayList<>();
    final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(1024 * 1024).nanoClock(nanoClock));
    final Ring ring;
    final Transport clientTransport;
    final PendingRequests pending = new PendingRequests(new PendingRequests.Context().nanoClock(nanoClock));
    final ResponsePoller poller;
    final int nodeCount;
    private final Path root;
    private final Node[] nodes;
    private final boolean[] stalled;

    private final UnaryOperator<NodeContext> settings;

    ClusterFixture(final Path root) throws IOException
    {
        this(root, NODES, UnaryOperator.identity());
    }

    /**
     * @param nodeCount nodes, at least 3; beyond 3 the ring has fallback nodes for a sloppy quorum.
     * @param settings  changes every node's context (hinted handoff settings, say).
     */
    ClusterFixture(final Path root, final int nodeCount, final UnaryOperator<NodeContext> settings) throws IOException
    {
        this.root = root;
        this.settings = settings;
        this.nodeCount = nodeCount;
        this.nodes = new Node[nodeCount + 1];
        this.stalled = new boolean[nodeCount + 1];
        Ring ring = Ring.empty(3, 16);
        for (int id = 1; id <= nodeCount; id++)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        this.ring = ring;
        this.clientTransport = network.newTransport(CLIENT_ID);
        this.poller = new ResponsePoller(clientTransport, pending, nanoClock, ResponsePoller.POLL_LIMIT_DEFAULT);
        for (int id = 1; id <= nodeCount; id++)
        {
            nodes[id] = Node.open(context(id), network.newTransport(id));
        }
    }

    private static String address(final int id)
    {
        return "127.0.0.1:" + (7400 + id);
    }

    private NodeContext context(final int id)
    {
        final NodeContext context = new NodeContext()
            .nodeId(id)
            .address(address(id))
            .transport(TransportKind.SHM)
            .dataDirectory(dataDirectory(id))
            .storageQueueCapacity(2 * 1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(CHUNK_SEGMENT_CAPACITY)
            .manifestSegmentCapacity(MANIFEST_SEGMENT_CAPACITY)
            .nanoClock(nanoClock)
            .epochClock(epochClock)
            .errorHandler(errors::add);
        for (int peer = 1; peer <= nodeCount; peer++)
        {
            if (peer != id)
            {
                context.seed(peer, address(peer));
            }
        }
        return settings.apply(context);
    }

    private Path dataDirectory(final int id)
    {
        return root.resolve("node-" + id);
    }

    QuorumWriter writer(final ConsistencyLevel level)
    {
        return writer(new QuorumWriter.Context().consistencyLevel(level));
    }

    QuorumWriter writer(final QuorumWriter.Context context)
    {
        return new QuorumWriter(
            context.ring(ring).transport(clientTransport).pendingRequests(pending).nanoClock(nanoClock));
    }

    QuorumReader reader(final QuorumReader.Context context)
    {
        return new QuorumReader(
            context.ring(ring).transport(clientTransport).pendingRequests(pending).nanoClock(nanoClock));
    }

    /**
     * @return a live node, for its counters and agents; null if it is stopped.
     */
    Node node(final int id)
    {
        return nodes[id];
    }

    /**
     * Opens a node that was stopped again on its data directory, as a restart would.
     */
    void start(final int id) throws IOException
    {
        nodes[id] = Node.open(context(id), network.newTransport(id));
    }

    /**
     * @return the files of a node's chunk segments.
     */
    List<Path> chunkSegments(final int id) throws IOException
    {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(dataDirectory(id).resolve("chunks")))
        {
            return files.filter(java.nio.file.Files::isRegularFile).toList();
        }
    }

    /**
     * Closes a node: its inbox is removed from the network, so offers to it are refused from now on.
     */
    void stop(final int id)
    {
        nodes[id].close();
        nodes[id] = null;
    }

    /**
     * Keeps a node on the network but stops stepping it: requests reach its inbox and are never answered.
     */
    void stall(final int id, final boolean stall)
    {
        stalled[id] = stall;
    }

    /**
     * One round: the client agent sends, every live node that is not stalled takes, stores and answers, the poller
     * routes the answers and the agent calls its listeners.
     */
    void step(final QuorumWriter writer)
    {
        step(writer::doWork);
    }

    /**
     * One round as {@link #step(QuorumWriter)}, with any client-side duty cycle.
     */
    void step(final IntSupplier client)
    {
        poller.doWork();
        client.getAsInt();
        stepNodes();
        poller.doWork();
        client.getAsInt();
    }

    /**
     * Steps every live node that is not stalled once: takes requests, stores, answers. For a client agent that polls
     * the client transport itself (a {@link ClientAgent}), step it around this instead of using {@link #step}.
     */
    void stepNodes()
    {
        for (int id = 1; id <= nodeCount; id++)
        {
            if (nodes[id] != null && !stalled[id])
            {
                nodes[id].networkAgent().doWork();
                nodes[id].storageAgent().doWork();
                nodes[id].handoffAgent().doWork();
                nodes[id].networkAgent().doWork();
            }
        }
    }

    /**
     * Closes every node that is still open, so their stores can be read from disk.
     */
    void stopAll()
    {
        for (int id = 1; id <= nodeCount; id++)
        {
            if (nodes[id] != null)
            {
                stop(id);
            }
        }
    }

    /**
     * Reads a stopped node's chunk store from its data directory, as a restart would recover it.
     */
    boolean holdsChunk(final int id, final ChunkId chunkId) throws IOException
    {
        try (StoreDirectory directory = StoreDirectory.open(dataDirectory(id), id, new Disk());
            ChunkStore chunks = ChunkStore.open(directory.chunksDirectory(), new Disk(), CHUNK_SEGMENT_CAPACITY, id))
        {
            return chunks.contains(chunkId);
        }
    }

    /**
     * Reads a stopped node's current version of a manifest from its data directory; null if it has none.
     */
    Manifest currentManifest(final int id, final String name) throws IOException
    {
        try (StoreDirectory directory = StoreDirectory.open(dataDirectory(id), id, new Disk());
            ManifestStore manifests = ManifestStore.open(directory.manifestsDirectory(), new Disk(),
                MANIFEST_SEGMENT_CAPACITY, new HybridLogicalClock(epochClock)))
        {
            return manifests.current(name);
        }
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= nodeCount; id++)
        {
            CloseHelper.quietClose(nodes[id]);
        }
        clientTransport.close();
    }
}
