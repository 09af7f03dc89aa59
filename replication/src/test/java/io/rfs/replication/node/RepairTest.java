package io.rfs.replication.node;

import io.rfs.replication.protocol.ChunkBitmapDecoder;
import io.rfs.replication.protocol.CopyChunksRequestEncoder;
import io.rfs.replication.protocol.DropChunksRequestEncoder;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import io.rfs.replication.ring.Ring;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leader-scheduled repair on three real nodes stepped by hand on one simulated clock ({@link RepairCluster}): range
 * digests, id lists, verified copies, terms, unrecoverable chunks and the throttle.
 */
class RepairTest
{
    private static final int CHUNK_LENGTH = 64 * 1024;

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
    void shouldGiveANodeTheChunksItLacksInOneRound() throws IOException
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            ids.add(put(random(i), 1, 2));
        }
        assertThat(held(3, ids)).isZero();

        cluster.repairRound();

        assertThat(held(3, ids)).isEqualTo(ids.size());
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_CHUNKS_COPIED)).isEqualTo(ids.size());
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_BYTES_COPIED)).isEqualTo((long)ids.size() * CHUNK_LENGTH);
        assertThat(cluster.counter(3, NodeCounter.COPY_CHUNKS_STORED)).isEqualTo(ids.size());
        assertThat(cluster.counter(1, NodeCounter.CHUNKS_VERIFIED_FOR_COPY) +
            cluster.counter(2, NodeCounter.CHUNKS_VERIFIED_FOR_COPY)).isEqualTo(ids.size());
        final long different = cluster.counter(leader, NodeCounter.REPAIR_RANGES_DIFFERENT);
        assertThat(different).isPositive();

        cluster.repairRound();

        assertThat(cluster.counter(leader, NodeCounter.REPAIR_RANGES_DIFFERENT)).as("in sync").isEqualTo(different);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_RANGES_COMPARED))
            .isEqualTo(2L * cluster.node(leader).rangeDigests().rangeCount());
    }

    @Test
    void shouldRepairTheLeadersOwnStoreThroughItsLocalRoute() throws IOException
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final int[] others = java.util.stream.IntStream.rangeClosed(1, RepairCluster.NODES)
            .filter(id -> id != leader).toArray();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            ids.add(put(random(300 + i), others));
        }
        assertThat(held(leader, ids)).isZero();

        cluster.repairRound();

        assertThat(held(leader, ids)).isEqualTo(ids.size());
        assertThat(cluster.counter(leader, NodeCounter.COPY_ORDERS)).as("orders the leader gave itself").isPositive();
        assertThat(cluster.counter(leader, NodeCounter.COPY_CHUNKS_STORED)).isEqualTo(ids.size());
        assertThat(cluster.counter(leader, NodeCounter.UNEXPECTED)).isZero();
    }

    @Test
    void shouldReplaceACorruptCopyFromASoundReplica() throws IOException
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final byte[] raw = random(7);
        final ChunkId id = put(raw, 1, 2, 3);
        SegmentRot.rotFirstChunkKeepingCrcs(cluster.chunksDirectory(2));
        assertThat(get(2, id, false).status()).as("a plain read sends the bytes as stored").isEqualTo(Status.OK);
        assertThat(get(2, id, true).status()).as("a verified read finds the rot").isEqualTo(Status.CORRUPT);
        assertThat(held(2, List.of(id))).isZero();

        cluster.repairRound();

        final GetChunkResponseDecoder response = get(2, id, true);
        assertThat(response.status()).isEqualTo(Status.OK);
        final byte[] copy = new byte[response.payloadLength()];
        response.buffer().getBytes(response.payloadOffset(), copy);
        assertThat(copy).isEqualTo(raw);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_CHUNKS_COPIED)).isEqualTo(1);
        assertThat(cluster.unrecoverable).isEmpty();
    }

    @Test
    void shouldRepairAChunkTheScrubFoundCorruptWithoutWaitingForTheRepairInterval() throws IOException
    {
        cluster = new RepairCluster(directory, context ->
        {
            context.scrubContext().periodNs(TimeUnit.SECONDS.toNanos(4));
            return context;
        });
        final int leader = cluster.awaitLeader();
        final byte[] raw = random(8);
        final ChunkId id = put(raw, 1, 2, 3);
        final int rotten = leader == 2 ? 3 : 2;
        SegmentRot.rotFirstChunkKeepingCrcs(cluster.chunksDirectory(rotten));

        cluster.stepUntil(() -> cluster.counter(rotten, NodeCounter.SCRUB_CORRUPT_FOUND) == 1, 2_000);
        cluster.stepUntil(() -> cluster.counter(leader, NodeCounter.REPAIR_CHUNKS_COPIED) == 1, 2_000);

        assertThat(cluster.counter(rotten, NodeCounter.SCRUB_REPORTS_SENT)).isEqualTo(1);
        assertThat(cluster.counter(leader, NodeCounter.SCRUB_REPORTS_RECEIVED)).isEqualTo(1);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_ROUNDS)).as("the report started the round").isEqualTo(1);
        final GetChunkResponseDecoder response = get(rotten, id, true);
        assertThat(response.status()).isEqualTo(Status.OK);
        final byte[] copy = new byte[response.payloadLength()];
        response.buffer().getBytes(response.payloadOffset(), copy);
        assertThat(copy).isEqualTo(raw);
        final long found = cluster.counter(rotten, NodeCounter.SCRUB_CORRUPT_FOUND);
        cluster.stepUntil(() -> cluster.counter(rotten, NodeCounter.SCRUB_PASSES) >= 3, 2_000);
        assertThat(cluster.counter(rotten, NodeCounter.SCRUB_CORRUPT_FOUND)).as("the new copy is sound")
            .isEqualTo(found);
    }

    @Test
    void shouldReportAChunkCorruptOnEveryReplicaAndCopyNothing() throws IOException
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final ChunkId id = put(random(9), 1, 2, 3);
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            SegmentRot.rotFirstChunkKeepingCrcs(cluster.chunksDirectory(node));
        }
        assertThat(get(1, id, true).status()).isEqualTo(Status.CORRUPT);

        for (int round = 0; round < 4 && cluster.unrecoverable.isEmpty(); round++)
        {
            cluster.repairRound();
        }

        assertThat(cluster.unrecoverable).containsExactly(id);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_UNRECOVERABLE)).isEqualTo(1);
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            assertThat(held(node, List.of(id))).as("node %s", node).isZero();
            assertThat(cluster.counter(node, NodeCounter.COPY_CHUNKS_STORED)).isZero();
            assertThat(cluster.counter(node, NodeCounter.CHUNKS_WRITTEN)).as("only the client's put").isEqualTo(1);
        }
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_CHUNKS_COPIED)).isZero();

        cluster.repairRound();
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_UNRECOVERABLE)).as("reported once").isEqualTo(1);
    }

    @Test
    void shouldRefuseACopyOrderOfAStaleTermOrFromANodeThatIsNotTheLeader() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final ChunkId id = put(random(11), 1, 2);
        final long term = cluster.node(3).clusterAgent().term();
        assertThat(term).isPositive();

        final long stale = copyOrder(3, 1, term - 1, id);
        final long notLeader = copyOrder(3, 1, term, id);
        cluster.stepUntil(() -> answered(cluster.outsider, stale, notLeader), 100);

        assertThat(cluster.outsider.error(stale).code()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(cluster.outsider.error(notLeader).code()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(cluster.counter(3, NodeCounter.COPY_ORDERS_REFUSED)).isEqualTo(2);
        assertThat(cluster.counter(3, NodeCounter.COPY_ORDERS)).isZero();
        for (int i = 0; i < 50; i++)
        {
            cluster.step();
        }
        assertThat(held(3, List.of(id))).isZero();
        assertThat(leader).isNotEqualTo(RepairCluster.OUTSIDER);

        final long newer = copyOrder(3, 1, term + 1, id);
        cluster.stepUntil(() -> answered(cluster.outsider, newer), 1_000);
        assertThat(bitmap(cluster.outsider.response(newer, MessageTypes.COPY_CHUNKS_RESPONSE)).get(0))
            .as("an order of a later term is carried out").isTrue();
        assertThat(held(3, List.of(id))).isEqualTo(1);
    }

    @Test
    void shouldRefuseADropOrderOfAnotherTermOrFromANodeThatIsNotTheLeader() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final ChunkId id = put(random(12), 1, 2, 3);
        final long term = cluster.node(3).clusterAgent().term();

        final long stale = dropOrder(3, term - 1, id);
        final long notLeader = dropOrder(3, term, id);
        final long newer = dropOrder(3, term + 1, id);
        cluster.stepUntil(() -> answered(cluster.outsider, stale, notLeader, newer), 100);

        assertThat(cluster.outsider.error(stale).code()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(cluster.outsider.error(notLeader).code()).isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(cluster.outsider.error(newer).code()).as("a drop needs the leader this node follows")
            .isEqualTo(ErrorCode.NOT_LEADER);
        assertThat(cluster.counter(3, NodeCounter.DROP_ORDERS_REFUSED)).isEqualTo(3);
        assertThat(cluster.counter(3, NodeCounter.DROP_ORDERS)).isZero();
        assertThat(cluster.counter(3, NodeCounter.CHUNKS_DROPPED)).isZero();
        assertThat(held(3, List.of(id))).isEqualTo(1);
        assertThat(leader).isNotEqualTo(RepairCluster.OUTSIDER);
    }

    @Test
    void shouldFailTheChunksOfAnOrderWhoseSourceCannotBeReachedAndTakeTheNextOrder() throws Exception
    {
        cluster = new RepairCluster(directory, context ->
        {
            context.repairContext().copyTimeoutNs(TimeUnit.SECONDS.toNanos(2));
            return context;
        });
        cluster.awaitLeader();
        final ChunkId id = put(random(13), 1, 2);
        final long term = cluster.node(3).clusterAgent().term();
        final int unknownNode = 9;

        final long order = copyOrder(3, unknownNode, term + 1, id);
        cluster.stepUntil(() -> answered(cluster.outsider, order), 2_000);

        assertThat(bitmap(cluster.outsider.response(order, MessageTypes.COPY_CHUNKS_RESPONSE)).get(0)).isFalse();
        assertThat(cluster.counter(3, NodeCounter.COPY_CHUNKS_FAILED)).isEqualTo(1);
        final long next = copyOrder(3, 1, term + 1, id);
        cluster.stepUntil(() -> answered(cluster.outsider, next), 1_000);
        assertThat(bitmap(cluster.outsider.response(next, MessageTypes.COPY_CHUNKS_RESPONSE)).get(0)).isTrue();
    }

    @Test
    void shouldGiveUpAnOrderWhoseSourceRefusesForTheRequestTimeoutLongBeforeTheCopyTimeout() throws Exception
    {
        cluster = new RepairCluster(directory, context ->
        {
            context.repairContext().copyTimeoutNs(TimeUnit.MINUTES.toNanos(10)).requestTimeoutNs(
                TimeUnit.SECONDS.toNanos(1));
            return context;
        });
        cluster.awaitLeader();
        final ChunkId id = put(random(14), 1, 2);
        final long term = cluster.node(3).clusterAgent().term();
        final int nodeNotConnected = 9;

        final long order = copyOrder(3, nodeNotConnected, term + 1, id);
        final long stepsInTwoSeconds = TimeUnit.SECONDS.toNanos(2) / RepairCluster.STEP_NS;
        cluster.stepUntil(() -> answered(cluster.outsider, order), (int)stepsInTwoSeconds);

        assertThat(answered(cluster.outsider, order)).as("answered within 2 s of a 10 min copy timeout").isTrue();
        assertThat(bitmap(cluster.outsider.response(order, MessageTypes.COPY_CHUNKS_RESPONSE)).get(0)).isFalse();
        assertThat(cluster.counter(3, NodeCounter.COPY_CHUNKS_FAILED)).isEqualTo(1);
    }

    @Test
    void shouldFetchAgainLaterWhatAFullStorageQueueCouldNotTake() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        final ChunkId id = put(random(17), 1, 2);
        final long term = cluster.node(3).clusterAgent().term();
        cluster.stallStorage(3, true);
        for (int i = 0; i < 200 && cluster.counter(3, NodeCounter.OVERLOADED) == 0; i++)
        {
            cluster.client.putChunk(3, random(1000 + i), false);
            cluster.step();
        }
        assertThat(cluster.counter(3, NodeCounter.OVERLOADED)).as("client puts refused: the queue is full").isPositive();

        final long order = copyOrder(3, 1, term + 1, id);
        for (int i = 0; i < 100; i++)
        {
            cluster.step();
        }
        assertThat(cluster.counter(3, NodeCounter.COPY_CHUNKS_DEFERRED)).isPositive();
        assertThat(answered(cluster.outsider, order)).isFalse();

        cluster.stallStorage(3, false);
        cluster.stepUntil(() -> answered(cluster.outsider, order), 1_000);
        assertThat(bitmap(cluster.outsider.response(order, MessageTypes.COPY_CHUNKS_RESPONSE)).get(0)).isTrue();
        assertThat(cluster.counter(3, NodeCounter.COPY_CHUNKS_FAILED)).isZero();
        assertThat(held(3, List.of(id))).isEqualTo(1);
    }

    @Test
    void shouldFinishARoundAndRepairTheOthersWhileAReplicaIsDown() throws IOException
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity(), true);
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        final List<ChunkId> onThree = new ArrayList<>();
        for (int i = 0; i < 30; i++)
        {
            final ChunkId id = put(random(200 + i), 1, 2);
            ids.add(id);
            final int[] owners = new int[3];
            cluster.node(1).context().repairContext().ring().replicas(Ring.chunkPosition(id), owners);
            if (Arrays.stream(owners).anyMatch(owner -> owner == 3))
            {
                onThree.add(id);
            }
        }
        assertThat(onThree).isNotEmpty();
        cluster.outsider.transport.close();

        cluster.repairRound();

        assertThat(held(3, onThree)).as("node 4 being down does not stop node 3's repair").isEqualTo(onThree.size());
        assertThat(held(3, ids)).isEqualTo(onThree.size());
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_ANSWERS_MISSED)).as("node 4's digests").isPositive();
    }

    @Test
    void shouldKeepEachNodesRepairBytesWithinTheBandwidth() throws IOException
    {
        final long bandwidth = 4L * CHUNK_LENGTH;
        cluster = new RepairCluster(directory, context ->
        {
            context.repairContext().bandwidth(bandwidth);
            return context;
        });
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            ids.add(put(random(100 + i), 1, 2));
        }
        final long total = (long)ids.size() * CHUNK_LENGTH;
        final Node node = cluster.node(leader);
        final long rounds = node.counters().get(NodeCounter.REPAIR_ROUNDS);
        node.repairScheduler().runNow();
        cluster.step();
        final long startNs = cluster.nanoClock.nanoTime();
        long maxOverBound = Long.MIN_VALUE;
        while (node.counters().get(NodeCounter.REPAIR_BYTES_COPIED) < total)
        {
            cluster.step();
            final double seconds = (cluster.nanoClock.nanoTime() - startNs) / 1e9;
            final long copied = node.counters().get(NodeCounter.REPAIR_BYTES_COPIED);
            // one second's burst, plus the order in flight when the bucket went negative
            maxOverBound = Math.max(maxOverBound, copied - (long)(bandwidth * (seconds + 2)));
            assertThat(seconds).as("copying finishes").isLessThan(600);
        }
        final double seconds = (cluster.nanoClock.nanoTime() - startNs) / 1e9;
        assertThat(maxOverBound).as("bytes beyond bandwidth x (elapsed + 2 s)").isLessThanOrEqualTo(0);
        assertThat(seconds).as("simulated seconds for %s bytes at %s B/s", total, bandwidth)
            .isGreaterThanOrEqualTo((double)total / bandwidth - 2);
        assertThat(held(3, ids)).isEqualTo(ids.size());
        assertThat(node.counters().get(NodeCounter.REPAIR_ROUNDS)).isEqualTo(rounds + 1);
    }

    @Test
    void shouldSendOneOrderAtATimeToATargetHoweverManyMayBeInFlight() throws IOException
    {
        cluster = new RepairCluster(directory, context ->
        {
            context.repairContext().maxInFlight(4).copyBatch(2);
            return context;
        });
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            ids.add(put(random(200 + i), 1, 2));
        }

        final int mostInFlight = copyWatchingOrdersInFlight(leader, ids.size());

        assertThat(mostInFlight).as("orders in flight at once, all to node 3").isEqualTo(1);
        assertThat(held(3, ids)).isEqualTo(ids.size());
        assertThat(cluster.counter(3, NodeCounter.COPY_ORDERS)).as("orders of at most 2 chunks, none in parallel")
            .isGreaterThanOrEqualTo(10);
    }

    @Test
    void shouldKeepOrdersInFlightWithinTheMaximumOverAllTargets() throws IOException
    {
        cluster = new RepairCluster(directory, context ->
        {
            context.repairContext().maxInFlight(1).copyBatch(2);
            return context;
        });
        final int leader = cluster.awaitLeader();
        final int holder = leader == 1 ? 2 : 1;
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            ids.add(put(random(250 + i), holder));
        }

        final int mostInFlight = copyWatchingOrdersInFlight(leader, 2 * ids.size());

        assertThat(mostInFlight).as("orders in flight at once to the two nodes lacking every chunk").isEqualTo(1);
        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            assertThat(held(node, ids)).as("node %d", node).isEqualTo(ids.size());
        }
    }

    /**
     * Starts a round and steps the cluster until the leader has copied {@code copies} chunks.
     *
     * @return the most orders the leader had in flight at once.
     */
    private int copyWatchingOrdersInFlight(final int leader, final int copies)
    {
        final Node node = cluster.node(leader);
        node.repairScheduler().runNow();
        int mostInFlight = 0;
        for (int step = 0; node.counters().get(NodeCounter.REPAIR_CHUNKS_COPIED) < copies; step++)
        {
            assertThat(step).as("copying finishes").isLessThan(100_000);
            cluster.step();
            mostInFlight = Math.max(mostInFlight, node.repairScheduler().ordersInFlight());
        }
        return mostInFlight;
    }

    private ChunkId put(final byte[] raw, final int... nodes)
    {
        final ChunkId id = cluster.client.codec().hash(raw, raw.length);
        final long[] requests = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            requests[i] = cluster.client.putChunk(nodes[i], id, raw, false);
        }
        cluster.stepUntil(() -> answered(requests), 1_000);
        return id;
    }

    private boolean answered(final long... requests)
    {
        return answered(cluster.client, requests);
    }

    private static boolean answered(final TestClient client, final long... requests)
    {
        for (final long request : requests)
        {
            if (client.responses.stream().noneMatch(r -> r.correlationId() == request))
            {
                return false;
            }
        }
        return true;
    }

    private int held(final int node, final List<ChunkId> ids)
    {
        final long request = cluster.client.hasChunks(node, ids.toArray(new ChunkId[0]));
        cluster.stepUntil(() -> answered(request), 1_000);
        try
        {
            final ChunkBitmapDecoder bitmap = cluster.client.hasChunksResponse(request);
            int held = 0;
            for (int i = 0; i < bitmap.count(); i++)
            {
                held += bitmap.get(i) ? 1 : 0;
            }
            return held;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private GetChunkResponseDecoder get(final int node, final ChunkId id, final boolean verify)
    {
        final long request = cluster.client.getChunk(node, id, false, verify);
        cluster.stepUntil(() -> answered(request), 1_000);
        try
        {
            return cluster.client.getChunkResponse(request);
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private long copyOrder(final int target, final int source, final long term, final ChunkId id)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
        final CopyChunksRequestEncoder order = new CopyChunksRequestEncoder().wrap(body, 0)
            .sourceNodeId(source).term(term).addChunkId(id);
        return cluster.outsider.send(target, MessageTypes.COPY_CHUNKS_REQUEST, body, order.encodedLength());
    }

    private long dropOrder(final int target, final long term, final ChunkId id)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
        final DropChunksRequestEncoder order = new DropChunksRequestEncoder().wrap(body, 0).term(term).addChunkId(id);
        return cluster.outsider.send(target, MessageTypes.DROP_CHUNKS_REQUEST, body, order.encodedLength());
    }

    private static ChunkBitmapDecoder bitmap(final TestClient.Response response) throws Exception
    {
        return new ChunkBitmapDecoder(MessageTypes.COPY_CHUNKS_RESPONSE)
            .wrap(response.body(), 0, response.body().capacity());
    }

    private static byte[] random(final long seed)
    {
        final byte[] bytes = new byte[CHUNK_LENGTH];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
