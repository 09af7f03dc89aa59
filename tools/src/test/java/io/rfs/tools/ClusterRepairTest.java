package io.rfs.tools;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leader-scheduled repair on a 5-node cluster of processes ({@link MultiProcessCluster}): a node that lost its chunks
 * while it was down gets them back from the other replicas once it is up again.
 */
@Timeout(300)
class ClusterRepairTest
{
    private static final int FILES = 48;
    private static final int FILE_LENGTH = 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;

    @AfterEach
    void stopEverything() throws Exception
    {
        try
        {
            if (client != null)
            {
                client.close();
            }
        }
        finally
        {
            if (cluster != null)
            {
                cluster.killAll();
            }
        }
    }

    @Test
    void shouldRestoreTheChunksANodeLostWhileItWasDown() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.interval=1s", "--set", "repair.bandwidth=256M");
        client = cluster.connect(context -> { });
        final int victim = 2;
        final ChunkCodec codec = new ChunkCodec();
        long lostBytes = 0;
        int lostChunks = 0;
        for (int i = 0; i < FILES; i++)
        {
            final byte[] content = TestData.random(FILE_LENGTH, seed + i);
            MultiProcessCluster.put(client, "repair/" + i, content, ConsistencyLevel.ALL);
            final ChunkId id = codec.hash(content, content.length);
            if (MultiProcessCluster.chunkOwners(client.ring(), id).contains(victim))
            {
                lostBytes += content.length;
                lostChunks++;
            }
        }
        assertThat(lostChunks).as("chunks of node %d (seed %d)", victim, seed).isPositive();
        assertThat(cluster.local().run("--store", "cluster", "verify").exitCode()).isZero();

        cluster.kill(victim);
        deleteTree(cluster.local().directory().resolve("node-" + victim).resolve("chunks"));
        cluster.restartDownNodes();
        final long restartedNs = System.nanoTime();

        int exitCode = 1;
        while (exitCode != 0 && System.nanoTime() - restartedNs < TimeUnit.SECONDS.toNanos(180))
        {
            Thread.sleep(500);
            exitCode = cluster.local().run("--store", "cluster", "verify").exitCode();
        }
        final double seconds = (System.nanoTime() - restartedNs) / 1e9;
        assertThat(exitCode).as("rfs verify finds every replica again (seed %d)", seed).isZero();
        System.out.printf("repair restored %d chunks (%d bytes) of node %d within %.1f s of its restart" +
            " (%.1f MiB/s, a lower bound: it includes the node's start, the first repair interval and the verify" +
            " polls)%n", lostChunks, lostBytes, victim, seconds, lostBytes / seconds / (1024 * 1024));
        final List<String> rounds = new ArrayList<>();
        for (int node = 1; node <= MultiProcessCluster.NODES; node++)
        {
            for (final String line : Files.readAllLines(cluster.local().directory().resolve("node-" + node + ".log")))
            {
                if (line.startsWith("rfs repair: round"))
                {
                    rounds.add("node " + node + ": " + line);
                }
            }
        }
        rounds.forEach(System.out::println);
        assertThat(rounds).as("the leader's log of the rounds that copied").isNotEmpty();
        for (int i = 0; i < FILES; i += 7)
        {
            assertThat(TestData.sha256(MultiProcessCluster.get(client, "repair/" + i, ConsistencyLevel.ALL)))
                .isEqualTo(TestData.sha256(TestData.random(FILE_LENGTH, seed + i)));
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
