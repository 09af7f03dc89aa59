package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class QuorumWriterTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path directory;

    private final ChunkCodec codec = new ChunkCodec();
    private final WriteRecorder recorder = new WriteRecorder();
    private ClusterFixture cluster;

    @BeforeEach
    void open() throws IOException
    {
        cluster = new ClusterFixture(directory);
    }

    @AfterEach
    void close()
    {
        cluster.close();
        assertThat(cluster.errors).isEmpty();
    }

    @Test
    void shouldAcknowledgeAQuorumWriteWithOneOwnerDownAndStoreTheChunkOnTheOthers() throws IOException
    {
        final QuorumWriter writer = writer(ConsistencyLevel.QUORUM);
        cluster.stop(3);
        final byte[] raw = random(1, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);

        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);

        assertThat(recorder.written).containsExactly(entry(writeId, 2));
        assertThat(writer.inFlight()).isZero();
        cluster.stopAll();
        assertThat(cluster.holdsChunk(1, id)).isTrue();
        assertThat(cluster.holdsChunk(2, id)).isTrue();
        assertThat(cluster.holdsChunk(3, id)).isFalse();
    }

    @Test
    void shouldFailAQuorumWriteWithTwoOwnersDownOnceItsDeadlinePassesNamingThem() throws IOException
    {
        final QuorumWriter writer = writer(ConsistencyLevel.QUORUM);
        cluster.stop(2);
        cluster.stop(3);
        final byte[] raw = random(2, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);

        final long writeId = putChunk(writer, id, raw);
        cluster.step(writer);
        cluster.nanoClock.advance(TIMEOUT_NS - 1);
        cluster.step(writer);
        assertThat(recorder.hasEnded(writeId)).as("still offering to nodes 2 and 3 before the deadline").isFalse();

        cluster.nanoClock.advance(1);
        cluster.step(writer);

        final QuorumWriteException failure = recorder.failed.get(writeId);
        assertThat(failure).isNotNull();
        assertThat(failure.required()).isEqualTo(2);
        assertThat(failure.acknowledgements()).isEqualTo(1);
        assertThat(failure.failures()).containsOnly(
            entry(2, ReplicaFailure.TIMED_OUT), entry(3, ReplicaFailure.TIMED_OUT));
        assertThat(failure.getMessage()).contains(id.toHex(), "node 2 TIMED_OUT", "node 3 TIMED_OUT");
        assertThat(writer.inFlight()).isZero();
        cluster.stopAll();
        assertThat(cluster.holdsChunk(1, id)).as("the one owner reached keeps it").isTrue();
    }

    @Test
    void shouldFailAnAllWriteWithOneOwnerDown()
    {
        final QuorumWriter writer = writer(ConsistencyLevel.ALL);
        cluster.stop(2);
        final byte[] raw = random(3, 10_000);

        final long writeId = putChunk(writer, codec.hash(raw, raw.length), raw);
        cluster.step(writer);
        assertThat(recorder.hasEnded(writeId)).isFalse();
        cluster.nanoClock.advance(TIMEOUT_NS);
        cluster.step(writer);

        final QuorumWriteException failure = recorder.failed.get(writeId);
        assertThat(failure).isNotNull();
        assertThat(failure.required()).isEqualTo(3);
        assertThat(failure.acknowledgements()).isEqualTo(2);
        assertThat(failure.failures()).containsOnly(entry(2, ReplicaFailure.TIMED_OUT));
    }

    @Test
    void shouldTakeTheConsistencyLevelOfEachRequestOverTheDefault()
    {
        final QuorumWriter writer = writer(ConsistencyLevel.QUORUM);
        cluster.stop(2);
        final byte[] raw = random(10, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);

        final long all = writer.putChunk(id, raw.length, false, new UnsafeBuffer(raw), 0, raw.length,
            ConsistencyLevel.ALL, recorder);
        final long byDefault = putChunk(writer, id, raw);
        final long one = writer.putManifest(
            Manifest.tombstone("a", new Version(1, ClusterFixture.CLIENT_ID)), ConsistencyLevel.ONE, recorder);
        cluster.step(writer);
        cluster.nanoClock.advance(TIMEOUT_NS);
        cluster.step(writer);

        assertThat(recorder.failed.get(all).required()).isEqualTo(3);
        assertThat(recorder.failed.get(all).getMessage()).contains("at ALL");
        assertThat(recorder.written).containsOnlyKeys(byDefault, one);
        assertThat(recorder.written.get(byDefault)).isEqualTo(2);
    }

    @Test
    void shouldAcknowledgeAnAllWriteOnEveryOwnerAndCountAlreadyHadAsAnAcknowledgement() throws IOException
    {
        final QuorumWriter writer = writer(ConsistencyLevel.ALL);
        final byte[] raw = random(4, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);

        final long first = putChunk(writer, id, raw);
        cluster.step(writer);
        final long second = putChunk(writer, id, raw);
        cluster.step(writer);

        assertThat(recorder.written).containsOnly(entry(first, 3), entry(second, 3));
        cluster.stopAll();
        for (int node = 1; node <= ClusterFixture.NODES; node++)
        {
            assertThat(cluster.holdsChunk(node, id)).as("node %s", node).isTrue();
        }
    }

    @Test
    void shouldNotCountCorruptAnswersEvenAtLevelOne() throws IOException
    {
        final QuorumWriter writer = writer(ConsistencyLevel.ONE);
        final byte[] raw = random(5, 10_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final byte[] damaged = raw.clone();
        damaged[100] ^= 1;

        final long writeId = putChunk(writer, id, damaged);
        cluster.step(writer);

        final QuorumWriteException failure = recorder.failed.get(writeId);
        assertThat(failure).isNotNull();
        assertThat(failure.acknowledgements()).isZero();
        assertThat(failure.failures()).containsOnly(
            entry(1, ReplicaFailure.CORRUPT), entry(2, ReplicaFailure.CORRUPT), entry(3, ReplicaFailure.CORRUPT));
        cluster.stopAll();
        for (int node = 1; node <= ClusterFixture.NODES; node++)
        {
            assertThat(cluster.holdsChunk(node, id)).as("node %s", node).isFalse();
        }
    }

    @Test
    void shouldTimeOutAnOwnerThatTakesTheRequestButNeverAnswers()
    {
        final QuorumWriter writer = writer(ConsistencyLevel.ALL);
        cluster.stall(1, true);
        final byte[] raw = random(6, 10_000);

        final long writeId = putChunk(writer, codec.hash(raw, raw.length), raw);
        cluster.step(writer);
        assertThat(writer.pendingRequests().size()).as("node 1's request is out").isEqualTo(1);
        cluster.nanoClock.advance(TIMEOUT_NS);
        cluster.step(writer);

        assertThat(recorder.failed.get(writeId).failures()).containsOnly(entry(1, ReplicaFailure.TIMED_OUT));
        assertThat(writer.pendingRequests().timeouts()).isEqualTo(1);
    }

    @Test
    void shouldEndAWriteOnceAndIgnoreTheAnswerOfAnOwnerThatWasNotNeeded()
    {
        final QuorumWriter writer = writer(ConsistencyLevel.QUORUM);
        cluster.stall(2, true);
        final byte[] raw = random(7, 10_000);

        final long writeId = putChunk(writer, codec.hash(raw, raw.length), raw);
        cluster.step(writer);
        assertThat(recorder.written).containsExactly(entry(writeId, 2));
        assertThat(writer.pendingRequests().size()).as("node 2's request dropped with the write").isZero();

        cluster.stall(2, false);
        cluster.step(writer);

        assertThat(recorder.ended()).isEqualTo(1);
        assertThat(writer.pendingRequests().unmatchedResponses()).isEqualTo(1);
    }

    @Test
    void shouldWriteAManifestToAQuorumOfTheOwnersOfItsName() throws IOException
    {
        final QuorumWriter writer = writer(ConsistencyLevel.QUORUM);
        cluster.stop(1);
        final Manifest manifest = Manifest.tombstone("dir/file", new Version(42, ClusterFixture.CLIENT_ID));

        final long writeId = writer.putManifest(manifest, recorder);
        cluster.step(writer);

        assertThat(recorder.written).containsExactly(entry(writeId, 2));
        cluster.stopAll();
        assertThat(cluster.currentManifest(2, "dir/file").version()).isEqualTo(manifest.version());
        assertThat(cluster.currentManifest(3, "dir/file").version()).isEqualTo(manifest.version());
        assertThat(cluster.currentManifest(1, "dir/file")).isNull();
    }

    @Test
    void shouldRefuseWritesBeyondItsBoundUntilOneEnds()
    {
        final QuorumWriter writer = cluster.writer(new QuorumWriter.Context()
            .consistencyLevel(ConsistencyLevel.QUORUM).requestTimeoutNs(TIMEOUT_NS).maxWrites(1));
        final byte[] a = random(8, 1_000);
        final byte[] b = random(9, 1_000);

        final long first = putChunk(writer, codec.hash(a, a.length), a);
        assertThat(putChunk(writer, codec.hash(b, b.length), b)).isEqualTo(QuorumWriter.REFUSED);
        cluster.step(writer);
        final long second = putChunk(writer, codec.hash(b, b.length), b);
        cluster.step(writer);

        assertThat(second).isNotEqualTo(QuorumWriter.REFUSED);
        assertThat(recorder.written).containsOnly(entry(first, 3), entry(second, 3));
    }

    private QuorumWriter writer(final ConsistencyLevel level)
    {
        return cluster.writer(new QuorumWriter.Context().consistencyLevel(level).requestTimeoutNs(TIMEOUT_NS));
    }

    private long putChunk(final QuorumWriter writer, final ChunkId id, final byte[] payload)
    {
        return writer.putChunk(id, payload.length, false, new UnsafeBuffer(payload), 0, payload.length, recorder);
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
