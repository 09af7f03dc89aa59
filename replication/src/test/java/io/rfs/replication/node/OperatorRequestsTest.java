package io.rfs.replication.node;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RepairControlRequestEncoder;
import io.rfs.replication.protocol.RepairStatusDecoder;
import io.rfs.replication.protocol.RepairStatusDescriptor;
import io.rfs.replication.protocol.VerifyChunksRequestEncoder;
import io.rfs.replication.protocol.VerifyChunksResponseDecoder;
import io.rfs.replication.protocol.VerifyChunksResponseDescriptor;
import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's requests on three real nodes stepped by hand ({@link RepairCluster}): {@code VerifyChunksRequest}
 * (each node re-hashes its own copies) and {@code RepairControlRequest} (start a round, set the bandwidth, status).
 */
class OperatorRequestsTest
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
    void shouldReportEachCopyHealthyCorruptOrMissingWhereItLies() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        final ChunkId rotten = put(random(1), 1, 2);
        final ChunkId sound = put(random(2), 2);
        SegmentRot.rotFirstChunkKeepingCrcs(cluster.chunksDirectory(2));

        final VerifyChunksResponseDecoder first = verify(2, false, rotten, sound);
        assertThat(first.state(0)).isEqualTo(VerifyChunksResponseDescriptor.STATE_CORRUPT);
        assertThat(first.state(1)).isEqualTo(VerifyChunksResponseDescriptor.STATE_HEALTHY);
        assertThat(verify(2, false, rotten).state(0)).as("quarantined by the first verify")
            .isEqualTo(VerifyChunksResponseDescriptor.STATE_MISSING);
        final VerifyChunksResponseDecoder other = verify(1, false, rotten, sound);
        assertThat(other.state(0)).isEqualTo(VerifyChunksResponseDescriptor.STATE_HEALTHY);
        assertThat(other.state(1)).isEqualTo(VerifyChunksResponseDescriptor.STATE_MISSING);
        final VerifyChunksResponseDecoder presence = verify(1, true, rotten, sound);
        assertThat(presence.state(0)).isEqualTo(VerifyChunksResponseDescriptor.STATE_HELD);
        assertThat(presence.state(1)).isEqualTo(VerifyChunksResponseDescriptor.STATE_MISSING);
        assertThat(cluster.counter(2, NodeCounter.CHUNKS_VERIFIED_ON_REQUEST)).isEqualTo(1);
        assertThat(cluster.counter(1, NodeCounter.CHUNKS_VERIFIED_ON_REQUEST)).as("presence only re-hashes nothing")
            .isEqualTo(1);
    }

    @Test
    void shouldStartARoundOnlyOnTheLeaderAndNameItFromTheOthers() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final int follower = leader % RepairCluster.NODES + 1;
        put(random(3), 1, 2);

        final RepairStatusDecoder refused = control(follower, true, 0);
        assertThat(refused.isLeader()).isFalse();
        assertThat(refused.leaderId()).isEqualTo(leader);
        assertThat(cluster.counter(follower, NodeCounter.REPAIR_ROUNDS)).isZero();

        final long rounds = cluster.counter(leader, NodeCounter.REPAIR_ROUNDS);
        assertThat(control(leader, true, 0).isLeader()).isTrue();
        cluster.stepUntil(() -> cluster.counter(leader, NodeCounter.REPAIR_ROUNDS) > rounds &&
            !cluster.node(leader).repairScheduler().isRoundInProgress(), 200_000);

        final RepairStatusDecoder done = control(leader, false, 0);
        assertThat(done.isRoundInProgress()).isFalse();
        assertThat(done.field(RepairStatusDescriptor.ROUNDS_COMPLETED_OFFSET)).isEqualTo(1);
        assertThat(done.field(RepairStatusDescriptor.CHUNKS_COPIED_OFFSET)).isEqualTo(1);
        assertThat(done.field(RepairStatusDescriptor.BYTES_COPIED_OFFSET)).isEqualTo(CHUNK_LENGTH);
        assertThat(done.field(RepairStatusDescriptor.RANGES_REPAIRED_OFFSET))
            .isEqualTo(done.field(RepairStatusDescriptor.RANGES_DIFFERENT_OFFSET)).isPositive();
    }

    @Test
    void shouldStartAReclaimRoundWithTheRepairRoundWhenAskedToRepairNow() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final int follower = leader % RepairCluster.NODES + 1;
        final long reclaims = cluster.counter(leader, NodeCounter.RECLAIM_ROUNDS);

        control(follower, true, 0);
        for (int i = 0; i < 1_000; i++)
        {
            cluster.step();
        }
        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_ROUNDS)).as("a follower starts nothing")
            .isEqualTo(reclaims);

        assertThat(control(leader, true, 0).isLeader()).isTrue();
        cluster.stepUntil(() -> cluster.node(leader).reclaimer().roundsCompleted() > 0 &&
            !cluster.node(leader).repairScheduler().isRoundInProgress() &&
            !cluster.node(leader).manifestRepair().isPassInProgress(), 200_000);

        assertThat(cluster.counter(leader, NodeCounter.RECLAIM_ROUNDS)).as("the reclaim interval is an hour")
            .isEqualTo(reclaims + 1);
        assertThat(cluster.node(leader).reclaimer().isRoundInProgress()).isFalse();
        assertThat(control(leader, false, 0).isRoundInProgress()).isFalse();
    }

    @Test
    void shouldSetTheBandwidthOnAnyNode() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        final int follower = leader % RepairCluster.NODES + 1;

        assertThat(control(follower, false, 5_000_000).field(RepairStatusDescriptor.BANDWIDTH_OFFSET))
            .isEqualTo(5_000_000);
        assertThat(cluster.node(follower).repairScheduler().bandwidth()).isEqualTo(5_000_000);
        assertThat(cluster.node(leader).repairScheduler().bandwidth()).as("only the node asked")
            .isEqualTo(cluster.node(leader).context().repairContext().bandwidth());
    }

    private VerifyChunksResponseDecoder verify(final int node, final boolean presenceOnly, final ChunkId... ids)
        throws Exception
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[8 + 32 * ids.length]);
        final VerifyChunksRequestEncoder encoder = new VerifyChunksRequestEncoder().wrap(body, 0, presenceOnly);
        for (final ChunkId id : ids)
        {
            encoder.addChunkId(id);
        }
        final long request = cluster.client.send(node, MessageTypes.VERIFY_CHUNKS_REQUEST, body,
            encoder.encodedLength());
        cluster.stepUntil(() -> answered(request), 1_000);
        final TestClient.Response response = cluster.client.response(request, MessageTypes.VERIFY_CHUNKS_RESPONSE);
        return new VerifyChunksResponseDecoder().wrap(response.body(), 0, response.body().capacity());
    }

    private RepairStatusDecoder control(final int node, final boolean start, final long bandwidth) throws Exception
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[RepairStatusDescriptor.BLOCK_LENGTH]);
        final RepairControlRequestEncoder encoder = new RepairControlRequestEncoder().wrap(body, 0);
        if (start)
        {
            encoder.startRound();
        }
        if (bandwidth > 0)
        {
            encoder.bandwidth(bandwidth);
        }
        final long request = cluster.client.send(node, MessageTypes.REPAIR_CONTROL_REQUEST, body,
            encoder.encodedLength());
        cluster.stepUntil(() -> answered(request), 1_000);
        final TestClient.Response response = cluster.client.response(request, MessageTypes.REPAIR_STATUS_RESPONSE);
        return new RepairStatusDecoder().wrap(response.body(), 0, response.body().capacity());
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
        for (final long request : requests)
        {
            if (cluster.client.responses.stream().noneMatch(r -> r.correlationId() == request))
            {
                return false;
            }
        }
        return true;
    }

    private static byte[] random(final int seed)
    {
        final byte[] bytes = new byte[CHUNK_LENGTH];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
