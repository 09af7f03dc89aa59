package io.rfs.replication.cluster;

import io.rfs.replication.node.StorageAgent;
import io.rfs.replication.protocol.GetChunkRequestEncoder;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkRequestEncoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.Transport;
import io.rfs.store.StoreDirectory;
import io.rfs.store.StoreLockedException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.log.Disk;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three real nodes on their own threads in this process, over the batched in-process network, and this test as a
 * client: chunks are put to their owners on the ring, read back, and read back again after the cluster is closed
 * and reopened on the same directories.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedClusterTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int CLIENT_ID = 100;
    private static final int CHUNKS = 20;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path root;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private EmbeddedCluster.Context context()
    {
        return new EmbeddedCluster.Context()
            .rootDirectory(root)
            .inboxCapacity(4 * 1024 * 1024)
            .storageQueueCapacity(8 * 1024 * 1024)
            .storageResultsCapacity(1024 * 1024)
            .chunkSegmentCapacity(4 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .errorHandler(errors::add);
    }

    @Test
    void shouldStoreChunksOnTheirOwnersAndReadThemBackAfterReopening() throws Exception
    {
        final byte[][] chunks = randomChunks(100_000);
        final ChunkId[] ids = ids(chunks);

        final Ring ring;
        try (EmbeddedCluster cluster = EmbeddedCluster.open(context()))
        {
            ring = cluster.ring();
            assertThat(ring.nodeCount()).isEqualTo(EmbeddedCluster.Context.NODES_DEFAULT);
            assertThat(ring.replicationFactor()).isEqualTo(3);
            final Client client = new Client(cluster.newClientTransport(CLIENT_ID));
            for (int i = 0; i < CHUNKS; i++)
            {
                for (final int owner : owners(ring, ids[i]))
                {
                    client.putChunk(owner, ids[i], chunks[i]);
                }
            }
            for (final Client.Response response : client.awaitAll())
            {
                assertThat(response.type).as("seed=%d", SEED).isEqualTo(MessageTypes.PUT_CHUNK_RESPONSE);
                final PutChunkResponseDecoder decoder =
                    new PutChunkResponseDecoder().wrap(response.body, 0, response.body.capacity());
                assertThat(decoder.status()).as("seed=%d: put to node %d", SEED, response.source).isEqualTo(Status.OK);
            }
            readBack(client, ring, ids, chunks);
        }

        try (EmbeddedCluster reopened = EmbeddedCluster.open(context()))
        {
            assertThat(reopened.ring()).as("the same ring, so data is found where it was put").isEqualTo(ring);
            readBack(new Client(reopened.newClientTransport(CLIENT_ID)), reopened.ring(), ids, chunks);
        }
        assertThat(errors).as("the nodes' errors").isEmpty();
    }

    @Test
    void shouldStartAStoppedNodeAgainOnItsData() throws Exception
    {
        final byte[][] chunks = randomChunks(10_000);
        final ChunkId[] ids = ids(chunks);
        try (EmbeddedCluster cluster = EmbeddedCluster.open(context()))
        {
            final Client client = new Client(cluster.newClientTransport(CLIENT_ID));
            putOnOwners(client, cluster.ring(), ids, chunks);

            cluster.stopNode(2);
            assertThat(cluster.nodes().get(1).isClosed()).isTrue();
            assertThatThrownBy(() -> cluster.stopNode(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeId=4");
            cluster.startNode(2);
            assertThat(cluster.nodes().get(1).isClosed()).isFalse();
            assertThatThrownBy(() -> cluster.startNode(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node 1 runs");

            readBack(client, cluster.ring(), ids, chunks);
        }
        assertThat(errors).as("the nodes' errors").isEmpty();
    }

    @Test
    void shouldServeEveryChunkReadOfASlowedNodeNoSoonerThanTheDelay() throws Exception
    {
        final byte[][] chunks = randomChunks(1_000);
        final ChunkId[] ids = ids(chunks);
        final long delayNs = TimeUnit.MILLISECONDS.toNanos(20);
        try (EmbeddedCluster cluster = EmbeddedCluster.open(context()))
        {
            final Client client = new Client(cluster.newClientTransport(CLIENT_ID));
            putOnOwners(client, cluster.ring(), ids, chunks);
            final StorageAgent storage = cluster.nodes().get(1).node().storageAgent();
            assertThat(storage.chunkReadDelayNs()).as("storage.chunk.read.delay's default").isZero();
            storage.chunkReadDelayNs(delayNs);

            final long startNs = System.nanoTime();
            readBack(client, cluster.ring(), ids, chunks);
            // Node 2 owns every chunk (N = K = 3) and serves its reads one at a time on its storage thread.
            assertThat(System.nanoTime() - startNs).as("20 reads on node 2").isGreaterThanOrEqualTo(CHUNKS * delayNs);

            storage.chunkReadDelayNs(0);
            readBack(client, cluster.ring(), ids, chunks);
            assertThatThrownBy(() -> storage.chunkReadDelayNs(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chunkReadDelayNs=-1");
        }
        assertThat(errors).as("the nodes' errors").isEmpty();
    }

    @Test
    void shouldHoldTheDirectoryLocksUntilClosed() throws Exception
    {
        final EmbeddedCluster cluster = EmbeddedCluster.open(context());
        try
        {
            assertThatThrownBy(() -> EmbeddedCluster.open(context())).isInstanceOf(StoreLockedException.class);
        }
        finally
        {
            cluster.close();
        }
        cluster.close();
        for (int id = 1; id <= EmbeddedCluster.Context.NODES_DEFAULT; id++)
        {
            try (StoreDirectory directory = StoreDirectory.open(root.resolve("node-" + id), id, new Disk()))
            {
                assertThat(directory.nodeId()).isEqualTo(id);
            }
        }
    }

    @Test
    void shouldRefuseAClientIdOfANodeAndBadSettings() throws Exception
    {
        try (EmbeddedCluster cluster = EmbeddedCluster.open(context().nodes(2)))
        {
            assertThat(cluster.ring().replicationFactor()).as("N = min(3, K)").isEqualTo(2);
            assertThatThrownBy(() -> cluster.newClientTransport(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientId=2");
        }
        assertThatThrownBy(() -> EmbeddedCluster.open(context().nodes(2).replicationFactor(3)))
            .hasMessageContaining("replicationFactor=3");
        assertThatThrownBy(() -> EmbeddedCluster.open(new EmbeddedCluster.Context()))
            .hasMessageContaining("rootDirectory");
    }

    private static byte[][] randomChunks(final int maxExtraLength)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] chunks = new byte[CHUNKS][];
        for (int i = 0; i < CHUNKS; i++)
        {
            chunks[i] = new byte[100 + random.nextInt(maxExtraLength)];
            random.nextBytes(chunks[i]);
        }
        return chunks;
    }

    private static ChunkId[] ids(final byte[][] chunks)
    {
        final ChunkCodec codec = new ChunkCodec();
        final ChunkId[] ids = new ChunkId[chunks.length];
        for (int i = 0; i < chunks.length; i++)
        {
            ids[i] = codec.hash(chunks[i], chunks[i].length);
        }
        return ids;
    }

    private static void putOnOwners(final Client client, final Ring ring, final ChunkId[] ids,
        final byte[][] chunks) throws Exception
    {
        for (int i = 0; i < CHUNKS; i++)
        {
            for (final int owner : owners(ring, ids[i]))
            {
                client.putChunk(owner, ids[i], chunks[i]);
            }
        }
        client.awaitAll();
    }

    private static int[] owners(final Ring ring, final ChunkId id)
    {
        final int[] owners = new int[ring.replicationFactor()];
        final int count = ring.replicas(Ring.chunkPosition(id), owners);
        return Arrays.copyOf(owners, count);
    }

    private void readBack(final Client client, final Ring ring, final ChunkId[] ids, final byte[][] chunks)
        throws Exception
    {
        final Long2ObjectHashMap<Integer> requests = new Long2ObjectHashMap<>();
        for (int i = 0; i < ids.length; i++)
        {
            for (final int owner : owners(ring, ids[i]))
            {
                requests.put(client.getChunk(owner, ids[i]), Integer.valueOf(i));
            }
        }
        final List<Client.Response> responses = client.awaitAll();
        assertThat(responses).hasSize(ids.length * ring.replicationFactor());
        for (final Client.Response response : responses)
        {
            final int index = requests.get(response.correlationId);
            assertThat(response.type).as("seed=%d", SEED).isEqualTo(MessageTypes.GET_CHUNK_RESPONSE);
            final GetChunkResponseDecoder decoder =
                new GetChunkResponseDecoder().wrap(response.body, 0, response.body.capacity());
            assertThat(decoder.status()).as("seed=%d: chunk %d on node %d", SEED, index, response.source)
                .isEqualTo(Status.OK);
            assertThat(decoder.isCompressed()).isFalse();
            final byte[] payload = new byte[decoder.payloadLength()];
            response.body.getBytes(decoder.payloadOffset(), payload);
            assertThat(payload).as("seed=%d: chunk %d from node %d", SEED, index, response.source)
                .isEqualTo(chunks[index]);
        }
    }

    /**
     * The test's client endpoint: offers requests, and drives its transport (its {@code doWork} delivers batched
     * offers) until every request has its answer.
     */
    private static final class Client
    {
        record Response(int source, int type, long correlationId, UnsafeBuffer body)
        {
        }

        private final Transport transport;
        private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256 * 1024]);
        private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1));
        private long nextCorrelationId = 1;
        private int outstanding;

        Client(final Transport transport)
        {
            this.transport = transport;
        }

        void putChunk(final int node, final ChunkId id, final byte[] raw)
        {
            final PutChunkRequestEncoder encoder = new PutChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
                .rawLength(raw.length).payload(new UnsafeBuffer(raw), 0, raw.length);
            send(node, MessageTypes.PUT_CHUNK_REQUEST, encoder.encodedLength());
        }

        long getChunk(final int node, final ChunkId id)
        {
            final GetChunkRequestEncoder encoder = new GetChunkRequestEncoder().wrap(buffer, 0).chunkId(id)
                .acceptCompressed(false);
            return send(node, MessageTypes.GET_CHUNK_REQUEST, encoder.encodedLength());
        }

        private long send(final int node, final int type, final int length)
        {
            final long correlationId = nextCorrelationId++;
            while (!transport.offer(node, type, correlationId, buffer, 0, length))
            {
                // The node's inbox is full: let it drain.
                idle.idle(transport.doWork());
            }
            outstanding++;
            return correlationId;
        }

        List<Response> awaitAll()
        {
            final List<Response> responses = new ArrayList<>();
            while (responses.size() < outstanding)
            {
                final int work = transport.doWork() + transport.poll(
                    (final int source, final int type, final long correlationId, final DirectBuffer body,
                        final int offset, final int length) ->
                    {
                        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                        copy.putBytes(0, body, offset, length);
                        responses.add(new Response(source, type, correlationId, copy));
                    }, 64);
                idle.idle(work);
            }
            outstanding = 0;
            return responses;
        }
    }
}
