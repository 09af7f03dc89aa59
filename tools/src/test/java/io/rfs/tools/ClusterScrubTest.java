package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The background scrub on a 5-node cluster of processes: bytes flipped in a chunk on one node's disk are found by
 * that node's scrub (a 20 s {@code scrub.period}), reported to the leader, and replaced by its repair from a
 * verified replica (the repair interval is an hour, so only the report can start the round), while a reader keeps
 * reading the file and never gets anything but its own bytes.
 */
@Timeout(300)
class ClusterScrubTest
{
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
    void shouldFindFlippedBytesReportThemAndGetTheChunkRepairedWhileReadersSeeOnlyGoodBytes() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "scrub.period=20s", "--set", "repair.interval=1h");
        client = cluster.connect(context -> { });
        final byte[] content = TestData.random(200_000, seed);
        final ChunkId chunk = new ChunkCodec().hash(content, content.length);
        MultiProcessCluster.put(client, "scrub/me", content, ConsistencyLevel.ALL);
        final List<Integer> owners = MultiProcessCluster.chunkOwners(client.ring(), chunk);
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
        final int leader = watch.awaitLeader(List.of(1, 2, 3, 4, 5), 1, Duration.ofSeconds(60)).leaderId();
        final int rotten = owners.stream().filter(id -> id != leader).findFirst().orElseThrow();

        final AtomicBoolean reading = new AtomicBoolean(true);
        final AtomicLong reads = new AtomicLong();
        final AtomicReference<Throwable> readFailure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try
            {
                while (reading.get())
                {
                    final byte[] read = MultiProcessCluster.get(client, "scrub/me", ConsistencyLevel.ONE);
                    assertThat(TestData.sha256(read)).isEqualTo(TestData.sha256(content));
                    reads.incrementAndGet();
                    Thread.sleep(20);
                }
            }
            catch (final Throwable ex)
            {
                readFailure.set(ex);
            }
        }, "reader");
        reader.start();

        assertThat(cluster.flipInChunkRecord(rotten, content)).as("chunk found on node %d (seed %d)", rotten, seed)
            .isTrue();
        final long flippedNs = System.nanoTime();
        awaitCounter(watch, rotten, "rfs_node_scrub_corrupt_found_total", 1, flippedNs);
        final double foundS = (System.nanoTime() - flippedNs) / 1e9;
        awaitCounter(watch, leader, "rfs_node_repair_chunks_copied_total", 1, flippedNs);
        final double repairedS = (System.nanoTime() - flippedNs) / 1e9;
        assertThat(watch.counter(rotten, "rfs_node_scrub_reports_sent_total")).isEqualTo(1);
        awaitCounter(watch, rotten, "rfs_node_scrub_passes_total", 3, flippedNs);
        reading.set(false);
        reader.join(30_000);

        assertThat(readFailure.get()).as("every read got the file's bytes (seed %d)", seed).isNull();
        assertThat(reads.get()).isPositive();
        assertThat(watch.counter(rotten, "rfs_node_scrub_corrupt_found_total")).as("the new copy is sound")
            .isEqualTo(1);
        assertThat(cluster.rfs("verify", "scrub/me").exitCode())
            .as("every replica healthy again").isZero();
        final JsonNode health = watch.health(rotten);
        assertThat(health.path("scrubCoverage").isNumber()).isTrue();
        assertThat(health.path("scrubOldestUnverifiedSeconds").asLong(-1)).isBetween(0L, 20L);
        final RfsCli.Result status = cluster.local().run("cluster", "status").expectExit(0);
        assertThat(status.out()).contains("scrub ");
        final JsonNode json = LocalCluster.node(cluster.local().status(), rotten);
        assertThat(json.path("scrubCoverage").isNumber()).as("%s", json).isTrue();
        assertThat(json.path("scrubOldestUnverifiedSeconds").isNumber()).as("%s", json).isTrue();
        System.out.printf("scrub found the flipped chunk on node %d after %.1f s, the leader's repair replaced it " +
            "after %.1f s; %d reads meanwhile, all good%n", rotten, foundS, repairedS, reads.get());
    }

    /**
     * Waits until a counter reaches a value, at most 120 s after a moment.
     */
    private static void awaitCounter(
        final NodeHealthWatch watch, final int node, final String name, final long atLeast, final long sinceNs)
        throws InterruptedException
    {
        Await.await(() -> watch.counter(node, name) >= atLeast,
            Duration.ofNanos(TimeUnit.SECONDS.toNanos(120) - (System.nanoTime() - sinceNs)),
            name + " on node " + node + " to reach " + atLeast);
    }
}
