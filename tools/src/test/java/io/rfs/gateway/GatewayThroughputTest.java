package io.rfs.gateway;

import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.cluster.EmbeddedCluster;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's cost, measured: the same workloads through the AWS SDK and the gateway, and through the Java client
 * ({@link RfsClient}) straight to the cluster, in one JVM over an embedded three-node cluster (docs/GATEWAY.md,
 * "Figures"). One large object put and read once each way; then 4 KiB objects, 16 clients at once, each putting
 * its share then reading it back, with latency percentiles. Prints the figures; checks only that every byte went
 * in and came out. Slow: run with {@code -Drfs.test.excludedGroups=none}. The large object's size is
 * {@code -Drfs.gateway.large=SIZE_IN_MIB} (default 1024), the small objects per client {@code -Drfs.gateway.small}
 * (default 200).
 */
@Tag("slow")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class GatewayThroughputTest
{
    private static final String ACCESS_KEY = "RFSBENCHACCESSKEY";
    private static final String SECRET = "rfs-bench-secret-access-key/0123456789";
    private static final int CLIENTS = 16;
    private static final int SMALL_BYTES = 4096;
    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path directory;

    private static EmbeddedCluster cluster;
    private static RfsClient store;
    private static S3Gateway gateway;
    private static S3Client s3;

    @BeforeAll
    static void start() throws IOException
    {
        cluster = EmbeddedCluster.open(new EmbeddedCluster.Context().rootDirectory(directory.resolve("cluster")));
        store = RfsClient.connect(new ClientContext().ring(cluster.ring())
            .transport(cluster.newClientTransport(1000)).clientId(1000));
        gateway = S3Gateway.start(new S3Gateway.Context().address(new InetSocketAddress("127.0.0.1", 0))
            .store(store).credentials(Map.of(ACCESS_KEY, SECRET)).threads(CLIENTS));
        s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + gateway.address().getPort()))
            .region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
            .build();
        s3.createBucket(b -> b.bucket("bench"));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(s3, gateway, store, cluster);
    }

    @Test
    void shouldMeasureTheGatewayAgainstTheJavaClient() throws Exception
    {
        final long largeBytes = Long.getLong("rfs.gateway.large", 1024) * MIB;
        final int smallPerClient = Integer.getInteger("rfs.gateway.small", 200);
        final StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "load average at start: %.1f, %d cores%n",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
            Runtime.getRuntime().availableProcessors()));

        // Warm-up, not reported: both paths through the JIT, the SDK's and the gateway's connections open.
        final long warmUpBytes = 32 * MIB;
        store.put("bench-direct/warm-up", new SeededStream(2, warmUpBytes), TransferListener.NONE);
        store.get("bench-direct/warm-up", new CountingSink(), TransferListener.NONE);
        s3.putObject(b -> b.bucket("bench").key("warm-up"), RequestBody.fromContentProvider(
            () -> new SeededStream(2, warmUpBytes), warmUpBytes, "application/octet-stream"));
        s3.getObjectAsBytes(b -> b.bucket("bench").key("warm-up"));
        phase(10, (client, i, bytes) -> store.put("bench-direct/warm-up/" + client + "/" + i,
            new java.io.ByteArrayInputStream(bytes), TransferListener.NONE));
        phase(10, (client, i, bytes) ->
            s3.putObject(b -> b.bucket("bench").key("warm-up/" + client + "/" + i), RequestBody.fromBytes(bytes)));
        phase(10, (client, i, bytes) -> s3.getObjectAsBytes(b -> b.bucket("bench").key("warm-up/" + client + "/" + i)));

        // Large: one object each way, the same seeded bytes, so both must store the same SHA-256.
        long startNs = System.nanoTime();
        final FileStat direct = store.put("bench-direct/large", new SeededStream(1, largeBytes), TransferListener.NONE);
        final double directPutS = seconds(startNs);
        startNs = System.nanoTime();
        s3.putObject(b -> b.bucket("bench").key("large"),
            RequestBody.fromContentProvider(() -> new SeededStream(1, largeBytes), largeBytes, "application/octet-stream"));
        final double gatewayPutS = seconds(startNs);
        final FileStat viaGateway = store.stat(ObjectNames.objectName("bench", "large"));
        assertThat(viaGateway.sha256()).isEqualTo(direct.sha256());
        startNs = System.nanoTime();
        final CountingSink directSink = new CountingSink();
        store.get("bench-direct/large", directSink, TransferListener.NONE);
        final double directGetS = seconds(startNs);
        startNs = System.nanoTime();
        final long gatewayRead;
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket("bench").key("large")))
        {
            gatewayRead = in.transferTo(OutputStream.nullOutputStream());
        }
        final double gatewayGetS = seconds(startNs);
        assertThat(directSink.count).isEqualTo(largeBytes);
        assertThat(gatewayRead).isEqualTo(largeBytes);
        final double mib = largeBytes / (double)MIB;
        report.append(String.format(Locale.ROOT, "%d MiB object: put direct %.1f MiB/s (%.1f s), gateway %.1f MiB/s " +
            "(%.1f s), gateway/direct %.2f; get direct %.1f MiB/s (%.1f s), gateway %.1f MiB/s (%.1f s), " +
            "gateway/direct %.2f%n",
            largeBytes / MIB, mib / directPutS, directPutS, mib / gatewayPutS, gatewayPutS, directPutS / gatewayPutS,
            mib / directGetS, directGetS, mib / gatewayGetS, gatewayGetS, directGetS / gatewayGetS));

        // Small: 16 clients at once, each puts its objects, then reads them back.
        final Phase directPuts = phase(smallPerClient, (client, i, bytes) ->
            store.put("bench-direct/small/" + client + "/" + i, new java.io.ByteArrayInputStream(bytes),
                TransferListener.NONE));
        final Phase gatewayPuts = phase(smallPerClient, (client, i, bytes) ->
            s3.putObject(b -> b.bucket("bench").key("small/" + client + "/" + i), RequestBody.fromBytes(bytes)));
        final Phase directGets = phase(smallPerClient, (client, i, bytes) ->
        {
            final CountingSink sink = new CountingSink();
            store.get("bench-direct/small/" + client + "/" + i, sink, TransferListener.NONE);
            assertThat(sink.count).isEqualTo(SMALL_BYTES);
        });
        final Phase gatewayGets = phase(smallPerClient, (client, i, bytes) ->
            assertThat(s3.getObjectAsBytes(b -> b.bucket("bench").key("small/" + client + "/" + i)).asByteArray())
                .isEqualTo(bytes));
        report.append(String.format(Locale.ROOT, "4 KiB objects, %d clients, %d each: put direct %s; gateway %s; " +
            "gateway/direct %.2f%n", CLIENTS, smallPerClient, directPuts, gatewayPuts,
            gatewayPuts.opsPerS() / directPuts.opsPerS()));
        report.append(String.format(Locale.ROOT, "4 KiB objects, %d clients, %d each: get direct %s; gateway %s; " +
            "gateway/direct %.2f%n", CLIENTS, smallPerClient, directGets, gatewayGets,
            gatewayGets.opsPerS() / directGets.opsPerS()));
        report.append(String.format(Locale.ROOT, "load average at end: %.1f%n",
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.print(report);
        java.nio.file.Files.writeString(Path.of("target", "gateway-throughput.txt"), report);
    }

    private static double seconds(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1e9;
    }

    private interface Operation
    {
        void run(int client, int index, byte[] bytes) throws Exception;
    }

    /**
     * @param opsPerS  operations a second over the phase.
     * @param latency  each operation's latency, microseconds.
     */
    private record Phase(double opsPerS, Histogram latency)
    {
        @Override
        public String toString()
        {
            return String.format(Locale.ROOT, "%.0f ops/s, latency ms p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f",
                opsPerS, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3);
        }
    }

    /**
     * Runs {@code perClient} operations on each of {@link #CLIENTS} threads at once, each on its own seeded 4 KiB
     * objects (the same bytes for the same client and index in every phase).
     */
    private static Phase phase(final int perClient, final Operation operation) throws Exception
    {
        final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final List<Callable<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final int client = c;
            clients.add(() ->
            {
                final Histogram own = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
                for (int i = 0; i < perClient; i++)
                {
                    final byte[] bytes = new byte[SMALL_BYTES];
                    new SplittableRandom(client * 1_000_003L + i).nextBytes(bytes);
                    final long startNs = System.nanoTime();
                    operation.run(client, i, bytes);
                    own.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - startNs),
                        own.getHighestTrackableValue()));
                }
                synchronized (latency)
                {
                    latency.add(own);
                }
                return null;
            });
        }
        final long startNs = System.nanoTime();
        try
        {
            for (final Future<Void> done : threads.invokeAll(clients))
            {
                done.get();
            }
        }
        finally
        {
            threads.shutdownNow();
        }
        return new Phase(CLIENTS * perClient / seconds(startNs), latency);
    }

    /**
     * Seeded pseudo-random bytes, made as they are read, the same whatever the sizes of the reads: no chunk of a
     * large object is a duplicate that the store would not have to write.
     */
    private static final class SeededStream extends InputStream
    {
        private final SplittableRandom random;
        private long remaining;
        private long word;
        private int wordBytesLeft;

        SeededStream(final long seed, final long length)
        {
            this.random = new SplittableRandom(seed);
            this.remaining = length;
        }

        @Override
        public int read()
        {
            final byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length)
        {
            if (remaining == 0)
            {
                return -1;
            }
            final int count = (int)Math.min(remaining, length);
            for (int at = offset; at < offset + count; at++)
            {
                if (wordBytesLeft == 0)
                {
                    word = random.nextLong();
                    wordBytesLeft = 8;
                }
                buffer[at] = (byte)word;
                word >>>= 8;
                wordBytesLeft--;
            }
            remaining -= count;
            return count;
        }
    }

    private static final class CountingSink extends OutputStream
    {
        long count;

        @Override
        public void write(final int b)
        {
            count++;
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            count += length;
        }
    }
}
