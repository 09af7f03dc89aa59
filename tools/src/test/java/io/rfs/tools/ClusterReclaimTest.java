package io.rfs.tools;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's reclaim of unreferenced chunks on a 5-node cluster of processes ({@link MultiProcessCluster}), with a
 * short grace: a removed file's own chunks leave every node, a chunk it shared with a later file stays, a chunk
 * written without a manifest (a put in progress) outlives its grace before it goes, and every file left reads back
 * byte-identical with {@code rfs verify} clean.
 */
@Timeout(300)
class ClusterReclaimTest
{
    private static final int CHUNK = 64 * 1024;
    private static final long GRACE_NS = TimeUnit.SECONDS.toNanos(5);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;
    private ClusterChunkClient chunks;

    @AfterEach
    void stopEverything() throws Exception
    {
        MultiProcessCluster.tearDown(cluster, List.of(), chunks, client);
    }

    @Test
    void shouldReclaimARemovedFilesOwnChunksKeepTheSharedOneAndLetAPutInProgressOutliveItsGrace() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.reclaim.grace=5s",
            "--set", "repair.reclaim.interval=1s");
        client = cluster.connect(context -> context.chunking(ChunkingPolicy.fixed(CHUNK)));
        chunks = cluster.chunkClient();
        final ChunkCodec codec = new ChunkCodec();
        final byte[] ownA = TestData.random(2 * CHUNK, seed);
        final byte[] shared = TestData.random(CHUNK, seed + 1);
        final byte[] ownB = TestData.random(CHUNK, seed + 2);
        final byte[] fileA = concat(ownA, shared);
        final byte[] fileB = concat(shared, ownB);
        final byte[] fileC = TestData.random(3 * CHUNK + 17, seed + 3);

        MultiProcessCluster.put(client, "reclaim/a", fileA, ConsistencyLevel.ALL);
        MultiProcessCluster.put(client, "reclaim/c", fileC, ConsistencyLevel.ALL);
        assertThat(cluster.rfs("rm", "reclaim/a").exitCode()).isZero();
        MultiProcessCluster.put(client, "reclaim/b", fileB, ConsistencyLevel.ALL);
        final List<ChunkId> removedOwn = List.of(
            codec.hash(Arrays.copyOfRange(ownA, 0, CHUNK), CHUNK),
            codec.hash(Arrays.copyOfRange(ownA, CHUNK, 2 * CHUNK), CHUNK));
        final ChunkId sharedId = codec.hash(shared, CHUNK);

        final byte[] orphan = TestData.random(CHUNK, seed + 4);
        final ChunkId orphanId = codec.hash(orphan, CHUNK);
        final long orphanWrittenNs = System.nanoTime();
        for (final int owner : MultiProcessCluster.chunkOwners(client.ring(), orphanId))
        {
            assertThat(chunks.putChunk(owner, orphanId, orphan)).isIn(Status.OK, Status.ALREADY_HAD);
        }

        final long removedGoneNs = awaitGoneEverywhere(removedOwn);
        final long orphanGoneNs = awaitGoneEverywhere(List.of(orphanId));
        System.out.printf("reclaim (seed %d): the removed file's 2 own chunks left every node %.1f s after the" +
            " orphan was written; the orphan %.1f s after its write (grace %d s)%n", seed,
            (removedGoneNs - orphanWrittenNs) / 1e9, (orphanGoneNs - orphanWrittenNs) / 1e9,
            TimeUnit.NANOSECONDS.toSeconds(GRACE_NS));
        assertThat(orphanGoneNs - orphanWrittenNs).as("the manifest-less chunk outlived its grace")
            .isGreaterThanOrEqualTo(GRACE_NS);

        for (int node = 1; node <= MultiProcessCluster.NODES; node++)
        {
            final boolean owner = MultiProcessCluster.chunkOwners(client.ring(), sharedId).contains(node);
            assertThat(chunks.chunkStatus(node, sharedId)).as("shared chunk on node %d", node)
                .isEqualTo(owner ? Status.OK : Status.NOT_FOUND);
        }
        assertThat(TestData.sha256(MultiProcessCluster.get(client, "reclaim/b", ConsistencyLevel.ALL)))
            .isEqualTo(TestData.sha256(fileB));
        assertThat(TestData.sha256(MultiProcessCluster.get(client, "reclaim/c", ConsistencyLevel.ALL)))
            .isEqualTo(TestData.sha256(fileC));
        final RfsCli.Result verify = cluster.rfs("verify");
        assertThat(verify.exitCode()).as("rfs verify: %s %s", verify.out(), verify.stderr()).isZero();
        final List<MultiProcessCluster.LogLine> rounds = cluster.logLines().stream()
            .filter(l -> l.line().startsWith("rfs reclaim:")).toList();
        rounds.forEach(System.out::println);
        assertThat(rounds).as("the leader's log of the rounds that dropped").isNotEmpty();
    }

    /**
     * @return when no node held any of the ids any more.
     */
    private long awaitGoneEverywhere(final List<ChunkId> ids) throws Exception
    {
        Await.await(() -> !heldAnywhere(ids), Duration.ofSeconds(120), ids + " to leave every node");
        return System.nanoTime();
    }

    private boolean heldAnywhere(final List<ChunkId> ids) throws Exception
    {
        for (int node = 1; node <= MultiProcessCluster.NODES; node++)
        {
            for (final ChunkId id : ids)
            {
                if (chunks.chunkStatus(node, id) == Status.OK)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
