package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.ReclaimCandidatesRequestEncoder;
import io.rfs.replication.protocol.ReclaimCandidatesResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
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
 * ({@link RepairCluster}): what a node lists as idle, and how a put refreshes it.
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
