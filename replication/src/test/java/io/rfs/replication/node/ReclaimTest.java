package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.ChunkReclaimer;
import io.rfs.replication.protocol.ReclaimCandidatesRequestEncoder;
import io.rfs.replication.protocol.ReclaimCandidatesResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reclaiming chunks no manifest references, on three real nodes stepped by hand on one simulated clock
 * ({@link RepairCluster}): what a node lists as idle, how a put refreshes it, and the leader's rounds.
 */
class ReclaimTest
{
    private static final int CHUNK_LENGTH = 4 * 1024;
    private static final long GRACE_NS = TimeUnit.MILLISECONDS.toNanos(200);

    @TempDir
    Path directory;

    private RepairCluster cluster;

    @AfterEach
    void close()
    {
        if (cluster != null)
        {
            assertThat(cluster.errors).isEmpty();
            cluster.close();
        }
    }

    @Test
    void shouldListAChunkAsIdleOnlyOnceTheGraceHasPassedSinceItsPut() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        final ChunkId id = put(random(1), 1);

        assertThat(idle(1, null).count()).isZero();
        stepFor(GRACE_NS);

        final long askedNs = cluster.nanoClock.nanoTime();
        final ReclaimCandidatesResponseDecoder listing = idle(1, null);
        assertThat(listing.count()).isEqualTo(1);
        assertThat(listing.chunkId(0)).isEqualTo(id);
        assertThat(listing.listedAtNs()).isBetween(askedNs, cluster.nanoClock.nanoTime());
        assertThat(listing.clockInstance()).isEqualTo(cluster.node(1).chunkTouches().clockInstance());
    }

    @Test
    void shouldMakeAChunkWaitAFullGraceAgainWhenAPutFindsItHeldAlready() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        final byte[] raw = random(2);
        put(raw, 1);
        stepFor(GRACE_NS);
        assertThat(idle(1, null).count()).isEqualTo(1);

        put(raw, 1);

        assertThat(cluster.counter(1, NodeCounter.CHUNKS_ALREADY_HELD)).isEqualTo(1);
        assertThat(idle(1, null).count()).as("deduplicated put refreshed it").isZero();
        stepFor(GRACE_NS);
        assertThat(idle(1, null).count()).isEqualTo(1);
    }

    @Test
    void shouldPageTheIdleIdsInAscendingOrder() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            ids.add(put(random(10 + i), 2));
        }
        ids.sort(null);
        stepFor(GRACE_NS);

        final List<ChunkId> listed = new ArrayList<>();
        ChunkId after = null;
        ReclaimCandidatesResponseDecoder page;
        do
        {
            page = idle(2, after, 2);
            for (int i = 0; i < page.count(); i++)
            {
                after = page.chunkId(i);
                listed.add(after);
            }
        }
        while (page.more());

        assertThat(listed).containsExactlyElementsOf(ids);
    }

    @Test
    void shouldDropTheChunksOfADeletedFileFromEveryNodeAndKeepAChunkAnotherFileShares() throws Exception
    {
        cluster = new RepairCluster(directory, ReclaimTest::shortGrace);
        final int leader = cluster.awaitLeader();
        final ChunkId privateOne = put(random(20), 1, 2, 3);
        final ChunkId shared = put(random(21), 1, 2, 3);
        final ChunkId othersOwn = put(random(22), 1, 2, 3);
        putManifest(manifest("old", 1, privateOne, shared), 1, 2, 3);
        putManifest(manifest("new", 2, shared, othersOwn), 1, 2, 3);
        putManifest(Manifest.tombstone("old", new Version(3, 1)), 1, 2, 3);
        stepFor(GRACE_NS);

        reclaimRound(leader);

        assertThat(cluster.reclaims).containsExactly("complete 3 candidates, 1 unreferenced, 3 dropped");
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            assertThat(holds(node, privateOne)).as("node %s, the deleted file's own chunk", node).isFalse();
            assertThat(holds(node, shared)).as("node %s, the shared chunk", node).isTrue();
            assertThat(holds(node, othersOwn)).as("node %s, the live file's chunk", node).isTrue();
        }
        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_CHUNKS_DROPPED)).isEqualTo(3);
        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_UNREFERENCED)).isEqualTo(1);
    }

    @Test
    void shouldKeepAChunkWrittenWithoutAManifestWithinTheGraceAndDropItAfter() throws Exception
    {
        cluster = new RepairCluster(directory, ReclaimTest::shortGrace);
        final int leader = cluster.awaitLeader();
        final ChunkId old = put(random(30), 1, 2, 3);
        stepFor(GRACE_NS);
        final ChunkId inProgress = put(random(31), 1, 2, 3);

        reclaimRound(leader);

        assertThat(holds(1, old)).isFalse();
        assertThat(holds(1, inProgress)).as("within its grace").isTrue();
        stepFor(GRACE_NS);
        reclaimRound(leader);
        assertThat(holds(1, inProgress)).as("past its grace, still no manifest").isFalse();
    }

    @Test
    void shouldKeepAChunkThatAPutDeduplicatedAgainstAfterItWasListed() throws Exception
    {
        cluster = new RepairCluster(directory, ReclaimTest::shortGrace);
        final int leader = cluster.awaitLeader();
        final byte[] raw = random(40);
        final ChunkId id = put(raw, 1, 2, 3);
        stepFor(GRACE_NS);
        final ChunkReclaimer reclaimer = cluster.node(leader).reclaimer();
        final long rounds = reclaimer.roundsCompleted();
        reclaimer.runNow();
        // The listings are in; a new file's put finds the chunk held before the drop orders reach the nodes.
        cluster.stepUntil(() -> cluster.counter(leader, NodeCounter.RECLAIM_UNREFERENCED) > 0 ||
            reclaimer.roundsCompleted() > rounds, 10_000);
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            cluster.client.putChunk(node, id, raw, false);
        }
        cluster.stepUntil(() -> reclaimer.roundsCompleted() > rounds, 10_000);

        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_UNREFERENCED)).isEqualTo(1);
        long kept = 0;
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            assertThat(holds(node, id)).as("node %s", node).isTrue();
            kept += cluster.counter(node, NodeCounter.RECLAIM_KEPT_TOUCHED);
        }
        assertThat(kept).isEqualTo(3);
    }

    @Test
    void shouldDropNothingWhenANodeOfTheRingDoesNotAnswer() throws Exception
    {
        cluster = new RepairCluster(directory, ReclaimTest::shortGrace, true);
        final int leader = cluster.awaitLeader();
        final ChunkId id = put(random(50), 1, 2, 3);
        stepFor(GRACE_NS);

        reclaimRound(leader);

        assertThat(cluster.reclaims).hasSize(1);
        assertThat(cluster.reclaims.get(0)).startsWith("incomplete node 4");
        assertThat(holds(1, id)).isTrue();
        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_ROUNDS_INCOMPLETE)).isEqualTo(1);
    }

    @Test
    void shouldCoverTheIdSpaceInSlicesWhenTheCandidatesExceedTheBound() throws Exception
    {
        cluster = new RepairCluster(directory, context ->
        {
            shortGrace(context).repairContext().reclaimMaxCandidates(2);
            return context;
        });
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            ids.add(put(random(60 + i), 1, 2, 3));
        }
        stepFor(GRACE_NS);

        final ChunkReclaimer reclaimer = cluster.node(leader).reclaimer();
        reclaimer.runNow();
        cluster.stepUntil(() -> cluster.counter(leader, NodeCounter.RECLAIM_CHUNKS_DROPPED) == 15, 50_000);

        assertThat(reclaimer.roundsCompleted()).as("slices").isGreaterThan(1);
        for (final ChunkId id : ids)
        {
            assertThat(holds(2, id)).isFalse();
        }
    }

    private static NodeContext shortGrace(final NodeContext context)
    {
        context.repairContext().reclaimGraceNs(GRACE_NS);
        return context;
    }

    private void reclaimRound(final int leader)
    {
        final ChunkReclaimer reclaimer = cluster.node(leader).reclaimer();
        final long rounds = reclaimer.roundsCompleted();
        reclaimer.runNow();
        cluster.stepUntil(() -> reclaimer.roundsCompleted() > rounds, 10_000);
    }

    private boolean holds(final int node, final ChunkId id) throws Exception
    {
        final long request = cluster.client.hasChunks(node, id);
        cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        return cluster.client.hasChunksResponse(request).get(0);
    }

    private void putManifest(final Manifest manifest, final int... nodes)
    {
        for (final int node : nodes)
        {
            final long request = cluster.client.putManifest(node, manifest);
            cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == request),
                1_000);
        }
    }

    private static Manifest manifest(final String name, final long timestamp, final ChunkId... ids)
    {
        final int[] lengths = new int[ids.length];
        java.util.Arrays.fill(lengths, CHUNK_LENGTH);
        return new Manifest(name, (long)CHUNK_LENGTH * ids.length, new byte[32], ids, lengths,
            new Version(timestamp, 1), false);
    }

    private ReclaimCandidatesResponseDecoder idle(final int node, final ChunkId after) throws Exception
    {
        return idle(node, after, 4096);
    }

    private ReclaimCandidatesResponseDecoder idle(final int node, final ChunkId after, final int maxEntries)
        throws Exception
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final int length = new ReclaimCandidatesRequestEncoder().wrap(body, 0).graceNs(GRACE_NS)
            .maxEntries(maxEntries).after(after).encodedLength();
        final long request = cluster.outsider.send(node, MessageTypes.RECLAIM_CANDIDATES_REQUEST, body, length);
        cluster.stepUntil(() -> cluster.outsider.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        final TestClient.Response response =
            cluster.outsider.response(request, MessageTypes.RECLAIM_CANDIDATES_RESPONSE);
        final ReclaimCandidatesResponseDecoder decoder = new ReclaimCandidatesResponseDecoder()
            .wrap(response.body(), 0, response.body().capacity());
        assertThat(decoder.status()).isEqualTo(Status.OK);
        return decoder;
    }

    private ChunkId put(final byte[] raw, final int... nodes)
    {
        final ChunkId id = cluster.client.codec().hash(raw, raw.length);
        for (final int node : nodes)
        {
            final long request = cluster.client.putChunk(node, id, raw, false);
            cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == request),
                1_000);
        }
        return id;
    }

    private void stepFor(final long ns)
    {
        final long untilNs = cluster.nanoClock.nanoTime() + ns;
        cluster.stepUntil(() -> cluster.nanoClock.nanoTime() - untilNs > 0, (int)(ns / RepairCluster.STEP_NS) + 2);
    }

    private static byte[] random(final long seed)
    {
        final byte[] bytes = new byte[CHUNK_LENGTH];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
