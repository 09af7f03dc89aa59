package io.rfs.replication.client;

import io.rfs.replication.node.Node;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Real nodes (three by default) serving on their own threads ({@link NodeServer}, shared threading) over one
 * in-process shared-memory network, each with its own data directory, and a ring of N = 3 over them: the cluster an
 * {@link RfsClient} test talks to. A node can be stopped (its inbox leaves the network, so it is unreachable) and
 * started again on its data.
 */
final class ServerCluster implements AutoCloseable
{
    static final int NODES = 3;
    static final int CLIENT_ID = 100;

    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(4 * 1024 * 1024));
    final Ring ring;
    final int nodeCount;
    private final Path root;
    private final UnaryOperator<NodeContext> settings;
    private final NodeServer[] servers;
    private int nextClientId = CLIENT_ID;

    ServerCluster(final Path root) throws IOException
    {
        this(root, NODES, UnaryOperator.identity());
    }

    /**
     * @param nodeCount nodes, at least 3; beyond 3 the ring has fallback nodes for a sloppy quorum.
     * @param settings  changes every node's context.
     */
    ServerCluster(final Path root, final int nodeCount, final UnaryOperator<NodeContext> settings) throws IOException
    {
        this.root = root;
        this.nodeCount = nodeCount;
        this.settings = settings;
        this.servers = new NodeServer[nodeCount + 1];
        Ring ring = Ring.empty(3, 16);
        for (int id = 1; id <= nodeCount; id++)
        {
            ring = ring.withNode(RingNode.of(id, address(id)));
        }
        this.ring = ring;
        for (int id = 1; id <= nodeCount; id++)
        {
            start(id);
        }
    }

    private static String address(final int id)
    {
        return "127.0.0.1:" + (7400 + id);
    }

    void start(final int id) throws IOException
    {
        final NodeContext context = new NodeContext()
            .nodeId(id)
            .address(address(id))
            .transport(TransportKind.SHM)
            .threading(ThreadingMode.SHARED)
            .dataDirectory(root.resolve("node-" + id))
            .storageQueueCapacity(8 * 1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(8 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .shutdownTimeoutNs(1_000_000_000L)
            .errorHandler(errors::add);
        for (int peer = 1; peer <= nodeCount; peer++)
        {
            if (peer != id)
            {
                context.seed(peer, address(peer));
            }
        }
        servers[id] = NodeServer.start(settings.apply(context), c -> network.newTransport(c.nodeId()));
    }

    /**
     * @return a running node, for its counters; null if it is stopped.
     */
    Node node(final int id)
    {
        return servers[id] == null ? null : servers[id].node();
    }

    void stop(final int id)
    {
        servers[id].close();
        servers[id] = null;
    }

    /**
     * @return a client context on a new endpoint of this network, with the ring set.
     */
    ClientContext clientContext()
    {
        final int id = nextClientId++;
        return new ClientContext().ring(ring).transport(network.newTransport(id)).clientId(id);
    }

    List<Path> chunkSegments(final int id) throws IOException
    {
        try (Stream<Path> files = Files.walk(root.resolve("node-" + id).resolve("chunks")))
        {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= nodeCount; id++)
        {
            CloseHelper.quietClose(servers[id]);
        }
    }
}
