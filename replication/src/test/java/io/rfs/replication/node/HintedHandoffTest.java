package io.rfs.replication.node;

import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.PutChunkResponseDecoder;
import io.rfs.replication.protocol.PutManifestResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static io.rfs.replication.node.HandoffCluster.RETRY_INTERVAL_NS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sloppy quorum and hinted handoff with real nodes on the in-process network, stepped by hand: node 4 stands in for
 * node 2 while node 2 is stopped, and hands over what it kept once node 2 is back.
 */
class HintedHandoffTest
{
    private static final int OWNER = 2;
    private static final int STAND_IN = 4;

    @TempDir
    Path directory;

    private HandoffCluster cluster;

    private HandoffCluster cluster(final UnaryOperator<NodeContext> settings) throws IOException
    {
        cluster = new HandoffCluster(directory, settings);
        return cluster;
    }

    @AfterEach
    void close()
    {
        if (cluster != null)
        {
            cluster.close();
            assertThat(cluster.errors).isEmpty();
        }
    }

    @Test
    void shouldHandAHintedChunkToItsOwnerOnceItIsBackAndNotResendItAfterARestart() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        final TestClient client = cluster.client;
        cluster.stop(OWNER);
        final byte[] raw = random(1, 10_000);
        final ChunkId id = client.codec().hash(raw, raw.length);

        final long put = client.putChunkHinted(STAND_IN, raw, OWNER);
        cluster.settle();

