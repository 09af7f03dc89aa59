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
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void shouldRefuseAPutAtAllNamingThePartitionedOwnerUnderConsistency() throws IOException
    {
        open(PartitionMode.CONSISTENCY);
        final String name = nameOwnedBy(cluster.ring, PARTITIONED);
        final byte[] before = contentOwnedBy(cluster.ring, PARTITIONED, new SplittableRandom(1));
        put(name, before, ConsistencyLevel.ALL);
        cluster.stop(PARTITIONED);

        final byte[] after = contentOwnedBy(cluster.ring, PARTITIONED, new SplittableRandom(2));
        assertThatThrownBy(() -> put(name, after, ConsistencyLevel.ALL))
            .isInstanceOfSatisfying(QuorumWriteException.class, ex ->
            {
                assertThat(ex.failures()).containsOnlyKeys(PARTITIONED);
                assertThat(ex.standIns()).isEmpty();
            })
            .hasMessageContaining("node " + PARTITIONED + " ")
            .hasMessageContaining("partition.mode=consistency");

        assertThat(get(name, ConsistencyLevel.QUORUM)).as("the previous version stays").isEqualTo(before);
        assertThat(client.hintedAcknowledgements()).isZero();
        for (int node = 1; node <= NODES; node++)
        {
            if (node != PARTITIONED)
            {
                assertThat(cluster.node(node).counters().get(NodeCounter.HINTS_STORED)).as("node %d", node).isZero();
            }
        }
    }

    @Test
    void shouldPutAtAllThroughAStandInUnderAvailabilityAndHandItOverWhenTheOwnerIsBack() throws Exception
    {
        open(PartitionMode.AVAILABILITY);
        final String name = nameOwnedBy(cluster.ring, PARTITIONED);
        final byte[] content = contentOwnedBy(cluster.ring, PARTITIONED, new SplittableRandom(3));
        cluster.stop(PARTITIONED);

        final FileStat stat = put(name, content, ConsistencyLevel.ALL);

        // The chunk and the manifest, and more if a live owner was slower than the attempt timeout (a loaded machine).
        assertThat(client.hintedAcknowledgements()).isGreaterThanOrEqualTo(2);
        assertThat(get(name, ConsistencyLevel.QUORUM)).isEqualTo(content);
        assertThat(hintsPending()).as("those for the stopped node at least").isGreaterThanOrEqualTo(2);

        cluster.start(PARTITIONED);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (hintsPending() > 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertThat(hintsPending()).as("handed over").isZero();
        assertThat(sum(NodeCounter.HINTS_DELIVERED)).isGreaterThanOrEqualTo(2);
        assertThat(cluster.node(PARTITIONED).counters().get(NodeCounter.CHUNKS_WRITTEN)).as("by the handoff")
            .isEqualTo(1);
        // The manifest may also come from the read repair of the get above, if the node was back within its wait.
        assertThat(cluster.node(PARTITIONED).counters().get(NodeCounter.MANIFESTS_WRITTEN)).isPositive();
        final VerifyReport report = client.verify(List.of(name), TransferListener.NONE);
        assertThat(report.isClean()).as("%s", report.problems()).isTrue();
        assertThat(get(name, ConsistencyLevel.ALL)).isEqualTo(content);
        assertThat(client.stat(name)).isEqualTo(stat);
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
     * @return a name whose manifest the node owns.
     */
    static String nameOwnedBy(final Ring ring, final int node)
    {
        final int[] owners = new int[ring.replicaCount()];
        for (int i = 0; ; i++)
        {
            final String name = "partitioned/" + i;
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
