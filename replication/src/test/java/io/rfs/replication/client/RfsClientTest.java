package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.UnknownFileException;
import io.rfs.store.VerifyReport;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RfsClientTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path directory;

    private ServerCluster cluster;
    private RfsClient client;

    @BeforeEach
    void open() throws IOException
    {
        cluster = new ServerCluster(directory.resolve("cluster"));
        client = RfsClient.connect(cluster.clientContext().chunking(ChunkingPolicy.fixed(CHUNK))
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(1)));
    }

    @AfterEach
    void close()
    {
        assertThat(client.agentErrors()).isZero();
        client.close();
        cluster.close();
        assertThat(cluster.errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * 1024 * 1024 + 7})
    void shouldRoundTripAFileOfEverySize(final int size) throws IOException
    {
        final byte[] content = content(size, size);

        final FileStat put = client.put("dir/file-" + size, new ByteArrayInputStream(content), TransferListener.NONE);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final FileStat got = client.get("dir/file-" + size, out, TransferListener.NONE);

        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(put.sha256()).isEqualTo(HexFormat.of().formatHex(Sha256.digest(content)));
        assertThat(got).isEqualTo(put);
        assertThat(client.stat("dir/file-" + size)).isEqualTo(put);
        assertThat(put.chunkCount()).isEqualTo((size + CHUNK - 1) / CHUNK);
        assertThat(put.version().nodeId()).as("writer id is the client's").isEqualTo(client.context().clientId());
    }

    @Test
    void shouldOfferVerifiedChunksToItsCacheAndReadThemFromItOnTheNextGet() throws IOException
    {
        final java.util.Map<ChunkId, byte[]> cached = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        final ChunkCache cache = new ChunkCache()
        {
            @Override
            public boolean read(final ChunkId id, final int length, final byte[] target)
            {
                final byte[] bytes = cached.get(id);
                if (bytes == null)
                {
                    return false;
                }
                System.arraycopy(bytes, 0, target, 0, length);
                hits.incrementAndGet();
                return true;
            }

            @Override
            public void offer(final ChunkId id, final byte[] raw, final int length)
            {
                cached.put(id, java.util.Arrays.copyOf(raw, length));
            }
        };
        final byte[] content = content(11, 5 * CHUNK + 123);
        final FileStat put = client.put("cached", new ByteArrayInputStream(content), TransferListener.NONE);
        try (RfsClient cachingClient = RfsClient.connect(cluster.clientContext().chunking(ChunkingPolicy.fixed(CHUNK))
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(1)).chunkCache(cache)))
        {
            final ByteArrayOutputStream first = new ByteArrayOutputStream();
            cachingClient.get("cached", first, TransferListener.NONE);
            assertThat(hits).hasValue(0);
            assertThat(cached).hasSize(put.chunkCount());
            for (final java.util.Map.Entry<ChunkId, byte[]> chunk : cached.entrySet())
            {
                assertThat(ChunkId.of(Sha256.digest(chunk.getValue()))).as("only verified bytes are offered")
                    .isEqualTo(chunk.getKey());
            }

            final ByteArrayOutputStream second = new ByteArrayOutputStream();
            cachingClient.get("cached", second, TransferListener.NONE);

            assertThat(hits).hasValue(put.chunkCount());
            assertThat(first.toByteArray()).isEqualTo(content);
            assertThat(second.toByteArray()).isEqualTo(content);
        }
    }

    @Test
    void shouldGetIntoALocalFileAndPutFromOne() throws IOException
    {
        final byte[] content = content(7, 200_000);
        final Path source = directory.resolve("source");
        Files.write(source, content);
        final Path target = directory.resolve("target");
        Files.write(target, new byte[]{1, 2, 3});

        client.put("f", source, TransferListener.NONE);
        client.get("f", target, TransferListener.NONE);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        try (var files = Files.list(directory))
        {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".rfs-part"));
        }
    }

    @Test
    void shouldDeleteWithATombstoneAndListOnlyLiveFilesInNameOrder() throws IOException
    {
        for (final String name : List.of("b/1", "a/2", "a/1", "a/3"))
        {
            client.put(name, new ByteArrayInputStream(content(name.hashCode(), 1000)), TransferListener.NONE);
        }

        final FileStat tombstone = client.delete("a/2");

        assertThat(tombstone.tombstone()).isTrue();
        assertThatThrownBy(() -> client.stat("a/2")).isInstanceOf(UnknownFileException.class);
        assertThatThrownBy(() -> client.get("a/2", new ByteArrayOutputStream(), TransferListener.NONE))
            .isInstanceOf(UnknownFileException.class);
        assertThatThrownBy(() -> client.delete("a/2")).isInstanceOf(UnknownFileException.class);
        assertThat(client.list("a/")).extracting(FileStat::name).containsExactly("a/1", "a/3");
        assertThat(client.list("")).extracting(FileStat::name).containsExactly("a/1", "a/3", "b/1");
        assertThat(client.list("")).allMatch(stat -> stat.size() == 1000);
    }

    @Test
    void shouldListEveryNameWhileOneOwnerOfEachAnswersAndRefuseWhenNoneDoes() throws IOException
    {
        for (int i = 0; i < 20; i++)
        {
            client.put("n/" + i, new ByteArrayInputStream(content(i, 10)), TransferListener.NONE);
        }
        cluster.stop(1);
        assertThat(client.list("n/")).hasSize(20);
        cluster.stop(2);
        assertThat(client.list("n/")).as("N = 3 of 3 nodes: node 3 owns every name").hasSize(20);

        cluster.stop(3);
        assertThatThrownBy(() -> client.list("n/")).isInstanceOf(io.rfs.store.RfsException.class)
            .hasMessageContaining("3 nodes did not answer");
    }

    @Test
    void shouldRoundTripWithEachBalancer() throws IOException
    {
        for (final BalancerKind kind : BalancerKind.values())
        {
            try (RfsClient other = RfsClient.connect(cluster.clientContext().balancer(kind)
                .chunking(ChunkingPolicy.fixed(CHUNK))))
            {
                assertThat(other.agentErrors()).isZero();
                final byte[] content = content(kind.ordinal(), 10 * CHUNK + 1);
                other.put(kind.name(), new ByteArrayInputStream(content), TransferListener.NONE);
                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                other.get(kind.name(), out, TransferListener.NONE);
                assertThat(out.toByteArray()).as("%s", kind).isEqualTo(content);
                assertThat(other.agentErrors()).as("%s", kind).isZero();
            }
        }
    }

    @Test
    void shouldOverwriteWithTheNewerVersion() throws IOException
    {
        client.put("x", new ByteArrayInputStream(content(1, 5000)), TransferListener.NONE);
        final byte[] second = content(2, 300_000);
        client.put("x", new ByteArrayInputStream(second), TransferListener.NONE);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.get("x", out, TransferListener.NONE);
        assertThat(out.toByteArray()).isEqualTo(second);
        assertThat(client.list("")).extracting(FileStat::size).containsExactly(300_000L);
    }

    @Test
    void shouldFailAPutThatCannotReachWAndKeepThePreviousVersionReadable() throws IOException
    {
        final byte[] first = content(3, 150_000);
        client.put("kept", new ByteArrayInputStream(first), TransferListener.NONE);
        cluster.stop(2);
        cluster.stop(3);

        assertThatThrownBy(() -> client.put("kept", new ByteArrayInputStream(content(4, 150_000)),
            TransferListener.NONE))
            .isInstanceOf(QuorumWriteException.class)
            .hasMessageContaining("node 2 TIMED_OUT").hasMessageContaining("node 3 TIMED_OUT");

        final ByteArrayOutputStream atOne = new ByteArrayOutputStream();
        client.get("kept", atOne, ConsistencyLevel.ONE, TransferListener.NONE);
        assertThat(atOne.toByteArray()).isEqualTo(first);

        cluster.start(2);
        cluster.start(3);
        final ByteArrayOutputStream atQuorum = new ByteArrayOutputStream();
        client.get("kept", atQuorum, ConsistencyLevel.ALL, TransferListener.NONE);
        assertThat(atQuorum.toByteArray()).as("no manifest of the failed put anywhere").isEqualTo(first);
    }

    @Test
    void shouldReadAtQuorumWithOneNodeDownAndFailAtAll() throws IOException
    {
        final byte[] content = content(5, 400_000);
        client.put("q", new ByteArrayInputStream(content), TransferListener.NONE);
        cluster.stop(1);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.get("q", out, TransferListener.NONE);
        assertThat(out.toByteArray()).isEqualTo(content);
        assertThatThrownBy(() -> client.get("q", new ByteArrayOutputStream(), ConsistencyLevel.ALL,
            TransferListener.NONE))
            .isInstanceOf(QuorumReadException.class).hasMessageContaining("node 1 TIMED_OUT");
    }

    @Test
    void shouldNeverReturnACorruptReplicaAndReportItWhenVerifying() throws IOException
    {
        final byte[] content = content(6, CHUNK);
        client.put("c", new ByteArrayInputStream(content), ConsistencyLevel.ALL, TransferListener.NONE);
        final ChunkId id = new io.rfs.store.chunkstore.ChunkCodec().hash(content, content.length);
        final int[] owners = new int[Ring.MAX_REPLICATION_FACTOR];
        cluster.ring.replicas(Ring.chunkPosition(id), owners);
        corrupt(owners[0], content);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.get("c", out, TransferListener.NONE);
        final VerifyReport report = client.verify(List.of("c"), TransferListener.NONE);

        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(client.badReplicaReports()).isPositive();
        assertThat(report.files()).isEqualTo(1);
        assertThat(report.corrupt()).isEqualTo(1);
        assertThat(report.problems()).singleElement().satisfies(problem ->
        {
            assertThat(problem.kind()).isEqualTo(VerifyReport.Kind.CORRUPT_CHUNK);
            assertThat(problem.chunkId()).isEqualTo(id.toHex());
            assertThat(problem.detail()).startsWith("node " + owners[0] + ":");
        });
    }

    @Test
    void shouldVerifyCleanFilesOnEveryOwnerAndRepairAStaleManifestOnRead() throws IOException
    {
        client.put("v/1", new ByteArrayInputStream(content(8, 3 * CHUNK + 5)), TransferListener.NONE);
        client.put("v/2", new ByteArrayInputStream(content(9, 10)), TransferListener.NONE);

        final VerifyReport report = client.verify(List.of(), TransferListener.NONE);

        assertThat(report.isClean()).as("%s", report.problems()).isTrue();
        assertThat(report.files()).isEqualTo(2);
        assertThat(report.chunks()).isEqualTo(5);
        assertThat(report.bytes()).isEqualTo(3 * CHUNK + 5 + 10);
    }

    @Test
    void shouldServeConcurrentPutsAndGetsFromEightThreads() throws Exception
    {
        final long seed = System.nanoTime();
        final ExecutorService threads = Executors.newFixedThreadPool(8);
        try
        {
            final List<Future<?>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++)
            {
                final int thread = t;
                tasks.add(threads.submit(() ->
                {
                    final SplittableRandom random = new SplittableRandom(seed + thread);
                    for (int i = 0; i < 5; i++)
                    {
                        final byte[] content = new byte[random.nextInt(300_000)];
                        random.nextBytes(content);
                        final String name = "t" + thread + "/" + i;
                        client.put(name, new ByteArrayInputStream(content), TransferListener.NONE);
                        final ByteArrayOutputStream out = new ByteArrayOutputStream();
                        client.get(name, out, TransferListener.NONE);
                        assertThat(out.toByteArray()).as("%s, seed %s", name, seed).isEqualTo(content);
                    }
                    return null;
                }));
            }
            for (final Future<?> task : tasks)
            {
                task.get();
            }
        }
        finally
        {
            threads.shutdownNow();
        }
        assertThat(client.list("")).as("seed %s", seed).hasSize(40);
    }

    @Test
    void shouldPutAndGetAsynchronously() throws Exception
    {
        final byte[] content = content(10, 500_000);
        final Path source = directory.resolve("async-source");
        Files.write(source, content);
        final Path target = directory.resolve("async-target");

        final CompletableFuture<FileStat> put = client.putAsync("async", source);
        final FileStat stored = put.get();
        final FileStat read = client.getAsync("async", target).get();

        assertThat(read).isEqualTo(stored);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(client.getAsync("missing", target)).failsWithin(30, TimeUnit.SECONDS)
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withCauseInstanceOf(UnknownFileException.class);
    }

    @Test
    void shouldCountProgressOfEveryByte() throws IOException
    {
        final byte[] content = content(11, 5 * CHUNK + 3);
        final AtomicLong putBytes = new AtomicLong();
        final AtomicLong getBytes = new AtomicLong();

        client.put("p", new ByteArrayInputStream(content), putBytes::addAndGet);
        client.get("p", new ByteArrayOutputStream(), getBytes::addAndGet);

        assertThat(putBytes.get()).isEqualTo(content.length);
        assertThat(getBytes.get()).isEqualTo(content.length);
    }

    /**
     * Compressible in parts, so some chunks travel LZ4-compressed and some raw.
     */
    private static byte[] content(final long seed, final int size)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        for (int i = 0; i + 2 * CHUNK <= size; i += 4 * CHUNK)
        {
            Arrays.fill(bytes, i, i + CHUNK, (byte)'z');
        }
        return bytes;
    }

    private void corrupt(final int node, final byte[] raw) throws IOException
    {
        final byte[] probe = Arrays.copyOfRange(raw, CHUNK / 2, CHUNK / 2 + 64);
        for (final Path segment : cluster.chunkSegments(node))
        {
            final byte[] bytes = Files.readAllBytes(segment);
            outer:
            for (int i = 0; i + probe.length <= bytes.length; i++)
            {
                for (int j = 0; j < probe.length; j++)
                {
                    if (bytes[i + j] != probe[j])
                    {
                        continue outer;
                    }
                }
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
                {
                    channel.write(ByteBuffer.wrap(new byte[]{(byte)(bytes[i + 10] ^ 0x40)}), i + 10);
                }
                return;
            }
        }
        throw new AssertionError("chunk bytes not found on node " + node);
    }
}
