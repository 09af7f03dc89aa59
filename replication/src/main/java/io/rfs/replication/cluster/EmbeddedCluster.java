package io.rfs.replication.cluster;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.ConfigurationException;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Several real nodes in this process, each with its own data directory ({@code <root>/node-<id>}, ids 1 to K), on
 * one {@link InProcessNetwork} with batch records on, each node's agents on one thread of its own
 * ({@link ThreadingMode#SHARED}): real replication, every write forced on K disks' worth of directories, with zero
 * setup. It is what the command line uses when no cluster is configured.
 * <pre>{@code
 * try (EmbeddedCluster cluster = EmbeddedCluster.open(new EmbeddedCluster.Context().rootDirectory(dir)))
 * {
 *     final Ring ring = cluster.ring();                          // N = min(3, K) over nodes 1..K
 *     final Transport client = cluster.newClientTransport(100);  // the client's endpoint on the same network
 *     ...                                                        // a coordinator over ring and client
 * }
 * }</pre>
 * <b>Clients.</b> The network batches small frames ({@link SharedMemoryContext#batchLength}), so a client's
 * transport, like a node's, must be driven by one thread that calls its {@code doWork()} in every duty cycle: its
 * offers are delivered at the latest then.
 * <p>
 * <b>Memory.</b> An in-process inbox is allocated whole, and each node has two storage rings: with the defaults,
 * about 144 MiB of direct memory per node ({@link Context#inboxCapacity}, {@link Context#storageQueueCapacity},
 * {@link Context#storageResultsCapacity}) plus an inbox per client. Smaller settings take smaller messages.
 * <p>
 * <b>Threads.</b> {@link #open} starts one thread per node; {@link #close()} stops them gracefully (requests in
 * progress are answered, stores forced and closed, directory locks released). Both may be called from any thread;
 * close is idempotent.
 */
public final class EmbeddedCluster implements AutoCloseable
{
    private final Context context;
    private final InProcessNetwork network;
    private final Ring ring;
    private final List<NodeServer> servers;
    /**
     * Client endpoints to close with the cluster, weakly held: a client that was closed and dropped must not keep its
     * inbox (direct memory, 64 MiB by default) alive for as long as the cluster runs.
     */
    private final List<WeakReference<Transport>> clients = new ArrayList<>();
    private boolean closed;

    private EmbeddedCluster(
        final Context context, final InProcessNetwork network, final Ring ring, final List<NodeServer> servers)
    {
        this.context = context;
        this.network = network;
        this.ring = ring;
        this.servers = servers;
    }

    /**
     * Opens (recovering) every node's store and starts serving.
     *
     * @param context concluded here if it has not been.
     * @return the running cluster.
     * @throws ConfigurationException if a setting is wrong, or a data directory was made for another node id.
     * @throws IOException            if a store cannot be opened; the nodes opened before it are closed again.
     */
    public static EmbeddedCluster open(final Context context) throws IOException
    {
        context.conclude();
        final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext()
            .inboxCapacity(context.inboxCapacity())
            .batchLength(context.batchLength()));
        Ring ring = Ring.empty(context.replicationFactor(), context.vnodes());
        for (int id = 1; id <= context.nodes(); id++)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        final List<NodeServer> servers = new ArrayList<>(context.nodes());
        try
        {
            for (int id = 1; id <= context.nodes(); id++)
            {
                servers.add(NodeServer.start(nodeContext(context, id, ring),
                    nodeContext -> network.newTransport(nodeContext.nodeId())));
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietCloseAll(servers);
            throw ex;
        }
        return new EmbeddedCluster(context, network, ring, servers);
    }

    /**
     * The address a node of an embedded cluster has in the ring: a name, not a socket (nothing listens).
     *
     * @param nodeId the node.
     * @return {@code embedded:<id>}.
     */
    public static String address(final int nodeId)
    {
        return "embedded:" + nodeId;
    }

    private static NodeContext nodeContext(final Context context, final int id, final Ring ring)
    {
        final NodeContext node = new NodeContext()
            .nodeId(id)
            .address(address(id))
            .transport(TransportKind.SHM)
            .dataDirectory(context.nodeDirectory(id))
            .replicationFactor(context.replicationFactor())
            .threading(ThreadingMode.SHARED)
            .storageQueueCapacity(context.storageQueueCapacity())
            .storageResultsCapacity(context.storageResultsCapacity())
            .chunkSegmentCapacity(context.chunkSegmentCapacity())
            .manifestSegmentCapacity(context.manifestSegmentCapacity())
            .shutdownTimeoutNs(context.shutdownTimeoutNs());
        if (context.errorHandler() != null)
        {
            node.errorHandler(context.errorHandler());
        }
        for (int peer = 1; peer <= context.nodes(); peer++)
        {
            node.seed(peer, address(peer));
        }
        node.repairContext().ring(ring);
        return node;
    }

    /**
     * @return the ring over nodes 1 to K, N = {@link Context#replicationFactor()}; the same for the same settings
     * every time, so data written by one open is found by the next.
     */
    public Ring ring()
    {
        return ring;
    }

    /**
     * @return the settings in force.
     */
    public Context context()
    {
        return context;
    }

    /**
     * @return the node servers, in id order (node 1 first); for tests and diagnostics.
     */
    public List<NodeServer> nodes()
    {
        return Collections.unmodifiableList(servers);
    }

    /**
     * A client's endpoint on the cluster's network, closed with the cluster if its owner has not closed it. Drive it
     * from one thread, calling {@code doWork()} in every duty cycle (see the class notes).
     *
     * @param clientId an id no node and no other open client has: not 1 to K.
     * @return the endpoint.
     * @throws IllegalArgumentException if the id is a node's or another client's.
     * @throws IllegalStateException    if the cluster is closed.
     */
    public synchronized Transport newClientTransport(final int clientId)
    {
        if (closed)
        {
            throw new IllegalStateException("the embedded cluster is closed");
        }
        if (clientId >= 1 && clientId <= context.nodes())
        {
            throw new IllegalArgumentException("clientId=" + clientId + " is a node's id (1.." + context.nodes() + ")");
        }
        final Transport transport = network.newTransport(clientId);
        clients.removeIf(client -> client.get() == null);
        clients.add(new WeakReference<>(transport));
        return transport;
    }

    /**
     * Takes one node off the cluster: stops it gracefully (see {@link NodeServer#close()}), which takes its endpoint
     * off the network, so that requests to it go unanswered as if it had crashed, until {@link #startNode(int)}.
     * Benchmarks and tests of node loss use it.
     *
     * @param nodeId the node, 1 to K.
     * @throws IllegalArgumentException if there is no such node.
     */
    public synchronized void stopNode(final int nodeId)
    {
        server(nodeId).close();
    }

    /**
     * Starts a node that {@link #stopNode(int)} stopped, on its data directory (recovered as after a restart), with
     * a new endpoint on the network under the same id.
     *
     * @param nodeId the node, 1 to K.
     * @throws IOException              if its store cannot be opened.
     * @throws IllegalArgumentException if there is no such node.
     * @throws IllegalStateException    if it is running or the cluster is closed.
     */
    public synchronized void startNode(final int nodeId) throws IOException
    {
        final NodeServer stopped = server(nodeId);
        if (closed || !stopped.isClosed())
        {
            throw new IllegalStateException(closed ? "the embedded cluster is closed" : "node " + nodeId + " runs");
        }
        servers.set(nodeId - 1, NodeServer.start(nodeContext(context, nodeId, ring),
            nodeContext -> network.newTransport(nodeContext.nodeId())));
    }

    private NodeServer server(final int nodeId)
    {
        if (nodeId < 1 || nodeId > servers.size())
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " is not a node of this cluster (1.." +
                servers.size() + ")");
        }
        return servers.get(nodeId - 1);
    }

    /**
     * Stops every node gracefully (see {@link NodeServer#close()}) and closes the client endpoints still open.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            CloseHelper.closeAll(servers);
        }
        finally
        {
            clients.forEach(client -> CloseHelper.quietClose(client.get()));
        }
    }

    /**
     * Settings of an embedded cluster, each with a documented default; {@link #conclude()} checks them.
     */
    public static final class Context
    {
        /** Default number of nodes. */
        public static final int NODES_DEFAULT = 3;
        /** Most nodes. */
        public static final int MAX_NODES = 64;
        /** Default N, unless there are fewer nodes. */
        public static final int REPLICATION_FACTOR_DEFAULT = Ring.DEFAULT_REPLICATION_FACTOR;
        /** Default virtual nodes per node. */
        public static final int VNODES_DEFAULT = Ring.DEFAULT_VNODES;
        /**
         * Default bytes of each inbox: {@link SharedMemoryContext#INBOX_CAPACITY_DEFAULT}, so that the largest
         * message (8 MiB, a chunk of up to 4 MiB or a manifest of many chunks) is the same as over TCP.
         */
        public static final int INBOX_CAPACITY_DEFAULT = SharedMemoryContext.INBOX_CAPACITY_DEFAULT;
        /**
         * Default bytes of a batch record: small frames (acknowledgements, requests) share one ring record, which
         * measured several times the messages per second of one record each (docs/TRANSPORT.md).
         */
        public static final int BATCH_LENGTH_DEFAULT = 4096;
        /** Default time a graceful close lets requests in progress finish. */
        public static final long SHUTDOWN_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);

        private int nodes = NODES_DEFAULT;
        private int replicationFactor;
        private int vnodes = VNODES_DEFAULT;
        private Path rootDirectory;
        private int inboxCapacity = INBOX_CAPACITY_DEFAULT;
        private int batchLength = BATCH_LENGTH_DEFAULT;
        private int storageQueueCapacity = NodeContext.STORAGE_QUEUE_CAPACITY_DEFAULT;
        private int storageResultsCapacity = NodeContext.STORAGE_RESULTS_CAPACITY_DEFAULT;
        private int chunkSegmentCapacity = NodeContext.CHUNK_SEGMENT_CAPACITY_DEFAULT;
        private int manifestSegmentCapacity = NodeContext.MANIFEST_SEGMENT_CAPACITY_DEFAULT;
        private long shutdownTimeoutNs = SHUTDOWN_TIMEOUT_NS_DEFAULT;
        private ErrorHandler errorHandler;
        private boolean concluded;

        /**
         * Checks the settings and fills in defaults; the node settings are checked again, in full, by each node's
         * {@link NodeContext#conclude()} when it opens.
         *
         * @return this.
         * @throws ConfigurationException naming the first setting that is wrong.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            if (nodes < 1 || nodes > MAX_NODES)
            {
                throw new ConfigurationException("nodes", nodes, "must be 1.." + MAX_NODES);
            }
            if (replicationFactor == 0)
            {
                replicationFactor = Math.min(REPLICATION_FACTOR_DEFAULT, nodes);
            }
            if (replicationFactor < 1 || replicationFactor > Math.min(nodes, Ring.MAX_REPLICATION_FACTOR))
            {
                throw new ConfigurationException("replicationFactor", replicationFactor,
                    "must be 1..min(nodes, " + Ring.MAX_REPLICATION_FACTOR + ") = " +
                    Math.min(nodes, Ring.MAX_REPLICATION_FACTOR));
            }
            if (vnodes < 1 || vnodes > Ring.MAX_VNODES)
            {
                throw new ConfigurationException("vnodes", vnodes, "must be 1.." + Ring.MAX_VNODES);
            }
            if (rootDirectory == null)
            {
                throw new ConfigurationException("rootDirectory", null, "is required: the nodes' directories go in it");
            }
            if (batchLength < 0)
            {
                throw new ConfigurationException("batchLength", batchLength, "must be 0 (off) or more");
            }
            if (shutdownTimeoutNs < 0)
            {
                throw new ConfigurationException("shutdownTimeoutNs", shutdownTimeoutNs, "must not be negative");
            }
            concluded = true;
            return this;
        }

        public int nodes()
        {
            return nodes;
        }

        /**
         * @param nodes K, the nodes, ids 1 to K, 1..{@link #MAX_NODES}; default {@link #NODES_DEFAULT}. A root
         *              directory must be opened with the same K every time (the ring places data by it).
         * @return this.
         */
        public Context nodes(final int nodes)
        {
            this.nodes = nodes;
            return this;
        }

        public int replicationFactor()
        {
            return replicationFactor;
        }

        /**
         * @param replicationFactor N, copies of every chunk and manifest, at most K; default the smaller of
         *                          {@link #REPLICATION_FACTOR_DEFAULT} and K.
         * @return this.
         */
        public Context replicationFactor(final int replicationFactor)
        {
            this.replicationFactor = replicationFactor;
            return this;
        }

        public int vnodes()
        {
            return vnodes;
        }

        /**
         * @param vnodes virtual nodes of each node on the ring; default {@link #VNODES_DEFAULT}.
         * @return this.
         */
        public Context vnodes(final int vnodes)
        {
            this.vnodes = vnodes;
            return this;
        }

        public Path rootDirectory()
        {
            return rootDirectory;
        }

        /**
         * @param rootDirectory where the nodes' data directories are, {@code node-<id>}; required.
         * @return this.
         */
        public Context rootDirectory(final Path rootDirectory)
        {
            this.rootDirectory = rootDirectory;
            return this;
        }

        /**
         * @param nodeId 1 to K.
         * @return that node's data directory, {@code <root>/node-<id>}.
         */
        public Path nodeDirectory(final int nodeId)
        {
            return rootDirectory.resolve("node-" + nodeId);
        }

        public int inboxCapacity()
        {
            return inboxCapacity;
        }

        /**
         * @param inboxCapacity bytes of each node's and client's inbox ring, a power of two, allocated whole; the
         *                      largest message is an eighth of it less headers, at most 8 MiB. Default
         *                      {@link #INBOX_CAPACITY_DEFAULT}. The storage queue must take the largest message
         *                      too: an eighth of {@link #storageQueueCapacity} at least.
         * @return this.
         */
        public Context inboxCapacity(final int inboxCapacity)
        {
            this.inboxCapacity = inboxCapacity;
            return this;
        }

        public int batchLength()
        {
            return batchLength;
        }

        /**
         * @param batchLength bytes of a batch record of the network, 0 for none; default
         *                    {@link #BATCH_LENGTH_DEFAULT} (see {@link SharedMemoryContext#batchLength(int)}).
         * @return this.
         */
        public Context batchLength(final int batchLength)
        {
            this.batchLength = batchLength;
            return this;
        }

        public int storageQueueCapacity()
        {
            return storageQueueCapacity;
        }

        /**
         * @param storageQueueCapacity each node's {@code storage.queue.capacity}; default
         *                             {@link NodeContext#STORAGE_QUEUE_CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context storageQueueCapacity(final int storageQueueCapacity)
        {
            this.storageQueueCapacity = storageQueueCapacity;
            return this;
        }

        public int storageResultsCapacity()
        {
            return storageResultsCapacity;
        }

        /**
         * @param storageResultsCapacity each node's {@code storage.results.capacity}; default
         *                               {@link NodeContext#STORAGE_RESULTS_CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context storageResultsCapacity(final int storageResultsCapacity)
        {
            this.storageResultsCapacity = storageResultsCapacity;
            return this;
        }

        public int chunkSegmentCapacity()
        {
            return chunkSegmentCapacity;
        }

        /**
         * @param chunkSegmentCapacity each node's {@code storage.chunk.segment.capacity}; default
         *                             {@link NodeContext#CHUNK_SEGMENT_CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context chunkSegmentCapacity(final int chunkSegmentCapacity)
        {
            this.chunkSegmentCapacity = chunkSegmentCapacity;
            return this;
        }

        public int manifestSegmentCapacity()
        {
            return manifestSegmentCapacity;
        }

        /**
         * @param manifestSegmentCapacity each node's {@code storage.manifest.segment.capacity}; default
         *                                {@link NodeContext#MANIFEST_SEGMENT_CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context manifestSegmentCapacity(final int manifestSegmentCapacity)
        {
            this.manifestSegmentCapacity = manifestSegmentCapacity;
            return this;
        }

        public long shutdownTimeoutNs()
        {
            return shutdownTimeoutNs;
        }

        /**
         * @param shutdownTimeoutNs how long {@link EmbeddedCluster#close()} lets each node's requests in progress
         *                          finish; default {@link #SHUTDOWN_TIMEOUT_NS_DEFAULT}.
         * @return this.
         */
        public Context shutdownTimeoutNs(final long shutdownTimeoutNs)
        {
            this.shutdownTimeoutNs = shutdownTimeoutNs;
            return this;
        }

        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * @param errorHandler where the nodes report errors they survive; default each node's (standard error).
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }
    }
}
