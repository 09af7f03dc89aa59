package io.rfs.replication.node;

import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import org.agrona.CloseHelper;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Four real nodes (ids 1 to 4, each with its own data directory, each knowing the others as members) and a test
 * client (id {@value #CLIENT_ID}) on one in-process shared-memory network, on cached clocks. Nodes can be stopped
 * (their inbox leaves the network) and started again on their data directory. Nothing runs by itself: {@link #step}
 * steps every live node's three agents and then the client.
 */
final class HandoffCluster implements AutoCloseable
{
    static final int NODES = 4;
    static final int CLIENT_ID = 100;
    static final long RETRY_INTERVAL_NS = TimeUnit.SECONDS.toNanos(1);
    static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final List<Throwable> errors = new ArrayList<>();
    final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(1024 * 1024).nanoClock(nanoClock));
    final TestClient client = new TestClient(network.newTransport(CLIENT_ID));
    private final Path root;
    private final UnaryOperator<NodeContext> settings;
    private final Node[] nodes = new Node[NODES + 1];
    private final boolean[] stalled = new boolean[NODES + 1];

    HandoffCluster(final Path root, final UnaryOperator<NodeContext> settings) throws IOException
    {
        this.root = root;
        this.settings = settings;
        epochClock.update(1_700_000_000_000L);
        for (int id = 1; id <= NODES; id++)
        {
            start(id);
        }
    }

    private NodeContext context(final int id)
    {
        final NodeContext context = new NodeContext()
            .nodeId(id)
            .address(address(id))
            .transport(TransportKind.SHM)
            .dataDirectory(root.resolve("node-" + id))
            .storageQueueCapacity(2 * 1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(4 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .handoffRetryIntervalNs(RETRY_INTERVAL_NS)
            .handoffRequestTimeoutNs(REQUEST_TIMEOUT_NS)
            .nanoClock(nanoClock)
            .epochClock(epochClock)
            .errorHandler(errors::add);
        for (int peer = 1; peer <= NODES; peer++)
        {
            context.seed(peer, address(peer));
        }
        return settings.apply(context);
    }

    private static String address(final int id)
    {
        return "127.0.0.1:" + (7400 + id);
    }

    Path dataDirectory(final int id)
    {
        return root.resolve("node-" + id);
    }

    Node node(final int id)
    {
        return nodes[id];
    }

    long counter(final int id, final NodeCounter counter)
    {
        return nodes[id].counters().get(counter);
    }

    /**
     * Opens a node on its data directory (recovering it) and puts it on the network.
     */
    void start(final int id) throws IOException
    {
        nodes[id] = Node.open(context(id), network.newTransport(id));
    }

    /**
     * Closes a node: its inbox leaves the network, so offers to it are refused until it starts again.
     */
    void stop(final int id)
    {
        nodes[id].close();
        nodes[id] = null;
    }

    /**
     * Keeps a node on the network but stops stepping it: what reaches its inbox waits there, unanswered.
     */
    void stall(final int id, final boolean stall)
    {
        stalled[id] = stall;
    }

    void restart(final int id) throws IOException
    {
        stop(id);
        start(id);
    }

    /**
     * One round: every live node takes what reached it, stores and hands off, and sends; then the client reads.
     */
    void step()
    {
        for (int id = 1; id <= NODES; id++)
        {
            if (nodes[id] != null && !stalled[id])
            {
                nodes[id].networkAgent().doWork();
                nodes[id].storageAgent().doWork();
                nodes[id].handoffAgent().doWork();
            }
        }
        client.poll();
    }

    /**
     * Enough rounds for a few requests and their answers to travel between nodes, each through every agent: a
     * handoff takes four (queue it, send it, store it, answer it).
     */
    void settle()
    {
        for (int i = 0; i < 12; i++)
        {
            step();
        }
    }

    void advanceNs(final long ns)
    {
        nanoClock.advance(ns);
    }

    @Override
    public void close()
    {
        for (int id = 1; id <= NODES; id++)
        {
            CloseHelper.quietClose(nodes[id]);
        }
        client.transport.close();
    }
}
