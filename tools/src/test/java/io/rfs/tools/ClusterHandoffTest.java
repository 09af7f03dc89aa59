package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sloppy quorum and hinted handoff with real processes: five node JVMs on loopback started by {@code rfs cluster
 * start --nodes 5 --rf 3 --set partition.mode=availability}, one partitioned away with SIGSTOP, an {@link RfsClient}
 * in the test JVM made from the cluster's {@code client.properties}. (The same partition under
 * {@code partition.mode=consistency} is {@link ClusterFaultTest}'s: a put at ALL is refused, naming the node.)
 */
@Timeout(300)
class ClusterHandoffTest
{
    private static final int PARTITIONED = 3;
    private static final int FILES = 8;
    private static final String HINTS_PENDING = "rfs_node_hints_pending";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;
    private long stoppedPid = -1;

    @AfterEach
    void stopEverything() throws Exception
    {
        MultiProcessCluster.tearDown(cluster, stoppedPid > 0 ? List.of(stoppedPid) : List.of(), client);
    }

    /**
     * While node 3 is stopped (its process and sockets stay, nothing answers), puts at ALL of files whose chunk and
     * manifest node 3 owns keep succeeding: W = 3 is made of the two live owners and a stand-in that records a hint
     * for node 3, as the stand-ins' {@code rfs_node_hints_pending} shows. The stopped node is then SIGKILLed, so
     * nothing it was sent while stopped can reach its disk, and restarted on its data: within a minute every chunk
     * and manifest of those files is on node 3, as requests to node 3 alone show, node 3 holds those and nothing
     * else (its {@code /health}), and the stand-ins have delivered every hint they stored and have none pending.
     * Nothing but handoff copies data to node 3: the cluster runs with {@code repair.enabled=false} (repair would
     * otherwise copy what node 3 lacks in its first round), and no read goes through a node after the restart.
     */
    @Test
    void shouldKeepPuttingThroughAPartitionAndHandTheDataToTheNodeWhenItIsBack() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "partition.mode=availability",
            "--set", "handoff.retry.interval=200ms", "--set", "handoff.request.timeout=1s",
            "--set", "repair.enabled=false");
        client = cluster.connect(context -> { });
        assertThat(client.context().partitionMode()).as("from client.properties").isEqualTo(PartitionMode.AVAILABILITY);
        final Ring ring = client.ring();
        final SplittableRandom random = new SplittableRandom(seed);
        final ChunkCodec codec = new ChunkCodec();
        final Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < FILES; i++)
        {
            files.put(MultiProcessCluster.nameOwnedBy(ring, PARTITIONED, "handoff/" + i + "/"),
                MultiProcessCluster.contentOwnedBy(ring, PARTITIONED, random));
        }

        stoppedPid = cluster.startedPid(PARTITIONED);
        MultiProcessCluster.signal(stoppedPid, "STOP");
        final Map<String, Version> versions = new LinkedHashMap<>();
        final StringBuilder latencies = new StringBuilder();
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            final long start = System.nanoTime();
            final FileStat stat = client.put(file.getKey(), new ByteArrayInputStream(file.getValue()),
                ConsistencyLevel.ALL, TransferListener.NONE);
            latencies.append(String.format(" %.1f ms", (System.nanoTime() - start) / 1e6));
            versions.put(file.getKey(), stat.version());
        }
        System.out.println("partition.mode=availability, node " + PARTITIONED + " SIGSTOPped, puts at ALL took" +
            latencies);
        // At least a chunk and a manifest per file; more if a live owner was slower than the attempt timeout.
        assertThat(client.hintedAcknowledgements()).as("seed %d", seed).isGreaterThanOrEqualTo(2L * FILES);
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            assertThat(TestData.sha256(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.QUORUM)))
                .as("%s (seed %d)", file.getKey(), seed).isEqualTo(TestData.sha256(file.getValue()));
        }

        final NodeHealthWatch beforeRestart = new NodeHealthWatch(cluster.local().status());
        assertThat(sumOverStandIns(beforeRestart, HINTS_PENDING))
            .as("hints kept for node %d while it is stopped (seed %d)", PARTITIONED, seed)
            .isGreaterThanOrEqualTo(2L * FILES);

        cluster.kill(PARTITIONED);
        stoppedPid = -1;
        cluster.restartDownNodes();
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());

        try (ClusterChunkClient direct = cluster.chunkClient())
        {
            final long restartedNs = System.nanoTime();
            Await.await(() ->
            {
                for (final Map.Entry<String, byte[]> file : files.entrySet())
                {
                    final byte[] content = file.getValue();
                    if (direct.chunkStatus(PARTITIONED, codec.hash(content, content.length)) != Status.OK ||
                        !versions.get(file.getKey()).equals(direct.manifestVersion(PARTITIONED, file.getKey())))
                    {
                        return false;
                    }
                }
                return true;
            }, Duration.ofSeconds(60), "every file to be handed to node " + PARTITIONED + " (seed " + seed + ")");
            System.out.printf("handed over %.1f s after the restart%n", (System.nanoTime() - restartedNs) / 1e9);
            for (final byte[] content : files.values())
            {
                assertThat(direct.getChunk(PARTITIONED, codec.hash(content, content.length))).isEqualTo(content);
            }
        }
        // A hint for a live owner that was merely slow may be delivered at once; those for node 3 only now.
        Await.await(() -> sumOverStandIns(watch, HINTS_PENDING) == 0, Duration.ofSeconds(30),
            "every stand-in to have no hint pending (seed " + seed + ")");
        final long stored = sumOverStandIns(watch, "rfs_node_hints_stored_total");
        final long delivered = sumOverStandIns(watch, "rfs_node_hints_delivered_total");
        System.out.println("stand-ins stored " + stored + " hints and delivered " + delivered);
        assertThat(delivered).as("hints delivered (seed %d)", seed).isEqualTo(stored)
            .isGreaterThanOrEqualTo(2L * FILES);
        final JsonNode health = watch.health(PARTITIONED);
        assertThat(health.get("chunksHeld").asLong()).as("node %d /health (seed %d)", PARTITIONED, seed)
            .isEqualTo(FILES);
        assertThat(health.get("manifestsHeld").asLong()).as("node %d /health (seed %d)", PARTITIONED, seed)
            .isEqualTo(FILES);
    }

    /**
     * @return the sum of a counter or gauge over every node but the partitioned one, -1 if one did not answer.
     */
    private static long sumOverStandIns(final NodeHealthWatch watch, final String metric)
    {
        long sum = 0;
        for (int node = 1; node <= MultiProcessCluster.NODES; node++)
        {
            if (node != PARTITIONED)
            {
                final long value = watch.counter(node, metric);
                if (value < 0)
                {
                    return -1;
                }
                sum += value;
            }
        }
        return sum;
    }
}
