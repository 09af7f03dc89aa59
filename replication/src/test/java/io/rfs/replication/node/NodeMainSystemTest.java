package io.rfs.replication.node;

import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.shm.InboxFileDescriptor;
import io.rfs.replication.transport.shm.MappedFileNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two nodes in their own JVMs, started by {@link NodeMain} over the mapped-file transport, and this test as their
 * client: chunks stream to both, one node is killed with SIGKILL in the middle of the stream and restarted on the
 * same data directory, and every chunk either node acknowledged must read back from it, hashing to its id.
 */
class NodeMainSystemTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int CLIENT_ID = 100;
    private static final int CHUNKS = 300;
    private static final int WINDOW = 16;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(45);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path directory;

    private final List<NodeProcess> processes = new ArrayList<>();
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, TimeUnit.MILLISECONDS.toNanos(1));
    private final long startNs = System.nanoTime();
    private byte[][] chunks;
    private ChunkId[] ids;

    @AfterEach
    void destroyNodes()
    {
        processes.forEach(NodeProcess::destroy);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReadBackEveryAcknowledgedChunkAfterANodeIsKilledAndRestarted() throws Exception
    {
        final Path inboxes = Files.createDirectories(directory.resolve("inboxes"));
        makeChunks();
        final Path config1 = writeConfig(1, inboxes);
        final Path config2 = writeConfig(2, inboxes);
        NodeProcess node1 = start(config1, "first");
        final NodeProcess node2 = start(config2, "only");

        try (MappedFileNetwork network = new MappedFileNetwork(new SharedMemoryContext().directory(inboxes)
            .inboxCapacity(4 * 1024 * 1024).peerRetryIntervalNs(TimeUnit.MILLISECONDS.toNanos(1))))
        {
            final TestClient client = new TestClient(network.newTransport(CLIENT_ID));
            final Uploads toNode1 = new Uploads(1);
            final Uploads toNode2 = new Uploads(2);

            while (toNode1.acknowledged.cardinality() < CHUNKS / 3)
            {
                pump(client, toNode1, toNode2);
            }
            node1.kill();
            toNode1.forgetInFlight();
            final int acknowledgedBeforeKill = toNode1.acknowledged.cardinality();
            while (!toNode2.isDone())
            {
                pump(client, toNode2);
            }

            node1 = start(config1, "restarted");
            readBack(client, toNode1);
            readBack(client, toNode2);
            while (!toNode1.isDone())
            {
                pump(client, toNode1);
            }
            readBack(client, toNode1);

            assertThat(toNode1.acknowledged.cardinality()).isEqualTo(CHUNKS);
            assertThat(acknowledgedBeforeKill).isPositive();
            assertThat(node1.terminate()).isEqualTo("STOPPED node=1");
            assertThat(node2.terminate()).isEqualTo("STOPPED node=2");
            assertThat(inboxes.resolve(InboxFileDescriptor.fileName(1))).as("closed and removed").doesNotExist();
            for (final NodeProcess process : processes)
            {
                assertThat(process.stderr()).as("a node's errors").doesNotContain("Exception", "rfs node");
            }
            client.transport.close();
        }
    }

    private NodeProcess start(final Path config, final String run) throws IOException
    {
        final NodeProcess process = NodeProcess.start(config, run);
        processes.add(process);
        return process;
    }

    /**
     * Keeps up to {@link #WINDOW} puts in flight to each node and takes what comes back.
     */
    private void pump(final TestClient client, final Uploads... uploads) throws Exception
    {
        checkDeadline();
        int work = 0;
        for (final Uploads upload : uploads)
        {
            work += upload.offerMore(client);
        }
        work += client.transport.doWork();
        final int received = client.poll();
        for (final TestClient.Response response : client.responses)
        {
            for (final Uploads upload : uploads)
            {
                upload.onResponse(response);
            }
        }
        client.responses.clear();
        idle.idle(work + received);
    }

    /**
     * Asks a node for every chunk it acknowledged, one window at a time, and checks each hashes to its id.
     */
    private void readBack(final TestClient client, final Uploads uploads) throws Exception
    {
        final ChunkCodec codec = new ChunkCodec();
        final BitSet verified = new BitSet(CHUNKS);
        final Long2LongHashMap pending = new Long2LongHashMap(-1);
        int next = uploads.acknowledged.nextSetBit(0);
        while (verified.cardinality() < uploads.acknowledged.cardinality())
        {
            checkDeadline();
            while (next >= 0 && pending.size() < WINDOW)
            {
                pending.put(client.getChunk(uploads.node, ids[next], next % 2 == 0), next);
                next = uploads.acknowledged.nextSetBit(next + 1);
            }
            client.transport.doWork();
            final int received = client.poll();
            for (final TestClient.Response response : client.responses)
            {
                final int index = (int)pending.remove(response.correlationId());
                assertThat(index).as("seed=%d: a response to a read of node %d", SEED, uploads.node).isNotNegative();
                assertThat(response.type()).as("seed=%d: answer to chunk %d from node %d", SEED, index, uploads.node)
                    .isEqualTo(MessageTypes.GET_CHUNK_RESPONSE);
                final GetChunkResponseDecoder decoder =
                    new GetChunkResponseDecoder().wrap(response.body(), 0, response.body().capacity());
                assertThat(decoder.status()).as("seed=%d: chunk %d on node %d", SEED, index, uploads.node)
                    .isEqualTo(Status.OK);
                final byte[] payload = new byte[decoder.payloadLength()];
                response.body().getBytes(decoder.payloadOffset(), payload);
                final byte[] raw = new byte[decoder.rawLength()];
                if (decoder.isCompressed())
                {
                    assertThat(codec.decompress(payload, payload.length, raw, raw.length)).isTrue();
                }
                else
                {
                    System.arraycopy(payload, 0, raw, 0, raw.length);
                }
                assertThat(codec.matches(ids[index], raw, raw.length)).as("seed=%d: chunk %d hashes", SEED, index)
                    .isTrue();
                verified.set(index);
            }
            client.responses.clear();
            idle.idle(received);
        }
    }

    private void makeChunks()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final ChunkCodec codec = new ChunkCodec();
        chunks = new byte[CHUNKS][];
        ids = new ChunkId[CHUNKS];
        for (int i = 0; i < CHUNKS; i++)
        {
            final byte[] chunk = new byte[1_000 + random.nextInt(60_000)];
            random.nextBytes(chunk);
            if (i % 2 == 0)
            {
                Arrays.fill(chunk, chunk.length / 3, chunk.length, (byte)i);
            }
            chunks[i] = chunk;
            ids[i] = codec.hash(chunk, chunk.length);
        }
    }

    private Path writeConfig(final int nodeId, final Path inboxes) throws IOException
    {
        final Path config = directory.resolve("node-" + nodeId + ".properties");
        Files.writeString(config, String.join("\n",
            "node.id=" + nodeId,
            "node.address=127.0.0.1:" + (7400 + nodeId),
            "data.directory=" + directory.resolve("node-" + nodeId),
            "cluster.seeds=1=127.0.0.1:7401,2=127.0.0.1:7402",
            "transport=shm",
            "transport.shm.directory=" + inboxes,
            "transport.shm.inbox.capacity=4M",
            "storage.queue.capacity=8M",
            "storage.results.capacity=1M",
            "storage.chunk.segment.capacity=8M",
            "storage.manifest.segment.capacity=1M",
            "shutdown.timeout=5s",
            ""));
        return config;
    }

    private void checkDeadline()
    {
        if (System.nanoTime() - startNs > DEADLINE_NS)
        {
            fail("seed=" + SEED + ": the test ran out of time");
        }
    }

    /**
     * The puts of every chunk to one node: which are acknowledged, which are in flight under which correlation id.
     */
    private final class Uploads
    {
        final int node;
        final BitSet acknowledged = new BitSet(CHUNKS);
        final Long2LongHashMap inFlight = new Long2LongHashMap(-1);
        int next;

        Uploads(final int node)
        {
            this.node = node;
        }

        int offerMore(final TestClient client)
        {
            int offered = 0;
            while (inFlight.size() < WINDOW && (next = nextToSend()) >= 0)
            {
                inFlight.put(client.putChunk(node, ids[next], chunks[next], next % 2 == 0), next);
                offered++;
            }
            return offered;
        }

        private int nextToSend()
        {
            for (int i = acknowledged.nextClearBit(0); i < CHUNKS; i = acknowledged.nextClearBit(i + 1))
            {
                if (!inFlight.containsValue(i))
                {
                    return i;
                }
            }
            return -1;
        }

        void onResponse(final TestClient.Response response) throws Exception
        {
            if (response.source() != node)
            {
                return;
            }
            final long index = inFlight.remove(response.correlationId());
            if (index < 0 || response.type() != MessageTypes.PUT_CHUNK_RESPONSE)
            {
                return;
            }
            final PutChunkResponseDecoder decoder =
                new PutChunkResponseDecoder().wrap(response.body(), 0, response.body().capacity());
            assertThat(decoder.chunkId()).isEqualTo(ids[(int)index]);
            assertThat(decoder.status()).as("seed=%d: put of chunk %d to node %d", SEED, index, node)
                .isIn(Status.OK, Status.ALREADY_HAD);
            acknowledged.set((int)index);
        }

        /**
         * The node died: what was in flight may or may not have been stored, and is not acknowledged.
         */
        void forgetInFlight()
        {
            inFlight.clear();
        }

        boolean isDone()
        {
            return acknowledged.cardinality() == CHUNKS;
        }
    }
}
