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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's {@code rfs verify} and {@code rfs repair} on a 5-node cluster of processes (N = 3): a chunk
 * corrupted on one node's disk is named by verify (node and chunk), {@code repair --wait} brings it back and verify is
 * clean again; a killed node makes verify report under-replicated chunks; a node that lost every chunk is refilled by
 * {@code repair --wait}, whose copy rate is printed. Rounds start only when asked ({@code repair.interval=60m}).
 */
@Timeout(600)
class ClusterVerifyRepairTest
{
    private static final int FILES = 32;
    private static final int FILE_LENGTH = 1024 * 1024;

    /**
     * {@code rfs repair --wait}'s plain progress line (RepairStatusView.describe, RepairTimeLeft), any figures.
     */
    private static final String PROGRESS_LINE =
        "leader \\d+ term \\d+: (round in progress|last round), \\d+\\.\\d\\d s: \\d+ of \\d+ ranges compared, " +
        "\\d+ different, \\d+ repaired; \\d+ of \\d+ chunks \\([0-9.]+ [KMGT]?i?B\\) copied" +
        "( at [0-9.]+ [KMGT]?i?B/s)?(, \\d+ failed)?; " +
        "(idle|comparing digests|estimating|finishing|(at least )?about \\d+\\.\\d\\d s left)";

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
    void shouldFindACorruptCopyRepairItAndReportUnderReplicationWhenANodeDies() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.interval=60m", "--set", "repair.bandwidth=8M");
        client = cluster.connect(context -> { });
        final ChunkCodec codec = new ChunkCodec();
        for (int i = 0; i < FILES; i++)
        {
            MultiProcessCluster.put(client, "vr/" + i, TestData.random(FILE_LENGTH, seed + i), ConsistencyLevel.ALL);
        }
        final JsonNode clean = JsonOutput.object(cluster.rfs("verify", "--json").expectExit(0));
        assertThat(clean.get("files").asLong()).isEqualTo(FILES);
        assertThat(clean.get("healthy").asLong()).isEqualTo(clean.get("chunks").asLong()).isEqualTo(FILES);

        // The bandwidth is changed on every running node.
        final JsonNode set = JsonOutput.object(cluster.rfs("repair", "--bandwidth", "256M", "--json").expectExit(0));
        for (final JsonNode node : set.get("nodes"))
        {
            assertThat(node.get("bandwidth").asLong()).as("node %s", node.get("id")).isEqualTo(256L << 20);
        }
        final JsonNode shown = JsonOutput.object(cluster.rfs("repair", "--status", "--json").expectExit(0));
        assertThat(shown.get("nodes").findValues("bandwidth")).extracting(JsonNode::asLong)
            .containsOnly(256L << 20).hasSize(MultiProcessCluster.NODES);
        assertThat(shown.get("leader").get("leaderId").asInt()).isBetween(1, MultiProcessCluster.NODES);

        // One owner's copy of one chunk is corrupted on its disk.
        final byte[] content = TestData.random(FILE_LENGTH, seed + 3);
        final ChunkId chunk = codec.hash(content, content.length);
        final int victim = MultiProcessCluster.chunkOwners(client.ring(), chunk).get(0);
        assertThat(cluster.flipInChunkRecord(victim, content))
            .as("chunk %s in node %d's segments (seed %d)", chunk, victim, seed).isTrue();
        final RfsCli.Result found = cluster.rfs("verify").expectExit(1);
        assertThat(found.out()).as("seed %d", seed)
            .contains("node " + victim + ": corrupt: chunk " + chunk.toHex() + " of vr/3: ")
            .contains("under-replicated: 1");

        // Without --json (and no terminal) the wait prints plain progress lines, then the verdict.
        final List<String> lines = cluster.rfs("repair", "--wait", "--timeout", "100s").expectExit(0).out().lines()
            .toList();
        assertThat(lines).as("seed %d", seed).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lines.subList(0, lines.size() - 1)).as("seed %d", seed)
            .allSatisfy(line -> assertThat(line).matches(PROGRESS_LINE));
        assertThat(lines.get(lines.size() - 1)).as("seed %d", seed)
            .startsWith("healthy: the last round found every range's replicas in sync; ").contains(" chunks (");
        cluster.rfs("verify").expectExit(0);

        // A node that is down: its copies cannot be confirmed.
        final int dead = victim % MultiProcessCluster.NODES + 1;
        cluster.kill(dead);
        final JsonNode down = JsonOutput.object(cluster.rfs("verify", "--json", "--timeout", "5s").expectExit(1));
        assertThat(down.get("underReplicated").asLong()).as("seed %d", seed).isPositive();
        assertThat(down.get("unreachableNodes").asLong()).isEqualTo(1);
        assertThat(down.get("lost").asLong()).isZero();
        assertThat(down.get("problems").toString()).contains("\"node\":" + dead + ",\"kind\":\"unreachable\"");

        // It comes back having lost every chunk: repair refills it.
        cluster.deleteChunks(dead);
        cluster.restartDownNodes();
        final long startNs = System.nanoTime();
        final JsonNode refill = JsonOutput.object(cluster.rfs("repair", "--wait", "--timeout", "110s", "--json")
            .expectExit(0));
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        cluster.rfs("verify").expectExit(0);
        assertThat(refill.get("healthy").asBoolean()).isTrue();
        assertThat(refill.get("bandwidth").asLong()).isEqualTo(256L << 20);
        assertThat(refill.get("totalChunksCopied").asLong()).as("seed %d", seed).isPositive();
        System.out.printf("repair --wait after node %d lost its chunks: healthy after %.1f s (the command's whole " +
            "run, restart excluded); %d chunks, %d bytes copied at %.1f MiB/s while copying (bandwidth 256 MiB/s)%n",
            dead, seconds, refill.get("totalChunksCopied").asLong(), refill.get("totalBytesCopied").asLong(),
            refill.get("totalBytesPerSecond").asLong() / (1024.0 * 1024));
    }
}