        final PutChunkResponseDecoder ack = client.putChunkResponse(put);
        assertThat(ack.status()).isEqualTo(Status.OK);
        assertThat(ack.isHintRecorded()).isTrue();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_STORED)).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_FAILURES)).as("owner is down").isEqualTo(1);
        cluster.settle();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).as("backing off").isEqualTo(1);

        cluster.start(OWNER);
        cluster.advanceNs(RETRY_INTERVAL_NS);
        cluster.settle();

        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isZero();
        assertThat(cluster.counter(OWNER, NodeCounter.CHUNKS_WRITTEN)).isEqualTo(1);
        assertThat(chunkOn(OWNER, id)).isEqualTo(raw);

        cluster.restart(STAND_IN);
        cluster.advanceNs(100 * RETRY_INTERVAL_NS);
        cluster.settle();

        assertThat(cluster.node(STAND_IN).handoffAgent().pendingHints()).isZero();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).as("after the restart").isZero();
        assertThat(cluster.counter(OWNER, NodeCounter.REQUESTS)).as("one put, one get").isEqualTo(2);
    }

    @Test
    void shouldKeepAHintAcrossTheStandInsRestartBeforeDelivery() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        final TestClient client = cluster.client;
        cluster.stop(OWNER);
        final byte[] raw = random(2, 5_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        final long put = client.putChunkHinted(STAND_IN, raw, OWNER);
        cluster.settle();
        assertThat(client.putChunkResponse(put).isHintRecorded()).isTrue();

        cluster.restart(STAND_IN);
        assertThat(cluster.node(STAND_IN).handoffAgent().pendingHints()).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isEqualTo(1);
        cluster.start(OWNER);
        cluster.settle();

        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isEqualTo(1);
        assertThat(chunkOn(OWNER, id)).isEqualTo(raw);
    }

    @Test
    void shouldNeverHandOverACorruptCopyAndRetryItOnlyAfterTheInterval() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        final TestClient client = cluster.client;
        cluster.stop(OWNER);
        final byte[] raw = random(3, 6_000);
        final ChunkId id = client.codec().hash(raw, raw.length);
        client.putChunkHinted(STAND_IN, raw, OWNER);
        cluster.settle();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_FAILURES)).as("owner is down").isEqualTo(1);
        SegmentRot.rotFirstChunkKeepingCrcs(cluster.dataDirectory(STAND_IN).resolve("chunks"));
        cluster.start(OWNER);

        cluster.advanceNs(RETRY_INTERVAL_NS);
        cluster.settle();
        cluster.settle();

        assertThat(cluster.counter(OWNER, NodeCounter.CORRUPT_CHUNKS_REFUSED)).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_CORRUPT)).isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).as("not looped hot").isEqualTo(2);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).as("the hint stays").isEqualTo(1);
        assertThat(getChunkStatus(OWNER, id)).isEqualTo(Status.NOT_FOUND);

        cluster.advanceNs(RETRY_INTERVAL_NS);
        cluster.settle();

        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).isEqualTo(3);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_CORRUPT)).isEqualTo(2);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isZero();
        assertThat(getChunkStatus(OWNER, id)).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void shouldBackOffFromAnOwnerThatStaysDownDoublingTheInterval() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        cluster.stop(OWNER);
        cluster.client.putChunkHinted(STAND_IN, random(8, 500), OWNER);
        cluster.settle();
        final long[] waitsNs = {1, 2, 4};
        long attempts = cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS);
        assertThat(attempts).isEqualTo(1);

        for (final long wait : waitsNs)
        {
            cluster.advanceNs(wait * RETRY_INTERVAL_NS - 1);
            cluster.settle();
            assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).as("before %ds", wait)
                .isEqualTo(attempts);
            cluster.advanceNs(1);
            cluster.settle();
            assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).as("at %ds", wait)
                .isEqualTo(++attempts);
        }
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_FAILURES)).isEqualTo(attempts);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isEqualTo(1);
    }

    @Test
    void shouldCountAnOwnerThatDoesNotAnswerAsAFailureAndDeliverOnceItDoes() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        cluster.stop(OWNER);
        final byte[] raw = random(9, 2_000);
        cluster.client.putChunkHinted(STAND_IN, raw, OWNER);
        cluster.settle();
        cluster.start(OWNER);
        cluster.stall(OWNER, true);

        cluster.advanceNs(RETRY_INTERVAL_NS);
        cluster.settle();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_ATTEMPTS)).isEqualTo(2);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_FAILURES)).as("waiting for the answer").isEqualTo(1);
        cluster.advanceNs(HandoffCluster.REQUEST_TIMEOUT_NS);
        cluster.settle();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HANDOFF_FAILURES)).as("timed out").isEqualTo(2);
        assertThat(cluster.node(STAND_IN).pendingRequests().timeouts()).isEqualTo(1);

        cluster.stall(OWNER, false);
        cluster.settle();
        assertThat(cluster.counter(STAND_IN, NodeCounter.UNEXPECTED)).as("the late answer").isEqualTo(1);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isZero();
        cluster.advanceNs(2 * RETRY_INTERVAL_NS);
        cluster.settle();

        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isEqualTo(1);
        assertThat(chunkOn(OWNER, cluster.client.codec().hash(raw, raw.length))).isEqualTo(raw);
    }

    @Test
    void shouldRefuseHintedWritesBeyondTheBound() throws Exception
    {
        final HandoffCluster cluster = cluster(context -> context.handoffMaxHints(2));
        final TestClient client = cluster.client;
        cluster.stop(OWNER);
        final byte[] first = random(4, 1_000);
        final byte[] third = random(6, 1_000);

        final long a = client.putChunkHinted(STAND_IN, first, OWNER);
        final long b = client.putChunkHinted(STAND_IN, random(5, 1_000), OWNER);
        final long c = client.putChunkHinted(STAND_IN, third, OWNER);
        final long again = client.putChunkHinted(STAND_IN, first, OWNER);
        final long plain = client.putChunk(STAND_IN, third, false);
        final long manifest = client.putManifestHinted(STAND_IN, manifest("full.txt", 5), OWNER);
        cluster.settle();

        assertThat(client.putChunkResponse(a).status()).isEqualTo(Status.OK);
        assertThat(client.putChunkResponse(b).status()).isEqualTo(Status.OK);
        final PutChunkResponseDecoder refused = client.putChunkResponse(c);
        assertThat(refused.status()).isEqualTo(Status.HINTS_FULL);
        assertThat(refused.isHintRecorded()).isFalse();
        assertThat(client.putChunkResponse(again).status()).as("the same hint again").isEqualTo(Status.ALREADY_HAD);
        assertThat(client.putChunkResponse(again).isHintRecorded()).isTrue();
        assertThat(client.putChunkResponse(plain).status()).as("a plain write").isEqualTo(Status.OK);
        assertThat(client.putManifestResponse(manifest).status()).isEqualTo(Status.HINTS_FULL);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_REFUSED_FULL)).isEqualTo(2);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isEqualTo(2);
    }

    @Test
    void shouldHandManifestsOverSoTheOwnerKeepsTheNewestVersion() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        final TestClient client = cluster.client;
        cluster.stop(OWNER);
        final long older = client.putManifestHinted(STAND_IN, manifest("a.txt", 5), OWNER);
        final long only = client.putManifestHinted(STAND_IN, manifest("b.txt", 5), OWNER);
        cluster.settle();
        final PutManifestResponseDecoder ack = client.putManifestResponse(older);
        assertThat(ack.status()).isEqualTo(Status.OK);
        assertThat(ack.isHintRecorded()).isTrue();
        assertThat(client.putManifestResponse(only).isHintRecorded()).isTrue();

        cluster.start(OWNER);
        final long newer = client.putManifest(OWNER, manifest("a.txt", 9));
        cluster.settle();
        assertThat(client.putManifestResponse(newer).status()).isEqualTo(Status.OK);
        cluster.advanceNs(RETRY_INTERVAL_NS);
        cluster.settle();
        cluster.settle();

        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_DELIVERED)).isEqualTo(2);
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isZero();
        assertThat(manifestOn(OWNER, "a.txt").version()).as("kept the newest").isEqualTo(version(9));
        assertThat(manifestOn(OWNER, "b.txt").version()).isEqualTo(version(5));
    }

    @Test
    void shouldTreatAWriteHintedForItselfAsAPlainWrite() throws Exception
    {
        final HandoffCluster cluster = cluster(UnaryOperator.identity());
        final long put = cluster.client.putChunkHinted(STAND_IN, random(7, 100), STAND_IN);
        cluster.settle();

        final PutChunkResponseDecoder ack = cluster.client.putChunkResponse(put);
        assertThat(ack.status()).isEqualTo(Status.OK);
        assertThat(ack.isHintRecorded()).isFalse();
        assertThat(cluster.counter(STAND_IN, NodeCounter.HINTS_PENDING)).isZero();
    }

    private byte[] chunkOn(final int node, final ChunkId id) throws Exception
    {
        final long get = cluster.client.getChunk(node, id, false);
        cluster.settle();
        final GetChunkResponseDecoder response = cluster.client.getChunkResponse(get);
        assertThat(response.status()).isEqualTo(Status.OK);
        final byte[] bytes = new byte[response.payloadLength()];
        response.buffer().getBytes(response.payloadOffset(), bytes);
        return bytes;
    }

    private Status getChunkStatus(final int node, final ChunkId id) throws Exception
    {
        final long get = cluster.client.getChunk(node, id, false);
        cluster.settle();
        return cluster.client.getChunkResponse(get).status();
    }

    private Manifest manifestOn(final int node, final String name) throws Exception
    {
        final long get = cluster.client.getManifest(node, name);
        cluster.settle();
        return cluster.client.getManifestResponse(get).manifest(new ManifestDecoder()).toManifest();
    }

    private static Version version(final long logical)
    {
        return new Version((1_700_000_000_000L << 16) | logical, 9);
    }

    private static Manifest manifest(final String name, final long logical)
    {
        return new Manifest(name, 0, Sha256.digest(new byte[0]), new ChunkId[0], new int[0], version(logical), false);
    }

    private static byte[] random(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
