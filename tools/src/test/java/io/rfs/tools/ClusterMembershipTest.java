package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.ClientProperties;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.log.RecordDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership changes on a 5-node, N = 3 cluster of processes ({@link MultiProcessCluster}): {@code rfs cluster
 * add-node} while a reader reads, with the fraction of data moved measured against the ideal, and a node killed and
 * committed gone after the grace period, its chunks re-replicated.
 */
@Timeout(400)
class ClusterMembershipTest
{
    private static final int FILES = 240;
    private static final int FILE_LENGTH = 64 * 1024;
    private static final int COMPACTION_THRESHOLD = 256 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;

    @AfterEach
    void stopEverything() throws Exception
    {
        MultiProcessCluster.tearDown(client, cluster, List.of());
    }

    @Test
    void shouldMoveAboutOneSixthOfTheDataToAnAddedNodeAndStayReadableThroughout() throws Exception
    {
        final long seed = System.nanoTime();
        // a slow move (node 6 takes in about 4 MiB at 1 MiB/s) so that reads happen while it runs
        // small segments and compaction threshold, so that the old owners' dropped copies are reclaimed in the test
        cluster = new MultiProcessCluster(dir).start("--set", "repair.bandwidth=1M",
            "--set", "storage.chunk.segment.capacity=4M", "--set", "storage.compaction.garbage.threshold=" + COMPACTION_THRESHOLD);
        client = cluster.connect(context -> { });
        final List<ChunkId> ids = putFiles(seed);

        final JsonNode plan = JsonOutput.object(cluster.local().run("cluster", "add-node", "--dry-run", "--json")
            .expectExit(0));
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        final JsonNode planned = plan.get("nodes").get(MultiProcessCluster.NODES);
        assertThat(planned.get("id").asInt()).isEqualTo(6);
        assertThat(planned.get("inBytes").asLong()).isPositive();
        assertThat(Files.exists(cluster.local().directory().resolve("node-6.properties"))).as("dry run").isFalse();

        final AtomicBoolean reading = new AtomicBoolean(true);
        final AtomicLong reads = new AtomicLong();
        final AtomicReference<Throwable> readFailure = new AtomicReference<>();
        final Thread reader = new Thread(() -> readUntilStopped(seed, reading, reads, readFailure), "reader");
        reader.start();
        final long addedAtNs = System.nanoTime();
        final RfsCli.Result added = cluster.local().run("cluster", "add-node", "--json");
        final JsonNode outcome = JsonOutput.object(added.expectExit(0));
        assertThat(outcome.get("committed").asBoolean()).as(added.toString()).isTrue();
        final String inPlaceText = "rfs membership: ring version " + outcome.get("ringVersion").asLong() +
            " in place";
        int readsOnNewRingDuringMove = 0;
        try (RfsClient during = connectAs(2_000_001))
        {
            assertThat(during.ring().contains(6)).isTrue();
            for (int i = 0; i < FILES && findLogLine(inPlaceText) == null; i++)
            {
                assertThat(MultiProcessCluster.get(during, "member/" + i, ConsistencyLevel.QUORUM))
                    .isEqualTo(TestData.random(FILE_LENGTH, seed + i));
                readsOnNewRingDuringMove++;
            }
        }
        final String inPlace = awaitLogLine(inPlaceText, 180);
        final double rebalanceSeconds = (System.nanoTime() - addedAtNs) / 1e9;
        reading.set(false);
        reader.join();
        assertThat(readFailure.get()).as("a read during the move failed").isNull();

        try (RfsClient fresh = connectAs(2_000_002);
             ClusterChunkClient chunks = new ClusterChunkClient(cluster.local().directory().resolve("client.properties")))
        {
            final Ring ring = fresh.ring();
            assertThat(ring.contains(6)).as("a new client runs on the committed ring").isTrue();
            int onNewNode = 0;
            for (final ChunkId id : ids)
            {
                final boolean owns = MultiProcessCluster.chunkOwners(ring, id).contains(6);
                assertThat(chunks.chunkStatus(6, id)).as("node 6 holds %s iff it owns it", id)
                    .isEqualTo(owns ? Status.OK : Status.NOT_FOUND);
                onNewNode += owns ? 1 : 0;
            }
            final double moved = (double)onNewNode / (ids.size() * MultiProcessCluster.REPLICATION_FACTOR);
            final double ideal = 1.0 / (MultiProcessCluster.NODES + 1);
            System.out.printf("add-node: %d of %d chunk copies moved to node 6: moved fraction %.4f, ideal 1/6 = " +
                "%.4f (ratio %.3f); planned %.4f; %d reads on the old ring and %d on the new one during the move, " +
                "none failed; in place %.1f s after the command started: %s%n", onNewNode,
                ids.size() * MultiProcessCluster.REPLICATION_FACTOR, moved, ideal, moved / ideal,
                plan.get("movedFraction").asDouble(), reads.get(), readsOnNewRingDuringMove, rebalanceSeconds,
                inPlace);
            assertThat(moved).as("seed %d", seed).isBetween(ideal * 0.6, ideal * 1.4);
            awaitOldOwnersDropped(chunks, ring, ids);
            final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
            final long droppedCopies = sum(watch, "rfs_node_chunks_dropped_total");
            assertThat(droppedCopies).as("every copy moved was dropped by one old owner").isEqualTo(onNewNode);
            final long droppedBytes = droppedCopies * RecordDescriptor.recordLength(FILE_LENGTH);
            // a node compacts only while its garbage is at least the threshold, so up to that much stays on each
            final long reclaimable = droppedBytes - MultiProcessCluster.NODES * COMPACTION_THRESHOLD;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sum(watch, "rfs_node_compaction_bytes_reclaimed_total") < reclaimable &&
                System.nanoTime() - deadlineNs < 0)
            {
                Thread.sleep(250);
            }
            final long reclaimed = sum(watch, "rfs_node_compaction_bytes_reclaimed_total");
            final List<String> compactions = logLines("rfs compaction:");
            final List<Long> droppedByNode = new ArrayList<>();
            for (int node = 1; node <= MultiProcessCluster.NODES; node++)
            {
                droppedByNode.add(sum(watch, "rfs_node_chunks_dropped_total", node));
            }
            System.out.printf("add-node drops: nodes 1-5 dropped %s copies (%d in all, %d moved to node 6); " +
                "compactions reclaimed %d bytes of %d dropped: %s%n", droppedByNode, droppedCopies, onNewNode,
                reclaimed, droppedBytes, compactions);
            assertThat(reclaimed).as("the dropped copies' bytes, but what stays under each node's threshold")
                .isGreaterThanOrEqualTo(reclaimable);
            final JsonNode before = verify();
            // the rounds after the move's drop the old owners' manifests; one more, asked for, drops any left
            final JsonNode repaired = JsonOutput.object(cluster.local().run("--store", "cluster", "repair", "--wait",
                "--timeout", "120s", "--json").expectExit(0));
            final JsonNode verify = verify();
            System.out.printf("verify after the rebalance: %d chunks, %d healthy, %d mis-placed (%d manifest " +
                "problems) before rfs repair, %d mis-placed (%d manifest problems) after it; %d manifests dropped " +
                "by nodes 1-5 %s; repair: %s%n", verify.get("chunks").asLong(), verify.get("healthy").asLong(),
                before.get("misplaced").asLong(), before.get("manifestProblems").asLong(),
                verify.get("misplaced").asLong(), verify.get("manifestProblems").asLong(),
                sum(watch, "rfs_node_manifests_dropped_total"), manifestsDroppedByNode(watch), repaired);
            assertThat(verify.get("healthy").asLong()).as("%s", verify).isEqualTo(verify.get("chunks").asLong());
            assertThat(verify.get("underReplicated").asLong() + verify.get("lost").asLong() +
                verify.get("corrupt").asLong() + verify.get("missing").asLong()).as("%s", verify).isZero();
            assertThat(verify.get("misplaced").asLong()).as("no chunk copy or manifest is mis-placed: %s", verify)
                .isZero();
            assertThat(verify.get("manifestProblems").asLong()).as("%s", verify).isZero();
            assertThat(sum(watch, "rfs_node_manifests_dropped_total")).as("each old owner dropped its manifests")
                .isPositive();
            for (int i = 0; i < FILES; i++)
            {
                assertThat(MultiProcessCluster.get(fresh, "member/" + i, ConsistencyLevel.QUORUM))
                    .isEqualTo(TestData.random(FILE_LENGTH, seed + i));
            }
        }
    }

    @Test
    void shouldPutEveryChunkBackOnNReplicasAfterAKilledNodeIsCommittedGone() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.bandwidth=64M",
            "--set", "repair.node.gone.after=3s");
        client = cluster.connect(context -> { });
        final List<ChunkId> ids = putFiles(seed);
        final int victim = 2;
        int victimChunks = 0;
        for (final ChunkId id : ids)
        {
            victimChunks += MultiProcessCluster.chunkOwners(client.ring(), id).contains(victim) ? 1 : 0;
        }

        cluster.kill(victim);
        final long killedNs = System.nanoTime();
        final String gone = awaitLogLine("rfs membership: node " + victim + " unheard", 120);
        final String inPlace = awaitLogLine("in place", 180);
        final double seconds = (System.nanoTime() - killedNs) / 1e9;

        try (RfsClient fresh = connectAs(2_000_002);
             ClusterChunkClient chunks = new ClusterChunkClient(cluster.local().directory().resolve("client.properties")))
        {
            final Ring ring = fresh.ring();
            assertThat(ring.contains(victim)).as("node %d committed gone", victim).isFalse();
            for (final ChunkId id : ids)
            {
                for (final int owner : MultiProcessCluster.chunkOwners(ring, id))
                {
                    assertThat(chunks.chunkStatus(owner, id)).as("%s on its owner %d (seed %d)", id, owner, seed)
                        .isEqualTo(Status.OK);
                }
            }
            System.out.printf("node gone: %d chunks of node %d back on 3 replicas %.1f s after its SIGKILL " +
                "(grace 3 s): %s / %s%n", victimChunks, victim, seconds, gone, inPlace);
            for (int i = 0; i < FILES; i += 5)
            {
                assertThat(MultiProcessCluster.get(fresh, "member/" + i, ConsistencyLevel.QUORUM))
                    .isEqualTo(TestData.random(FILE_LENGTH, seed + i));
            }
        }
    }

    @Test
    void shouldMoveRangesToANodeWhoseWeightIsRaisedAsThePlanSays() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.bandwidth=64M");
        client = cluster.connect(context -> { });
        final List<ChunkId> ids = putFiles(seed);
        final int heavier = 3;

        final JsonNode plan = JsonOutput.object(cluster.local().run("cluster", "set-weight", "--dry-run", "--json",
            Integer.toString(heavier), "300").expectExit(0));
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        assertThat(plan.get("nodes").get(heavier - 1).get("inBytes").asLong()).as(plan.toString()).isPositive();
        cluster.local().run("cluster", "set-weight", Integer.toString(heavier), "0").expectExit(2);
        cluster.local().run("cluster", "set-weight", "9", "300").expectExit(1);

        final RfsCli.Result changed = cluster.local().run("cluster", "set-weight", "--json",
            Integer.toString(heavier), "300");
        final JsonNode outcome = JsonOutput.object(changed.expectExit(0));
        assertThat(outcome.get("committed").asBoolean()).as(changed.toString()).isTrue();
        final String inPlace = awaitLogLine("rfs membership: ring version " + outcome.get("ringVersion").asLong() +
            " in place", 180);

        try (RfsClient fresh = connectAs(2_000_003);
             ClusterChunkClient chunks = new ClusterChunkClient(cluster.local().directory().resolve("client.properties")))
        {
            final Ring ring = fresh.ring();
            assertThat(ring.node(heavier).weight()).isEqualTo(300);
            int onHeavier = 0;
            for (final ChunkId id : ids)
            {
                for (final int owner : MultiProcessCluster.chunkOwners(ring, id))
                {
                    assertThat(chunks.chunkStatus(owner, id)).as("%s on its owner %d (seed %d)", id, owner, seed)
                        .isEqualTo(Status.OK);
                    onHeavier += owner == heavier ? 1 : 0;
                }
            }
            final double share = (double)onHeavier / (ids.size() * MultiProcessCluster.REPLICATION_FACTOR);
            System.out.printf("set-weight: node %d at weight 300 of 700 holds %.4f of the chunk copies (was 0.2); " +
                "planned moved fraction %.4f; %s%n", heavier, share, plan.get("movedFraction").asDouble(), inPlace);
            assertThat(share).as("seed %d", seed).isGreaterThan(0.25);
            for (int i = 0; i < FILES; i += 5)
            {
                assertThat(MultiProcessCluster.get(fresh, "member/" + i, ConsistencyLevel.QUORUM))
                    .isEqualTo(TestData.random(FILE_LENGTH, seed + i));
            }
        }
        assertThat(Files.readString(cluster.local().directory().resolve("cluster.properties")))
            .as("a restart builds the ring it was given").contains("node.weight." + heavier + "=300");
    }

    /**
     * Waits until each old node holds exactly the chunks it owns by the new ring (the rebalance's last round drops
     * the rest; a round that timed out on a drop leaves it to the next, which {@code rfs repair} starts now).
     *
     */
    private void awaitOldOwnersDropped(final ClusterChunkClient chunks, final Ring ring, final List<ChunkId> ids)
        throws Exception
    {
        for (int attempt = 0; ; attempt++)
        {
            int wrong = 0;
            for (final ChunkId id : ids)
            {
                final List<Integer> owners = MultiProcessCluster.chunkOwners(ring, id);
                for (int node = 1; node <= MultiProcessCluster.NODES; node++)
                {
                    final boolean held = chunks.chunkStatus(node, id) == Status.OK;
                    wrong += held != owners.contains(node) ? 1 : 0;
                }
            }
            if (wrong == 0)
            {
                return;
            }
            assertThat(attempt).as("%d copies still on nodes that do not own them, or gone from owners", wrong)
                .isLessThan(3);
            cluster.local().run("--store", "cluster", "repair", "--wait").expectExit(0);
        }
    }

    private JsonNode verify() throws Exception
    {
        return JsonOutput.object(cluster.local().run("--store", "cluster", "verify", "--json"));
    }

    private static List<Long> manifestsDroppedByNode(final NodeHealthWatch watch)
    {
        final List<Long> dropped = new ArrayList<>();
        for (int node = 1; node <= MultiProcessCluster.NODES; node++)
        {
            dropped.add(sum(watch, "rfs_node_manifests_dropped_total", node));
        }
        return dropped;
    }

    private static long sum(final NodeHealthWatch watch, final String metric)
    {
        return sum(watch, metric, 1, 2, 3, 4, 5, 6);
    }

    private static long sum(final NodeHealthWatch watch, final String metric, final int... nodes)
    {
        long total = 0;
        for (final int node : nodes)
        {
            final String metrics = watch.metrics(node);
            final Matcher matcher = Pattern.compile("(?m)^" + metric + " ([0-9.eE+]+)$")
                .matcher(metrics == null ? "" : metrics);
            total += matcher.find() ? (long)Double.parseDouble(matcher.group(1)) : 0;
        }
        return total;
    }

    private List<String> logLines(final String text) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        for (int node = 1; node <= MultiProcessCluster.NODES + 1; node++)
        {
            final Path log = cluster.local().directory().resolve("node-" + node + ".log");
            if (Files.exists(log))
            {
                for (final String line : Files.readAllLines(log))
                {
                    if (line.contains(text))
                    {
                        lines.add("node " + node + ": " + line.substring(line.indexOf(text) + text.length()).trim());
                    }
                }
            }
        }
        return lines;
    }

    /**
     * A second client in this JVM needs an id of its own: the default is derived from the process id, and a node
     * takes a new connection from the same client id as replacing the old one.
     */
    private RfsClient connectAs(final int clientId) throws Exception
    {
        return RfsClient.connect(ClientProperties.load(cluster.local().directory().resolve("client.properties"),
            Map.of("client.id", Integer.toString(clientId))).requestTimeoutNs(TimeUnit.SECONDS.toNanos(3)));
    }

    private List<ChunkId> putFiles(final long seed) throws Exception
    {
        final ChunkCodec codec = new ChunkCodec();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < FILES; i++)
        {
            final byte[] content = TestData.random(FILE_LENGTH, seed + i);
            MultiProcessCluster.put(client, "member/" + i, content, ConsistencyLevel.ALL);
            ids.add(codec.hash(content, content.length));
        }
        return ids;
    }

    /**
     * Reads random files with a client that connected before the change (so it still places keys by the old ring)
     * until told to stop; the first failure ends it.
     */
    private void readUntilStopped(
        final long seed, final AtomicBoolean reading, final AtomicLong reads, final AtomicReference<Throwable> failure)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        try
        {
            while (reading.get())
            {
                final int i = random.nextInt(FILES);
                final byte[] content = MultiProcessCluster.get(client, "member/" + i, ConsistencyLevel.QUORUM);
                if (!java.util.Arrays.equals(content, TestData.random(FILE_LENGTH, seed + i)))
                {
                    throw new AssertionError("member/" + i + " read back different bytes");
                }
                reads.incrementAndGet();
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
        }
    }

    /**
     * @param text     what the line contains.
     * @param timeoutS how long to wait.
     * @return the first such line in any node's log, with the node's id.
     */
    private String awaitLogLine(final String text, final int timeoutS) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() - deadlineNs < 0)
        {
            final String line = findLogLine(text);
            if (line != null)
            {
                return line;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no node logged \"" + text + "\" within " + timeoutS + " s");
    }

    /**
     * @return the first line containing the text in any node's log, with the node's id, or null.
     */
    private String findLogLine(final String text) throws Exception
    {
        for (int node = 1; node <= MultiProcessCluster.NODES + 1; node++)
        {
            final Path log = cluster.local().directory().resolve("node-" + node + ".log");
            if (Files.exists(log))
            {
                for (final String line : Files.readAllLines(log))
                {
                    if (line.contains(text))
                    {
                        return "node " + node + ": " + line;
                    }
                }
            }
        }
        return null;
    }
}
