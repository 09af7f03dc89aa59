package io.rfs.replication.node;

import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One node (id {@value #NODE_ID}) and one fake client (id {@value #CLIENT_ID}) on an in-process shared-memory
 * network, on cached clocks, with a disk that counts (and can fail) forces. Nothing runs by itself: tests step the
 * agents by hand.
 */
final class NodeFixture implements AutoCloseable
{
    static final int NODE_ID = 1;
    static final int PEER_ID = 2;
    static final int CLIENT_ID = 100;
    static final int INBOX_CAPACITY = 1024 * 1024;
    static final int QUEUE_CAPACITY = 2 * 1024 * 1024;

    /**
     * @param nodeId        the node.
     * @param dataDirectory its data directory.
     * @return the settings of a small node serving on real threads over shared memory, both agents on one thread,
     * at {@code 127.0.0.1:(7400 + nodeId)}.
     */
    static NodeContext serverContext(final int nodeId, final Path dataDirectory)
    {
        return new NodeContext()
            .nodeId(nodeId)
            .address("127.0.0.1:" + (7400 + nodeId))
            .transport(TransportKind.SHM)
            .dataDirectory(dataDirectory)
            .storageQueueCapacity(QUEUE_CAPACITY)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(4 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .threading(ThreadingMode.SHARED);
    }

    final CachedNanoClock nanoClock = new CachedNanoClock();
    final CachedEpochClock epochClock = new CachedEpochClock();
    final CountingDisk disk = new CountingDisk();
    final List<Throwable> errors = new ArrayList<>();
    final InProcessNetwork network;
    final Path dataDirectory;
    final TestClient client;
    Node node;

    private final UnaryOperator<NodeContext> settings;

    NodeFixture(final Path dataDirectory) throws IOException
    {
        this(dataDirectory, UnaryOperator.identity());
    }

    /**
     * @param settings changes the test defaults of {@link #context()}.
     */
    NodeFixture(final Path dataDirectory, final UnaryOperator<NodeContext> settings) throws IOException
    {
        this.dataDirectory = dataDirectory;
        this.settings = settings;
        this.network = new InProcessNetwork(
            new SharedMemoryContext().inboxCapacity(INBOX_CAPACITY).nanoClock(nanoClock));
        this.client = new TestClient(network.newTransport(CLIENT_ID));
        final NodeContext context = context();
        this.node = Node.open(context, network.newTransport(context.nodeId()));
    }

    NodeContext context()
    {
        return settings.apply(serverContext(NODE_ID, dataDirectory)
            .seed(PEER_ID, "127.0.0.1:7402")
            .listMaxEntries(10)
            .nanoClock(nanoClock)
            .epochClock(epochClock)
            .disk(disk)
            .errorHandler(errors::add));
    }

    /**
     * Closes the node and opens it again on the same data directory: a restart, with recovery.
     */
    void restart() throws IOException
    {
        node.close();
        node = Node.open(context(), network.newTransport(NODE_ID));
    }

    /**
     * One round: the network agent takes requests, the storage agent serves them, the network agent sends the
     * results, the client reads them.
     */
    void step()
    {
        node.networkAgent().doWork();
        node.storageAgent().doWork();
        node.networkAgent().doWork();
        client.poll();
    }

    long counter(final NodeCounter counter)
    {
        return node.counters().get(counter);
    }

    @Override
    public void close()
    {
        node.close();
        client.transport.close();
    }

    /**
     * Counts forces, as {@code SegmentLogTest} does, and fails them on demand.
     */
    static final class CountingDisk extends Disk
    {
        int forces;
        boolean failForces;

        @Override
        public void force(final Path file, final FileChannel channel) throws IOException
        {
            if (failForces)
            {
                throw new IOException("injected fdatasync failure on " + file);
            }
            forces++;
            super.force(file, channel);
        }
    }
}
