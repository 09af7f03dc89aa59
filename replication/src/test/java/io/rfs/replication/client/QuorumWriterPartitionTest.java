package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.node.NodeCounter;
import io.rfs.replication.ring.PreferenceList;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The writer under a partition, on five real nodes (N = 3, so every key has two fallback nodes) over the in-process
 * network, stepped by hand on a cached clock: {@code availability} asks stand-ins with hints and the stand-ins hand
 * the data over once the owner is back; {@code consistency} refuses, at once when {@link NodeHealth} already knows.
 */
class QuorumWriterPartitionTest
{
    private static final int NODES = 5;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(8);
    private static final long ATTEMPT_NS = TIMEOUT_NS / 4;
    private static final long HANDOFF_RETRY_NS = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path directory;

    private final ChunkCodec codec = new ChunkCodec();
    private final WriteRecorder recorder = new WriteRecorder();
    private final PreferenceList preferences = new PreferenceList();
    private final NodeHealth health = new NodeHealth(3, TimeUnit.SECONDS.toNanos(30));
    private ClusterFixture cluster;

    @AfterEach
    void close()
    {
        if (cluster != null)
        {
            cluster.close();
            assertThat(cluster.errors).isEmpty();
        }
    }

    private ClusterFixture cluster(final UnaryOperator<io.rfs.replication.node.NodeContext> settings)
        throws IOException
    {
        cluster = new ClusterFixture(directory, NODES, context -> settings.apply(
            context.handoffRetryIntervalNs(HANDOFF_RETRY_NS).handoffRequestTimeoutNs(TIMEOUT_NS)));
        return cluster;
    }

    private QuorumWriter writer(final PartitionMode mode)
    {
        return cluster.writer(new QuorumWriter.Context().consistencyLevel(ConsistencyLevel.ALL)
            .requestTimeoutNs(TIMEOUT_NS).partitionMode(mode).nodeHealth(health));
    }

    @Test
    void shouldAskTheFirstFallbackWithAHintOnceAnOwnerIsLateAndHandTheChunkOverWhenItIsBack() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = writer(PartitionMode.AVAILABILITY);
        final byte[] raw = random(1, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final int[] order = preferenceOrder(Ring.chunkPosition(id));
        final int owner = order[0];
        final int standIn = order[3];
        cluster.stop(owner);

        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);
        cluster.nanoClock.advance(ATTEMPT_NS - 1);
        cluster.step(writer);
        assertThat(recorder.hasEnded(writeId)).as("the owner is not late yet").isFalse();
        assertThat(writer.standInsAsked()).isZero();

        cluster.nanoClock.advance(1);
        cluster.step(writer);

        assertThat(recorder.written).containsExactly(entry(writeId, 3));
        assertThat(writer.standInsAsked()).isEqualTo(1);
        assertThat(writer.hintedAcknowledgements()).isEqualTo(1);
        assertThat(cluster.node(standIn).counters().get(NodeCounter.HINTS_STORED)).isEqualTo(1);
        assertThat(cluster.node(standIn).handoffAgent().pendingHints()).isEqualTo(1);
        assertThat(cluster.node(order[4]).counters().get(NodeCounter.CHUNKS_WRITTEN)).as("second fallback").isZero();

        cluster.start(owner);
        handOver(writer, standIn);

