package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.ring.Ring;
import io.rfs.store.CorruptChunkException;
import io.rfs.store.MissingChunkException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestCodec;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class QuorumReaderTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path directory;

    private final ChunkCodec codec = new ChunkCodec();
    private final WriteRecorder written = new WriteRecorder();
    private final ReadRecorder recorder = new ReadRecorder();
    private ClusterFixture cluster;
    private QuorumWriter writer;
    private QuorumReader reader;

    @BeforeEach
    void open() throws IOException
    {
        cluster = new ClusterFixture(directory);
        writer = cluster.writer(new QuorumWriter.Context().requestTimeoutNs(TIMEOUT_NS));
        reader = cluster.reader(new QuorumReader.Context().requestTimeoutNs(TIMEOUT_NS).badReplicaListener(recorder));
    }

    @AfterEach
    void close()
    {
        cluster.close();
        assertThat(cluster.errors).isEmpty();
    }

    private int step()
    {
        final int[] work = new int[1];
        cluster.step(() -> work[0] += writer.doWork() + reader.doWork());
        return work[0];
    }

    @Test
    void shouldReadTheNewestVersionAndRepairAnOwnerThatMissedIt() throws IOException
    {
        final Manifest v1 = Manifest.tombstone("f", new Version(10, ClusterFixture.CLIENT_ID));
        final Manifest v2 = Manifest.tombstone("f", new Version(20, ClusterFixture.CLIENT_ID));
        writer.putManifest(v1, ConsistencyLevel.ALL, written);
        step();
        cluster.stop(3);
        writer.putManifest(v2, ConsistencyLevel.QUORUM, written);
        step();
        assertThat(written.written).hasSize(2);
        cluster.start(3);

        final long readId = reader.readManifest("f", ConsistencyLevel.ALL, recorder);
        step();

        assertThat(recorder.read.get(readId).version()).isEqualTo(v2.version());
        assertThat(reader.readRepairs()).as("node 3 held v1").isEqualTo(1);
        step();
        assertThat(reader.readRepairsAcknowledged()).isEqualTo(1);
        assertThat(reader.readsInFlight()).isZero();
        cluster.stopAll();
        assertThat(cluster.currentManifest(3, "f").version()).isEqualTo(v2.version());
    }

    @Test
    void shouldWriteReadAndRepairAManifestMuchLargerThanTheInitialSendBuffers() throws IOException
    {
        final int chunks = 2_000;
        final ChunkId[] ids = new ChunkId[chunks];
        final int[] lengths = new int[chunks];
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < chunks; i++)
        {
            final byte[] digest = new byte[ChunkId.LENGTH];
            random.nextBytes(digest);
            ids[i] = ChunkId.of(digest);
            lengths[i] = 1 << 20;
        }
        final Manifest large = new Manifest("large", (long)chunks << 20, new byte[32], ids, lengths,
            new Version(10, ClusterFixture.CLIENT_ID), false);
        assertThat(ManifestCodec.encodedLength(large)).isGreaterThan(10 * QuorumWriter.MANIFEST_BUFFER_INITIAL_LENGTH);
        cluster.stop(1);
        writer.putManifest(large, ConsistencyLevel.QUORUM, written);
        step();
        assertThat(written.written).hasSize(1);
        cluster.start(1);

        final long readId = reader.readManifest("large", ConsistencyLevel.ALL, recorder);
        step();
        step();

        assertThat(recorder.read.get(readId).chunkCount()).isEqualTo(chunks);
        assertThat(reader.readRepairsAcknowledged()).isEqualTo(1);
        cluster.stopAll();
        for (int node = 1; node <= 3; node++)
        {
            final Manifest stored = cluster.currentManifest(node, "large");
            assertThat(stored.version()).as("node %d", node).isEqualTo(large.version());
            assertThat(stored.chunkId(chunks - 1)).as("node %d", node).isEqualTo(ids[chunks - 1]);
        }
    }

    @Test
    void shouldRepairAnOwnerThatHasNoVersionAndRepairNothingWhenAllAgree() throws IOException
    {
        final Manifest v1 = Manifest.tombstone("g", new Version(10, ClusterFixture.CLIENT_ID));
        cluster.stop(1);
        writer.putManifest(v1, ConsistencyLevel.QUORUM, written);
        step();
        cluster.start(1);

        final long first = reader.readManifest("g", ConsistencyLevel.QUORUM, recorder);
        step();
        step();
        final long second = reader.readManifest("g", ConsistencyLevel.ALL, recorder);
        step();

        assertThat(recorder.read.get(first).version()).isEqualTo(v1.version());
        assertThat(recorder.read.get(second).version()).isEqualTo(v1.version());
        assertThat(reader.readRepairs()).isEqualTo(1);
        assertThat(reader.readRepairsAcknowledged()).isEqualTo(1);
    }

    @Test
    void shouldStopWaitingForASlowOwnerAfterTheRepairWaitAndSkipAnEjectedOne()
    {
        final Manifest v1 = Manifest.tombstone("s", new Version(10, ClusterFixture.CLIENT_ID));
        writer.putManifest(v1, ConsistencyLevel.ALL, written);
        step();
        cluster.stall(3, true);

        final long slow = reader.readManifest("s", ConsistencyLevel.QUORUM, recorder);
        step();
        assertThat(recorder.read.get(slow).version()).isEqualTo(v1.version());
        assertThat(reader.readsInFlight()).as("waits for node 3, to repair it if stale").isEqualTo(1);
        cluster.nanoClock.advance(QuorumReader.Context.REPAIR_WAIT_NS_DEFAULT);
        step();
        assertThat(reader.readsInFlight()).isZero();
        assertThat(cluster.pending.size()).as("node 3's request dropped").isZero();

        reader.nodeHealth().markDown(3, cluster.nanoClock.nanoTime() + TIMEOUT_NS);
        final long skipping = reader.readManifest("s", ConsistencyLevel.QUORUM, recorder);
        step();
        assertThat(recorder.read.get(skipping).version()).isEqualTo(v1.version());
        assertThat(reader.readsInFlight()).as("node 3 not asked").isZero();
        final long all = reader.readManifest("s", ConsistencyLevel.ALL, recorder);
        step();
        assertThat(recorder.hasEnded(all)).as("ALL asks the ejected node too").isFalse();
    }

    @Test
    void shouldAnswerNullForANameNoOwnerHolds()
    {
        final long readId = reader.readManifest("nothing/here", null, recorder);
        step();

        assertThat(recorder.read).containsEntry(readId, null);
        assertThat(reader.readRepairs()).isZero();
    }

    @Test
    void shouldReadAtQuorumWithOneOwnerDownAndFailAtAllNamingIt()
    {
        final Manifest v1 = Manifest.tombstone("h", new Version(10, ClusterFixture.CLIENT_ID));
        writer.putManifest(v1, ConsistencyLevel.ALL, written);
        step();
        cluster.stop(2);

        final long quorum = reader.readManifest("h", ConsistencyLevel.QUORUM, recorder);
        final long all = reader.readManifest("h", ConsistencyLevel.ALL, recorder);
        step();
        assertThat(recorder.read.get(quorum).version()).isEqualTo(v1.version());
        assertThat(recorder.hasEnded(all)).as("waits for node 2 until the deadline").isFalse();
        cluster.nanoClock.advance(TIMEOUT_NS);
        step();

        final QuorumReadException failure = recorder.readFailed.get(all);
        assertThat(failure.required()).isEqualTo(3);
        assertThat(failure.answers()).isEqualTo(2);
        assertThat(failure.failures()).containsOnly(entry(2, ReplicaFailure.TIMED_OUT));
        assertThat(failure.getMessage()).contains("manifest 'h' at ALL", "node 2 TIMED_OUT");
    }

    @Test
    void shouldSkipACorruptReplicaReportItAndReturnVerifiedBytes() throws IOException
    {
        final byte[] raw = random(1, 50_000);
        final ChunkId id = putChunkEverywhere(raw);
        final int preferred = preferredReplica(id);
        corrupt(preferred, raw);

        final byte[] verified = fetchVerified(id, raw.length);

        assertThat(verified).isEqualTo(raw);
        assertThat(recorder.bad).extracting(ReadRecorder.Bad::nodeId).containsExactly(preferred);
        assertThat(recorder.bad.get(0).reason()).isIn(ReplicaFailure.CORRUPT, ReplicaFailure.MISMATCH);
        assertThat(reader.badReplicaReports()).isEqualTo(1);
    }

    @Test
    void shouldFallOverToAnotherReplicaWhenTheFirstDoesNotHoldTheChunk() throws IOException
    {
        final byte[] raw = random(2, 20_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final int preferred = preferredReplica(id);
        cluster.stop(preferred);
        writer.putChunk(id, raw.length, false, new UnsafeBuffer(raw), 0, raw.length, written);
        step();
        cluster.start(preferred);

        final byte[] dst = new byte[raw.length];
        final long fetchId = reader.fetchChunk(id, raw.length, dst, null, recorder);
        step();
        step();

        assertThat(recorder.fetched.get(fetchId).nodeId()).isNotEqualTo(preferred);
        assertThat(dst).isEqualTo(raw);
        assertThat(recorder.bad).containsExactly(new ReadRecorder.Bad(preferred, id, ReplicaFailure.NOT_FOUND));
    }

    @Test
    void shouldFetchWithOneReplicaDownAndEjectItAfterRepeatedTimeouts()
    {
        final byte[] raw = random(3, 10_000);
        final ChunkId id = putChunkEverywhere(raw);
        final int preferred = preferredReplica(id);
        cluster.stop(preferred);

        for (int attempt = 0; attempt < NodeHealth.FAILURE_THRESHOLD_DEFAULT; attempt++)
        {
            final byte[] dst = new byte[raw.length];
            final long fetchId = reader.fetchChunk(id, raw.length, dst, null, recorder);
            step();
            cluster.nanoClock.advance(TIMEOUT_NS);
            step();
            step();
            assertThat(recorder.fetched.get(fetchId).nodeId()).as("attempt %s", attempt).isNotEqualTo(preferred);
            assertThat(dst).isEqualTo(raw);
        }
        assertThat(reader.nodeHealth().isUp(preferred, cluster.nanoClock.nanoTime())).isFalse();

        final byte[] dst = new byte[raw.length];
        final long skipping = reader.fetchChunk(id, raw.length, dst, null, recorder);
        step();
        assertThat(recorder.fetched.get(skipping)).as("no wait for the ejected node").isNotNull();
        assertThat(dst).isEqualTo(raw);
    }

    @Test
    void shouldFailWithMissingChunkWhenNoReplicaHoldsItAndCorruptWhenEveryCopyIsBad()
    {
        final byte[] raw = random(4, 1_000);
        final ChunkId id = codec.hash(raw, raw.length);
        final long missing = reader.fetchChunk(id, raw.length, new byte[raw.length], null, recorder);
        for (int i = 0; i < 4; i++)
        {
            step();
        }
        assertThat(recorder.fetchFailed.get(missing)).isInstanceOf(MissingChunkException.class);

        putChunkEverywhere(raw);
        final int[] all = new int[Ring.MAX_REPLICATION_FACTOR];
        final int n = cluster.ring.replicas(Ring.chunkPosition(id), all);
        final long corrupt = reader.fetchChunk(id, raw.length, new byte[raw.length], Arrays.copyOf(all, n), recorder);
        step();
        assertThat(recorder.fetchFailed.get(corrupt)).isInstanceOf(CorruptChunkException.class)
            .hasMessageContaining(id.toHex());
    }

    private ChunkId putChunkEverywhere(final byte[] raw)
    {
        final ChunkId id = codec.hash(raw, raw.length);
        final long writeId = writer.putChunk(id, raw.length, false, new UnsafeBuffer(raw), 0, raw.length,
            ConsistencyLevel.ALL, written);
        step();
        assertThat(written.written).containsKey(writeId);
        return id;
    }

    private int preferredReplica(final ChunkId id)
    {
        final int[] replicas = new int[Ring.MAX_REPLICATION_FACTOR];
        cluster.ring.replicas(Ring.chunkPosition(id), replicas);
        return replicas[0];
    }

    /**
     * Fetches and verifies as the client does: a mismatch is reported and the fetch repeated without that replica.
     */
    private byte[] fetchVerified(final ChunkId id, final int rawLength)
    {
        final int[] excluded = new int[Ring.MAX_REPLICATION_FACTOR];
        int excludedCount = 0;
        while (true)
        {
            final byte[] payload = new byte[rawLength];
            final long fetchId = reader.fetchChunk(id, rawLength, payload, Arrays.copyOf(excluded, excludedCount),
                recorder);
            for (int i = 0; i < 4 && !recorder.hasEnded(fetchId); i++)
            {
                step();
            }
            final ReadRecorder.Fetched fetched = recorder.fetched.get(fetchId);
            assertThat(fetched).as("fetch %s failed: %s", fetchId, recorder.fetchFailed.get(fetchId)).isNotNull();
            final byte[] bytes = ChunkVerifier.verify(codec, id, rawLength, fetched.compressed(), payload,
                fetched.payloadLength(), new byte[rawLength]);
            if (bytes != null)
            {
                return Arrays.copyOf(bytes, rawLength);
            }
            reader.reportBadReplica(fetched.nodeId(), id, ReplicaFailure.MISMATCH);
            excluded[excludedCount++] = fetched.nodeId();
        }
    }

    /**
     * Flips a byte in the middle of a chunk's stored bytes in a node's segment file, under the node's mapping.
     */
    private void corrupt(final int node, final byte[] raw) throws IOException
    {
        final byte[] probe = Arrays.copyOf(raw, 64);
        for (final Path segment : cluster.chunkSegments(node))
        {
            final byte[] content = Files.readAllBytes(segment);
            final int at = indexOf(content, probe);
            if (at >= 0)
            {
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
                {
                    channel.write(ByteBuffer.wrap(new byte[]{(byte)(content[at + 1000] ^ 0x40)}), at + 1000);
                }
                return;
            }
        }
        throw new AssertionError("chunk bytes not found in the segments of node " + node);
    }

    private static int indexOf(final byte[] content, final byte[] probe)
    {
        outer:
        for (int i = 0; i + probe.length <= content.length; i++)
        {
            for (int j = 0; j < probe.length; j++)
            {
                if (content[i + j] != probe[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
