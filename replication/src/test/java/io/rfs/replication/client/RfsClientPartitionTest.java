package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.VerifyReport;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An {@link RfsClient} on five in-process nodes (N = 3) with one owner partitioned away (stopped: its inbox leaves
 * the network, nothing reaches it), under each {@code partition.mode}: {@code consistency} refuses a put at ALL
 * naming the node, {@code availability} writes it with a stand-in, and once the node is back the stand-in hands the
 * chunk and the manifest over.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RfsClientPartitionTest
{
    private static final int NODES = 5;
    private static final int PARTITIONED = 3;
    private static final int CHUNK = 64 * 1024;
    private static final int FILES = 4;

    @TempDir
    Path directory;

    private ServerCluster cluster;
    private RfsClient client;

    @AfterEach
    void close()
    {
        if (client != null)
        {
            assertThat(client.agentErrors()).isZero();
            client.close();
        }
        if (cluster != null)
        {
            cluster.close();
            assertThat(cluster.errors).isEmpty();
        }
    }

    private void open(final PartitionMode mode) throws IOException
    {
        cluster = new ServerCluster(directory.resolve("cluster"), NODES,
            context -> context.handoffRetryIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
                .handoffRequestTimeoutNs(TimeUnit.SECONDS.toNanos(1)));
        client = RfsClient.connect(cluster.clientContext().partitionMode(mode).chunking(ChunkingPolicy.fixed(CHUNK))
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(2)));
    }

    /**
     * Every put at ALL that needs the stopped node is refused naming it. The first ones wait for the request timeout
     * (the node is silent); each tells the shared health tracker, and once that has ejected the node a put is refused
     * at once ({@code DOWN}: the node is not asked). The put latencies are printed.
     */
    @Test
    void shouldRefuseAPutAtAllNamingThePartitionedOwnerUnderConsistency() throws IOException
    {
        open(PartitionMode.CONSISTENCY);
        final String name = nameOwnedBy(cluster.ring, PARTITIONED, "partitioned/");
        final SplittableRandom random = new SplittableRandom(1);
        final byte[] before = contentOwnedBy(cluster.ring, PARTITIONED, random);
        put(name, before, ConsistencyLevel.ALL);
        cluster.stop(PARTITIONED);

        final StringBuilder latencies = new StringBuilder();
        ReplicaFailure last = null;
        for (int i = 0; i <= NodeHealth.FAILURE_THRESHOLD_DEFAULT && last != ReplicaFailure.DOWN; i++)
        {
            final byte[] after = contentOwnedBy(cluster.ring, PARTITIONED, random);
            final long start = System.nanoTime();
            final Throwable refused = catchThrowable(() -> put(name, after, ConsistencyLevel.ALL));
            latencies.append(String.format(" %.1f ms", (System.nanoTime() - start) / 1e6));
            assertThat(refused).isInstanceOfSatisfying(QuorumWriteException.class, ex ->
                {
                    assertThat(ex.failures()).containsOnlyKeys(PARTITIONED);
                    assertThat(ex.standIns()).isEmpty();
                })
                .hasMessageContaining("node " + PARTITIONED + " ")
                .hasMessageContaining("partition.mode=consistency");
            last = ((QuorumWriteException)refused).failures().get(PARTITIONED);
        }
        System.out.println("partition.mode=consistency, one owner stopped, puts at ALL refused after" + latencies);

        assertThat(last).as("refused without asking the node once the tracker ejected it").isEqualTo(ReplicaFailure.DOWN);
        assertThat(get(name, ConsistencyLevel.QUORUM)).as("the previous version stays").isEqualTo(before);
        assertThat(client.hintedAcknowledgements()).isZero();
        assertThat(sum(NodeCounter.HINTS_STORED)).isZero();
    }

    /**
     * Puts at ALL of files whose chunk and manifest the stopped node owns succeed through stand-ins (the first ones
     * after the attempt timeout, the later ones at once, the node being ejected), and once the node is back the
     * stand-ins hand every chunk and manifest over. The put latencies are printed.
     */
    @Test
    void shouldPutAtAllThroughAStandInUnderAvailabilityAndHandItOverWhenTheOwnerIsBack() throws Exception
    {
        open(PartitionMode.AVAILABILITY);
        final SplittableRandom random = new SplittableRandom(3);
        final Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < FILES; i++)
        {
            files.put(nameOwnedBy(cluster.ring, PARTITIONED, "partitioned/" + i + "/"),
                contentOwnedBy(cluster.ring, PARTITIONED, random));
        }
        cluster.stop(PARTITIONED);

        final Map<String, FileStat> stats = new LinkedHashMap<>();
        final StringBuilder latencies = new StringBuilder();
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            final long start = System.nanoTime();
            stats.put(file.getKey(), put(file.getKey(), file.getValue(), ConsistencyLevel.ALL));
            latencies.append(String.format(" %.1f ms", (System.nanoTime() - start) / 1e6));
        }
        System.out.println("partition.mode=availability, one owner stopped, puts at ALL took" + latencies);

        // A chunk and a manifest per file, and more if a live owner was slower than the attempt timeout.
        assertThat(client.hintedAcknowledgements()).isGreaterThanOrEqualTo(2L * FILES);
        assertThat(hintsPending()).as("those for the stopped node at least").isGreaterThanOrEqualTo(2L * FILES);
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            assertThat(get(file.getKey(), ConsistencyLevel.QUORUM)).isEqualTo(file.getValue());
        }

        cluster.start(PARTITIONED);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hintsPending() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(hintsPending()).as("handed over").isZero();
        assertThat(sum(NodeCounter.HINTS_DELIVERED)).isGreaterThanOrEqualTo(2L * FILES);
        assertThat(cluster.node(PARTITIONED).counters().get(NodeCounter.CHUNKS_WRITTEN)).as("by the handoff")
            .isEqualTo(FILES);
        // A manifest may also come from the read repair of a get above, if the node was back within its wait.
        assertThat(cluster.node(PARTITIONED).counters().get(NodeCounter.MANIFESTS_WRITTEN)).isGreaterThanOrEqualTo(FILES);
        final VerifyReport report = client.verify(List.copyOf(files.keySet()), TransferListener.NONE);
        assertThat(report.isClean()).as("%s", report.problems()).isTrue();
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            assertThat(get(file.getKey(), ConsistencyLevel.ALL)).isEqualTo(file.getValue());
            assertThat(client.stat(file.getKey())).isEqualTo(stats.get(file.getKey()));
        }
    }

    private long hintsPending()
    {
        return sum(NodeCounter.HINTS_PENDING);
    }

    private long sum(final NodeCounter counter)
    {
        long sum = 0;
        for (int node = 1; node <= NODES; node++)
        {
            if (cluster.node(node) != null)
            {
                sum += cluster.node(node).counters().get(counter);
            }
        }
        return sum;
    }

    private FileStat put(final String name, final byte[] content, final ConsistencyLevel level) throws IOException
    {
        return client.put(name, new ByteArrayInputStream(content), level, TransferListener.NONE);
    }

    private byte[] get(final String name, final ConsistencyLevel level) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.get(name, out, level, TransferListener.NONE);
        return out.toByteArray();
    }

    /**
     * @return the first name {@code <prefix><i>} whose manifest the node owns.
     */
    static String nameOwnedBy(final Ring ring, final int node, final String prefix)
    {
        final int[] owners = new int[ring.replicaCount()];
        for (int i = 0; ; i++)
        {
            final String name = prefix + i;
            final int count = ring.replicas(Ring.manifestPosition(name), owners);
            for (int r = 0; r < count; r++)
            {
                if (owners[r] == node)
                {
                    return name;
                }
            }
        }
    }

    /**
     * @return 10,000 random bytes, one chunk (smaller than the smallest), that the node owns.
     */
    static byte[] contentOwnedBy(final Ring ring, final int node, final SplittableRandom random)
    {
        final ChunkCodec codec = new ChunkCodec();
        final int[] owners = new int[ring.replicaCount()];
        while (true)
        {
            final byte[] content = new byte[10_000];
            random.nextBytes(content);
            final int count = ring.replicas(Ring.chunkPosition(codec.hash(content, content.length)), owners);
            for (int r = 0; r < count; r++)
            {
                if (owners[r] == node)
                {
                    return content;
                }
            }
        }
    }
}