        assertThat(cluster.node(standIn).counters().get(NodeCounter.HINTS_DELIVERED)).isEqualTo(1);
        assertThat(cluster.node(standIn).handoffAgent().pendingHints()).isZero();
        cluster.stopAll();
        assertThat(cluster.holdsChunk(owner, id)).as("handed over").isTrue();
        assertThat(cluster.holdsChunk(standIn, id)).as("the stand-in keeps its copy").isTrue();
    }

    @Test
    void shouldAskAStandInAtOnceForAnOwnerTheHealthTrackerKnowsIsDown() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = writer(PartitionMode.AVAILABILITY);
        final byte[] raw = random(2, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final int[] order = preferenceOrder(Ring.chunkPosition(id));
        cluster.stall(order[1], true);
        health.markDown(order[1], cluster.nanoClock.nanoTime() + TIMEOUT_NS);

        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);

        assertThat(recorder.written).containsExactly(entry(writeId, 3));
        assertThat(writer.hintedAcknowledgements()).isEqualTo(1);
        assertThat(cluster.node(order[3]).handoffAgent().pendingHints()).isEqualTo(1);
        cluster.stall(order[1], false);
        cluster.stepNodes();
        assertThat(cluster.node(order[1]).counters().get(NodeCounter.REQUESTS))
            .as("only the stand-in's handoff reached the owner marked down, not the write")
            .isEqualTo(cluster.node(order[3]).counters().get(NodeCounter.HANDOFF_ATTEMPTS));
    }

    @Test
    void shouldMoveOnToTheNextFallbackWhenAStandInsHintLogIsFull() throws IOException
    {
        cluster(context -> context.handoffMaxHints(1));
        final QuorumWriter writer = writer(PartitionMode.AVAILABILITY);
        final SplittableRandom random = new SplittableRandom(3);
        final byte[] first = random(random, 10_000);
        final ChunkId firstId = codec.hash(first, first.length);
        final int[] firstOrder = preferenceOrder(Ring.chunkPosition(firstId));
        final int owner = firstOrder[0];
        final int fullStandIn = firstOrder[3];
        byte[] second;
        ChunkId secondId;
        int[] secondOrder;
        do
        {
            second = random(random, 10_000);
            secondId = codec.hash(second, second.length);
            secondOrder = preferenceOrder(Ring.chunkPosition(secondId));
        }
        while (!contains(secondOrder, 0, 3, owner) || secondOrder[3] != fullStandIn);
        cluster.stop(owner);
        health.markDown(owner, cluster.nanoClock.nanoTime() + TIMEOUT_NS);

        final long firstWrite = putChunk(writer, firstId, first);
        cluster.step(writer);
        assertThat(recorder.written).containsExactly(entry(firstWrite, 3));
        final long secondWrite = putChunk(writer, secondId, second);
        for (int i = 0; i < 3 && !recorder.hasEnded(secondWrite); i++)
        {
            cluster.step(writer);
        }

        assertThat(recorder.written).containsEntry(secondWrite, 3);
        assertThat(cluster.node(fullStandIn).counters().get(NodeCounter.HINTS_REFUSED_FULL)).isEqualTo(1);
        assertThat(cluster.node(secondOrder[4]).handoffAgent().pendingHints()).isEqualTo(1);
        assertThat(writer.standInsAsked()).isEqualTo(3);
        assertThat(writer.hintedAcknowledgements()).isEqualTo(2);
    }

    @Test
    void shouldFailNamingTheOwnersAndStandInsWhenNoFallbackIsLeft() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = writer(PartitionMode.AVAILABILITY);
        final byte[] raw = random(4, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final int[] order = preferenceOrder(Ring.chunkPosition(id));
        cluster.stop(order[0]);
        cluster.stop(order[1]);
        cluster.stop(order[3]);

        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);
        cluster.nanoClock.advance(ATTEMPT_NS);
        cluster.step(writer);
        cluster.nanoClock.advance(ATTEMPT_NS);
        cluster.step(writer);
        assertThat(recorder.hasEnded(writeId)).as("late nodes may still answer before the deadline").isFalse();
        cluster.nanoClock.advance(TIMEOUT_NS);
        cluster.step(writer);

        final QuorumWriteException failure = recorder.failed.get(writeId);
        assertThat(failure).isNotNull();
        assertThat(failure.acknowledgements()).as("the live owner and the second fallback").isEqualTo(2);
        assertThat(failure.failures()).containsOnly(entry(order[0], ReplicaFailure.TIMED_OUT),
            entry(order[1], ReplicaFailure.TIMED_OUT), entry(order[3], ReplicaFailure.TIMED_OUT));
        assertThat(failure.standIns()).containsOnlyKeys(order[3]);
        assertThat(failure.getMessage()).contains("partition.mode=availability",
            "node " + order[3] + " TIMED_OUT (stand-in for node ");
    }

    @Test
    void shouldHintAManifestForItsUnreachableOwnerAndHandItOver() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = writer(PartitionMode.AVAILABILITY);
        final Manifest manifest = Manifest.tombstone("dir/file", new Version(42, ClusterFixture.CLIENT_ID));
        final int[] order = preferenceOrder(Ring.manifestPosition(manifest.name()));
        cluster.stop(order[2]);
        health.markDown(order[2], cluster.nanoClock.nanoTime() + TIMEOUT_NS);

        final long writeId = writer.putManifest(manifest, recorder);
        cluster.step(writer);

        assertThat(recorder.written).containsExactly(entry(writeId, 3));
        assertThat(cluster.node(order[3]).handoffAgent().pendingHints()).isEqualTo(1);
        cluster.start(order[2]);
        handOver(writer, order[3]);
        assertThat(cluster.node(order[3]).handoffAgent().pendingHints()).isZero();
        cluster.stopAll();
        assertThat(cluster.currentManifest(order[2], "dir/file").version()).isEqualTo(manifest.version());
    }

    @Test
    void shouldRefuseWithoutStandInsUnderConsistencyAndFailFastOnceTheOwnerIsKnownDown() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = writer(PartitionMode.CONSISTENCY);
        final SplittableRandom random = new SplittableRandom(5);
        final int partitioned = 2;
        cluster.stall(partitioned, true);

        // Three writes that need the stalled node: each waits for its deadline; each tells the health tracker.
        for (int i = 0; i < health.failureThreshold(); i++)
        {
            final byte[] raw = ownedBy(random, partitioned);
            final long writeId = putChunk(writer, codec.hash(raw, raw.length), raw);
            cluster.step(writer);
            cluster.nanoClock.advance(TIMEOUT_NS - 1);
            cluster.step(writer);
            assertThat(recorder.hasEnded(writeId)).as("no stand-in, no early end").isFalse();
            cluster.nanoClock.advance(1);
            cluster.step(writer);
            assertThat(recorder.failed.get(writeId).failures())
                .containsOnly(entry(partitioned, ReplicaFailure.TIMED_OUT));
        }
        assertThat(health.isUp(partitioned, cluster.nanoClock.nanoTime())).isFalse();

        final byte[] raw = ownedBy(random, partitioned);
        final ChunkId id = codec.hash(raw, raw.length);
        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);

        final QuorumWriteException failure = recorder.failed.get(writeId);
        assertThat(failure).as("ended without waiting for the deadline").isNotNull();
        assertThat(failure.acknowledgements()).as("the live owners were written").isEqualTo(2);
        assertThat(failure.failures()).containsOnly(entry(partitioned, ReplicaFailure.DOWN));
        assertThat(failure.getMessage()).contains("node " + partitioned + " DOWN", "partition.mode=consistency");
        assertThat(writer.standInsAsked()).isZero();
        for (int node = 1; node <= NODES; node++)
        {
            if (node != partitioned)
            {
                assertThat(cluster.node(node).handoffAgent().pendingHints()).as("node %d", node).isZero();
            }
        }
    }

    @Test
    void shouldStillWriteAtQuorumUnderConsistencyWhenTheOtherOwnersAreUp() throws IOException
    {
        cluster(UnaryOperator.identity());
        final QuorumWriter writer = cluster.writer(new QuorumWriter.Context().consistencyLevel(ConsistencyLevel.QUORUM)
            .requestTimeoutNs(TIMEOUT_NS).partitionMode(PartitionMode.CONSISTENCY).nodeHealth(health));
        final byte[] raw = ownedBy(new SplittableRandom(6), 2);
        health.markDown(2, cluster.nanoClock.nanoTime() + TIMEOUT_NS);

        final long writeId = putChunk(writer, codec.hash(raw, raw.length), raw);
        cluster.step(writer);

        assertThat(recorder.written.get(writeId)).as("W of the owners that are up").isGreaterThanOrEqualTo(2);
        assertThat(writer.standInsAsked()).isZero();
    }

    /**
     * Lets the stand-in's handoff agent back off and retry, a retry interval at a time, until it has no hint left
     * (at most a minute of the cached clock).
     */
    private void handOver(final QuorumWriter writer, final int standIn)
    {
        for (int i = 0; i < 60 && cluster.node(standIn).handoffAgent().pendingHints() > 0; i++)
        {
            cluster.nanoClock.advance(HANDOFF_RETRY_NS);
            for (int round = 0; round < 4; round++)
            {
                cluster.step(writer);
            }
        }
    }

    private int[] preferenceOrder(final long position)
    {
        final int[] order = new int[NODES];
        assertThat(preferences.all(cluster.ring, position, order)).isEqualTo(NODES);
        return order;
    }

    private byte[] ownedBy(final SplittableRandom random, final int node)
    {
        while (true)
        {
            final byte[] raw = random(random, 10_000);
            if (contains(preferenceOrder(Ring.chunkPosition(codec.hash(raw, raw.length))), 0, 3, node))
            {
                return raw;
            }
        }
    }

    private static boolean contains(final int[] ids, final int from, final int to, final int id)
    {
        for (int i = from; i < to; i++)
        {
            if (ids[i] == id)
            {
                return true;
            }
        }
        return false;
    }

    private long putChunk(final QuorumWriter writer, final ChunkId id, final byte[] payload)
    {
        return writer.putChunk(id, payload.length, false, new UnsafeBuffer(payload), 0, payload.length, recorder);
    }

    private static byte[] random(final int seed, final int length)
    {
        return random(new SplittableRandom(seed), length);
    }

    private static byte[] random(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
