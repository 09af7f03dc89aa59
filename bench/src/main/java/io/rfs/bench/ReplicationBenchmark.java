package io.rfs.bench;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.cluster.EmbeddedCluster;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One chunk replicated to N = 3 with W = 2, in process: a put of a one-chunk file of {@code chunkBytes} through
 * {@link RfsClient} at QUORUM to the embedded cluster (three real nodes on their own threads, shared memory, real
 * files forced to disk). The time covers hashing, the chunk sent to its three owners and two acknowledgements, then
 * the manifest the same way: the cost of the smallest durable replicated write. Every operation stores new content
 * (a counter in the first bytes), so no write is answered from dedup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    BenchmarkFlags.ADD_OPENS_REFLECT, BenchmarkFlags.ADD_OPENS_NIO, BenchmarkFlags.ADD_OPENS_ZIP,
    BenchmarkFlags.ADD_EXPORTS_NIO_CH, BenchmarkFlags.ADD_EXPORTS_REF, BenchmarkFlags.ADD_EXPORTS_MISC})
@State(Scope.Benchmark)
public class ReplicationBenchmark
{
    private static final int CLIENT_ID = 1000;

    @Param({"4096", "65536"})
    public int chunkBytes;

    private Path root;
    private EmbeddedCluster cluster;
    private RfsClient client;
    private byte[] content;
    private long counter;

    @Setup
    public void setUp() throws IOException
    {
        root = Files.createTempDirectory("rfs-replication-bench");
        cluster = EmbeddedCluster.open(new EmbeddedCluster.Context()
            .rootDirectory(root)
            .chunkSegmentCapacity(64 * 1024 * 1024));
        client = RfsClient.connect(new ClientContext()
            .ring(cluster.ring())
            .transport(cluster.newClientTransport(CLIENT_ID))
            .clientId(CLIENT_ID));
        content = new byte[chunkBytes];
        new SplittableRandom(5).nextBytes(content);
    }

    @TearDown
    public void tearDown()
    {
        CloseHelper.quietCloseAll(client, cluster);
        IoUtil.delete(root.toFile(), true);
    }

    /**
     * @return the file stored.
     * @throws IOException if W = 2 was not reached.
     */
    @Benchmark
    public FileStat putOneChunkQuorum() throws IOException
    {
        final long n = counter++;
        for (int i = 0; i < Long.BYTES; i++)
        {
            content[i] = (byte)(n >>> (8 * i));
        }
        return client.put("bench/" + (n & 1023), new ByteArrayInputStream(content), ConsistencyLevel.QUORUM,
            TransferListener.NONE);
    }
}
