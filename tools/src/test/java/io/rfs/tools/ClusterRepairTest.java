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

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
        MultiProcessCluster.tearDown(cluster, List.of(), client);
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
        assertThat(cluster.rfs("verify").exitCode()).isZero();

        cluster.kill(victim);
        cluster.deleteChunks(victim);
        cluster.restartDownNodes();
        final long restartedNs = System.nanoTime();

        Await.await(() -> cluster.rfs("verify").exitCode() == 0, Duration.ofSeconds(180),
            "rfs verify to find every replica again (seed " + seed + ")");
        final double seconds = (System.nanoTime() - restartedNs) / 1e9;
        System.out.printf("repair restored %d chunks (%d bytes) of node %d within %.1f s of its restart" +
            " (%.1f MiB/s, a lower bound: it includes the node's start, the first repair interval and the verify" +
            " polls)%n", lostChunks, lostBytes, victim, seconds, lostBytes / seconds / (1024 * 1024));
        final List<MultiProcessCluster.LogLine> rounds = cluster.logLines().stream()
            .filter(l -> l.line().startsWith("rfs repair: round")).toList();
        rounds.forEach(System.out::println);
        assertThat(rounds).as("the leader's log of the rounds that copied").isNotEmpty();
        for (int i = 0; i < FILES; i += 7)
        {
            assertThat(TestData.sha256(MultiProcessCluster.get(client, "repair/" + i, ConsistencyLevel.ALL)))
                .isEqualTo(TestData.sha256(TestData.random(FILE_LENGTH, seed + i)));
        }
    }
}
