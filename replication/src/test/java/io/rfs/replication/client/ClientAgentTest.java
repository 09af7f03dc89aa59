package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.store.RfsException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client agent stepped by hand on one thread against three real nodes: commands queued as a user thread would,
 * the agent's duty cycle and the nodes' interleaved, no threads and no sleeps.
 */
class ClientAgentTest
{
    @TempDir
    Path directory;

    private final ChunkCodec codec = new ChunkCodec();
    private ClusterFixture cluster;

    @BeforeEach
    void open() throws IOException
    {
        cluster = new ClusterFixture(directory);
    }

    @AfterEach
    void close()
    {
        cluster.close();
        assertThat(cluster.errors).isEmpty();
    }

    private ClientAgent agent(final int maxWrites)
    {
        return new ClientAgent(new ClientContext().ring(cluster.ring).transport(cluster.clientTransport)
            .nanoClock(cluster.nanoClock).epochClock(cluster.epochClock).maxWrites(maxWrites)
            .chunking(ChunkingPolicy.fixed(64 * 1024))
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(1)).conclude());
    }

    private void step(final ClientAgent agent)
    {
        agent.doWork();
        cluster.stepNodes();
        agent.doWork();
    }

    @Test
    void shouldWriteAChunkAndAManifestAndReadThemBack() throws Exception
    {
        final ClientAgent agent = agent(16);
        final byte[] raw = random(1, 30_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final Manifest manifest = new Manifest("a", raw.length, new byte[32], new ChunkId[]{id},
            new int[]{raw.length}, agent.nextVersion(), false);

        final CompletableFuture<Integer> chunk = agent.putChunk(id, raw.length, false, raw, raw.length,
            ConsistencyLevel.ALL);
        final CompletableFuture<Integer> written = agent.putManifest(manifest, ConsistencyLevel.QUORUM);
        assertThat(chunk).as("nothing happens off the agent's thread").isNotDone();
        step(agent);

        assertThat(chunk.get()).isEqualTo(3);
        assertThat(written.get()).isGreaterThanOrEqualTo(2);
        final CompletableFuture<Manifest> read = agent.readManifest("a", ConsistencyLevel.ALL);
        final byte[] dst = new byte[raw.length];
        final CompletableFuture<ClientAgent.Fetched> fetched = agent.fetchChunk(id, raw.length, dst, null);
        step(agent);
        step(agent);
        assertThat(read.get().version()).isEqualTo(manifest.version());
        assertThat(fetched.get().payloadLength()).isEqualTo(raw.length);
        assertThat(dst).isEqualTo(raw);
        final CompletableFuture<ClientAgent.ListPage> page = agent.listPage(1, new byte[0], null, 10);
        step(agent);
        step(agent);
        assertThat(page.get().entries()).extracting(io.rfs.store.FileStat::name).containsExactly("a");
    }

    @Test
    void shouldHoldACommandTheWriterRefusesUntilItHasRoomThenRunIt() throws Exception
    {
        final ClientAgent agent = agent(1);
        final byte[] a = random(2, 1000);
        final byte[] b = random(3, 1000);

        final CompletableFuture<Integer> first = agent.putChunk(codec.hash(a, a.length), a.length, false, a,
            a.length, ConsistencyLevel.ALL);
        final CompletableFuture<Integer> second = agent.putChunk(codec.hash(b, b.length), b.length, false, b,
            b.length, ConsistencyLevel.ALL);
        agent.doWork();
        assertThat(agent.writer().inFlight()).as("maxWrites = 1").isEqualTo(1);
        step(agent);
        step(agent);

        assertThat(first.get()).isEqualTo(3);
        assertThat(second.get()).isEqualTo(3);
    }

    @Test
    void shouldFailTheFutureOfARequestTheWriterRejectsRatherThanTheAgent()
    {
        final ClientAgent agent = agent(16);
        final byte[] tooLong = new byte[cluster.clientTransport.maxMessageLength()];

        final CompletableFuture<Integer> refused = agent.putChunk(ChunkId.of(new byte[32]), tooLong.length, false,
            tooLong, tooLong.length, ConsistencyLevel.ONE);
        step(agent);

        assertThat(refused).failsWithin(0, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(IllegalArgumentException.class).withMessageContaining("payloadLength");
    }

    @Test
    void shouldFailEveryOpenRequestWhenClosed()
    {
        final ClientAgent agent = agent(16);
        cluster.stall(1, true);
        cluster.stall(2, true);
        cluster.stall(3, true);
        final CompletableFuture<Manifest> read = agent.readManifest("x", ConsistencyLevel.ONE);
        step(agent);
        final CompletableFuture<Manifest> queued = agent.readManifest("y", ConsistencyLevel.ONE);

        agent.onClose();

        assertThat(read).isCompletedExceptionally();
        assertThat(queued).isCompletedExceptionally();
        assertThat(agent.readManifest("z", null)).failsWithin(0, TimeUnit.SECONDS)
            .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(RfsException.class)
            .withMessageContaining("closed");
    }

    @Test
    void shouldVersionPutsWithItsIdAfterEveryVersionItHasSeen() throws Exception
    {
        final ClientAgent agent = agent(16);
        final Manifest future = Manifest.tombstone("t", new Version(Long.MAX_VALUE >>> 1, 7));
        agent.putManifest(future, ConsistencyLevel.ALL);
        step(agent);
        final CompletableFuture<Manifest> read = agent.readManifest("t", ConsistencyLevel.ONE);
        step(agent);
        assertThat(read.get().version()).isEqualTo(future.version());

        final Version next = agent.nextVersion();

        assertThat(next.isNewerThan(future.version())).isTrue();
        assertThat(next.nodeId()).isEqualTo(ClusterFixture.CLIENT_ID);
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
