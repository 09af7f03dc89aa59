package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MembershipResponseDecoder;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RingResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingCodec;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.RecordDescriptor;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ring membership on real nodes stepped by hand ({@link MembershipCluster}): an operator's add and remove committed
 * by the leader, a learner that follows the log, the committed ring answered to clients, rebalancing by repair
 * against the new ring, and a node unheard for the grace period committed gone and its data re-replicated.
 */
class MembershipTest
{
    private static final int CHUNK_LENGTH = 16 * 1024;
    private static final int CHUNKS = 60;

    @TempDir
    Path directory;

    private MembershipCluster cluster;

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
    void shouldCommitAnAddedNodeAndCopyItExactlyTheRangesItNowOwns() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = putEverywhere(1, 2, 3);
        cluster.start(4);
        final int follower = leader == 1 ? 2 : 1;

        final MembershipResponseDecoder notLeader = cluster.membership(follower, add(4));
        assertThat(notLeader.status()).isEqualTo(MembershipResponseDescriptor.NOT_LEADER);
        assertThat(notLeader.leaderId()).isEqualTo(leader);

        final MembershipResponseDecoder committed = cluster.membership(leader, add(4));
        assertThat(committed.status()).as(committed.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        final long version = committed.ringVersion();
        cluster.stepUntil(() -> version(4) == version && version(1) == version && version(2) == version &&
            version(3) == version, 2_000);
        final Ring ring = cluster.node(leader).clusterAgent().ring();
        assertThat(ring.contains(4)).isTrue();
        assertThat(cluster.node(4).clusterAgent().leaderId()).as("the learner follows the leader").isEqualTo(leader);
        assertThat(cluster.node(4).clusterAgent().isVoter(4)).as("the added node votes").isTrue();
        assertThat(cluster.node(leader).clusterAgent().isVoter(4)).isTrue();
        assertThat(cluster.node(leader).clusterAgent().status().members()).hasSize(4);
        assertThat(cluster.node(4).clusterAgent().status().majorityReachable()).as("a learner is healthy while it " +
            "hears its leader").isTrue();

        cluster.awaitRebalanced();

        final boolean[] onNew = cluster.held(4, ids);
        int moved = 0;
        final int[] replicas = new int[3];
        for (int i = 0; i < ids.size(); i++)
        {
            ring.replicas(Ring.chunkPosition(ids.get(i)), replicas);
            final boolean owns = replicas[0] == 4 || replicas[1] == 4 || replicas[2] == 4;
            assertThat(onNew[i]).as("chunk %d on node 4 iff it owns it", i).isEqualTo(owns);
            moved += onNew[i] ? 1 : 0;
        }
        assertThat(moved).isPositive().isLessThan(ids.size());
        long dropped = 0;
        for (int id = 1; id <= 3; id++)
        {
            final boolean[] held = cluster.held(id, ids);
            for (int i = 0; i < ids.size(); i++)
            {
                ring.replicas(Ring.chunkPosition(ids.get(i)), replicas);
                final boolean owns = replicas[0] == id || replicas[1] == id || replicas[2] == id;
                assertThat(held[i]).as("chunk %d on node %d iff it still owns it", i, id).isEqualTo(owns);
            }
            dropped += cluster.node(id).counters().get(NodeCounter.CHUNKS_DROPPED);
        }
        assertThat(dropped).as("one old owner dropped each chunk that moved").isEqualTo(moved);
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_CHUNKS_DROPPED)).isEqualTo(moved);

        final long droppedBytes = (long)moved * CHUNK_LENGTH;
        cluster.stepUntil(() -> reclaimed(1, 2, 3) >= droppedBytes, 2_000);
        for (int id = 1; id <= 3; id++)
        {
            final long reclaimed = reclaimed(id);
            final long droppedRecords = cluster.node(id).counters().get(NodeCounter.CHUNKS_DROPPED) *
                RecordDescriptor.recordLength(CHUNK_LENGTH);
            assertThat(reclaimed).as("node %d: all its dropped bytes", id).isEqualTo(droppedRecords);
        }
        for (int id = 1; id <= 3; id++)
        {
            final boolean[] held = cluster.held(id, ids);
            for (int i = 0; i < ids.size(); i++)
            {
                if (held[i])
                {
                    assertThat(cluster.read(id, ids.get(i))).as("chunk %d on node %d after compaction", i, id)
                        .isEqualTo(random(i));
                }
            }
        }
    }

    private long reclaimed(final int... nodes)
    {
        long bytes = 0;
        for (final int id : nodes)
        {
            bytes += cluster.node(id).counters().get(NodeCounter.COMPACTION_BYTES_RECLAIMED);
        }
        return bytes;
    }

    @Test
    void shouldElectALeaderAmongTheVotersTheRingNowHasWhenTwoOriginalVotersAreGone() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int first = cluster.awaitLeader();
        cluster.start(4);
        assertThat(cluster.node(4).clusterAgent().isVoter(4)).as("not in the ring yet").isFalse();
        assertThat(cluster.membership(first, add(4)).status()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> cluster.node(4).clusterAgent().isVoter(4), 2_000);

        final int removed = first == 1 ? 2 : 1;
        final MembershipResponseDecoder removal = cluster.membership(first, MembershipCluster.removal(removed));
        assertThat(removal.status()).as(removal.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> !cluster.node(removed).clusterAgent().isVoter(removed), 2_000);
        final long term = cluster.node(first).clusterAgent().term();
        cluster.crash(removed);
        cluster.crash(first);

        // voters {1, 2, 3, 4} less the removed one: the two left are a majority of three (of the original three
        // voters only one is left, which alone could elect nobody)
        final int next = cluster.awaitLeader();
        assertThat(next).isNotIn(first, removed);
        assertThat(cluster.node(next).clusterAgent().term()).isGreaterThan(term);
        assertThat(cluster.node(next).clusterAgent().status().members()).extracting(m -> m.nodeId())
            .containsExactlyInAnyOrder(IntStream.rangeClosed(1, 4).filter(id -> id != removed).boxed()
                .toArray(Integer[]::new));
    }

    @Test
    void shouldHaveALeaderElectedAfterARingChangeTakeOverItsRebalance() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int first = cluster.awaitLeader();
        final List<ChunkId> ids = putEverywhere(1, 2, 3);
        cluster.start(4);
        final MembershipResponseDecoder committed = cluster.membership(first, add(4));
        assertThat(committed.status()).as(committed.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        final long version = committed.ringVersion();
        cluster.stepUntil(() -> version(1) == version && version(2) == version && version(3) == version &&
            version(4) == version, 2_000);
        assertThat(cluster.node(first).membership().rebalancingVersion()).as("still rebalancing").isEqualTo(version);

        cluster.crash(first);
        cluster.stepUntil(() -> cluster.leader() > 0 && cluster.leader() != first, 4_000);
        final int next = cluster.leader();
        cluster.stepUntil(() -> cluster.node(next).membership().rebalancingVersion() == version, 2_000);

        assertThat(cluster.node(next).membership().rebalancingVersion()).as("node %d took over the rebalance", next)
            .isEqualTo(version);
        cluster.resume(first);
        cluster.awaitRebalanced();
        assertThat(cluster.leader()).isEqualTo(next);
        final Ring ring = cluster.node(next).clusterAgent().ring();
        final boolean[] onNew = cluster.held(4, ids);
        final int[] replicas = new int[3];
        for (int i = 0; i < ids.size(); i++)
        {
            ring.replicas(Ring.chunkPosition(ids.get(i)), replicas);
            final boolean owns = replicas[0] == 4 || replicas[1] == 4 || replicas[2] == 4;
            assertThat(onNew[i]).as("chunk %d on node 4 iff it owns it", i).isEqualTo(owns);
        }
    }

    @Test
    void shouldHandOverLeadershipOnceTheChangeRemovingTheLeaderCommits() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int first = cluster.awaitLeader();
        cluster.start(4);
        assertThat(cluster.membership(first, add(4)).status()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> cluster.node(first).clusterAgent().log().commitIndex() ==
            cluster.node(first).clusterAgent().log().lastIndex(), 2_000);

        final MembershipResponseDecoder removal = cluster.membership(first, MembershipCluster.removal(first));
        assertThat(removal.status()).as(removal.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> cluster.leader() > 0 && cluster.leader() != first, 4_000);

        final ClusterAgent removedAgent = cluster.node(first).clusterAgent();
        assertThat(removedAgent.role()).isNotEqualTo(Role.LEADER);
        assertThat(removedAgent.isVoter(first)).isFalse();
        final int next = cluster.awaitLeader();
        assertThat(cluster.node(next).clusterAgent().ring().contains(first)).isFalse();
        for (int i = 0; i < 200; i++)
        {
            cluster.step();
        }
        assertThat(removedAgent.role()).as("a removed node never stands again").isEqualTo(Role.FOLLOWER);
        assertThat(cluster.leader()).isEqualTo(next);
    }

    @Test
    void shouldAnswerTheCommittedRingToAClient() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int leader = cluster.awaitLeader();
        assertThat(ringOf(leader)).as("no change committed yet").isNull();
        cluster.start(4);
        assertThat(cluster.membership(leader, add(4, 200, "z")).status())
            .isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> version(4) == cluster.node(leader).clusterAgent().ringVersion(), 2_000);

        final Ring fromLearner = ringOf(4);

        assertThat(fromLearner).isEqualTo(cluster.node(leader).clusterAgent().ring());
        assertThat(fromLearner.node(4)).isEqualTo(new RingNode(4, MembershipCluster.address(4), 200, "z"));
    }

    @Test
    void shouldRemoveANodeThatIsDownAndRefuseToGoBelowN() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final int down = leader == 4 ? 3 : 4;
        cluster.crash(down);

        final MembershipResponseDecoder removed = cluster.membership(leader, MembershipCluster.removal(down));
        assertThat(removed.status()).as(removed.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        assertThat(cluster.node(leader).clusterAgent().ring().contains(down)).isFalse();

        final int other = leader == 1 ? 2 : 1;
        final MembershipResponseDecoder refused = cluster.membership(leader, MembershipCluster.removal(other));
        assertThat(refused.status()).isEqualTo(MembershipResponseDescriptor.REFUSED);
        assertThat(refused.text()).contains("fewer than N = 3");
        final MembershipResponseDecoder repeated = cluster.membership(leader, MembershipCluster.removal(down));
        assertThat(repeated.status()).as("a removal repeated after a lost answer holds")
            .isEqualTo(MembershipResponseDescriptor.COMMITTED);
        assertThat(repeated.text()).contains("not in the ring");
    }

    @Test
    void shouldCommitAWeightChangeAndCopyTheHeavierNodeTheRangesItNowOwns() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final List<ChunkId> ids = putEverywhere(1, 2, 3, 4);
        final int heavier = leader == 4 ? 3 : 4;
        assertThat(cluster.node(leader).clusterAgent().ring()).as("no change committed yet").isNull();

        final MembershipResponseDecoder committed = cluster.membership(leader, weight(heavier, 300));
        assertThat(committed.status()).as(committed.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        final long version = committed.ringVersion();
        cluster.stepUntil(() -> version(1) == version && version(2) == version && version(3) == version &&
            version(4) == version, 2_000);
        final Ring ring = cluster.node(leader).clusterAgent().ring();
        assertThat(ring.node(heavier).weight()).isEqualTo(300);
        assertThat(cluster.membership(leader, weight(heavier, 300)).status())
            .as("a repeated request is answered as committed").isEqualTo(MembershipResponseDescriptor.COMMITTED);
        assertThat(cluster.node(leader).clusterAgent().ringVersion()).as("and changes nothing").isEqualTo(version);
        assertThat(cluster.membership(leader, weight(5, 300)).status()).as("a node not in the ring")
            .isEqualTo(MembershipResponseDescriptor.REFUSED);

        cluster.awaitRebalanced();

        final int[] replicas = new int[3];
        int owned = 0;
        for (int i = 0; i < ids.size(); i++)
        {
            ring.replicas(Ring.chunkPosition(ids.get(i)), replicas);
            for (final int replica : replicas)
            {
                assertThat(cluster.held(replica, List.of(ids.get(i)))[0]).as("chunk %d on its owner %d", i, replica)
                    .isTrue();
                owned += replica == heavier ? 1 : 0;
            }
        }
        assertThat(owned).as("the heavier node owns a bigger share of the copies").isGreaterThan(ids.size() * 3 / 4);
    }

    @Test
    void shouldCommitANodeGoneAfterTheGracePeriodAndReReplicateItsData() throws IOException
    {
        final long graceNs = TimeUnit.SECONDS.toNanos(2);
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, graceNs);
        final int leader = cluster.awaitLeader();
        final Ring before = ringInForce(leader);
        final List<ChunkId> ids = new ArrayList<>();
        final int[] replicas = new int[3];
        for (int i = 0; i < CHUNKS; i++)
        {
            final byte[] raw = random(i);
            before.replicas(Ring.chunkPosition(cluster.client.codec().hash(raw, raw.length)), replicas);
            ids.add(cluster.put(raw, replicas.clone()));
        }
        final int gone = leader == 4 ? 3 : 4;
        cluster.crash(gone);
        final long crashedAtNs = cluster.nanoClock.nanoTime();

        cluster.stepUntil(() -> cluster.node(leader).clusterAgent().ring() != null, 2_000);

        assertThat(cluster.nanoClock.nanoTime() - crashedAtNs).as("not before the grace period").isGreaterThan(graceNs);
        final Ring after = cluster.node(leader).clusterAgent().ring();
        assertThat(after.contains(gone)).isFalse();
        cluster.awaitRebalanced();
        final boolean[][] held = new boolean[5][];
        for (int id = 1; id <= 4; id++)
        {
            if (id != gone)
            {
                held[id] = cluster.held(id, ids);
            }
        }
        for (int i = 0; i < ids.size(); i++)
        {
            after.replicas(Ring.chunkPosition(ids.get(i)), replicas);
            for (final int replica : replicas)
            {
                assertThat(held[replica][i]).as("chunk %d on its replica %d", i, replica).isTrue();
            }
        }
    }

    @Test
    void shouldDropNothingFromAnyNodeInARangeWhoseOwnerIsDownAndDropOnceItAnswers() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final Ring ring = ringInForce(leader);
        final List<ChunkId> ids = putEverywhere(1, 2, 3, 4);
        final int down = leader == 4 ? 3 : 4;
        cluster.crash(down);

        cluster.repairRound();

        for (int id = 1; id <= 4; id++)
        {
            if (id != down)
            {
                assertThat(cluster.held(id, ids)).as("node %d: every range has an owner down, or is held by it", id)
                    .doesNotContain(false);
                assertThat(cluster.node(id).counters().get(NodeCounter.CHUNKS_DROPPED)).isZero();
            }
        }

        cluster.resume(down);
        cluster.repairRound();

        final int[] replicas = new int[3];
        for (int id = 1; id <= 4; id++)
        {
            final boolean[] held = cluster.held(id, ids);
            for (int i = 0; i < ids.size(); i++)
            {
                ring.replicas(Ring.chunkPosition(ids.get(i)), replicas);
                final boolean owns = replicas[0] == id || replicas[1] == id || replicas[2] == id;
                assertThat(held[i]).as("chunk %d on node %d iff it owns it", i, id).isEqualTo(owns);
            }
        }
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_CHUNKS_DROPPED)).isEqualTo(ids.size());
    }

    @Test
    void shouldCopyToTheNewOwnersAChunkWhoseOnlySoundCopyIsOnAnOldOwnerWhenAnOwnerQuarantinedIt() throws IOException
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3}, new int[] {1, 2, 3}, 0);
        final int leader = cluster.awaitLeader();
        final Ring next = ringInForce(leader).withNode(RingNode.of(4, MembershipCluster.address(4)));
        final int[] owners = new int[3];
        byte[] raw;
        int seed = 0;
        do
        {
            raw = random(seed++);
            next.replicas(Ring.chunkPosition(cluster.client.codec().hash(raw, raw.length)), owners);
        }
        while (!contains(owners, 4));
        final int oldOwner = IntStream.rangeClosed(1, 3).filter(id -> !contains(owners, id)).findFirst().orElseThrow();
        final int rotten = owners[0] == 4 ? owners[1] : owners[0];
        // As in seed 40303: the put reached two owners only, one of them (the old owner) loses the range to the new
        // node, and the other's copy rots, so the one sound copy is on a node that no longer owns it.
        final ChunkId id = cluster.put(raw, rotten, oldOwner);
        SegmentRot.rotFirstChunkKeepingCrcs(cluster.chunksDirectory(rotten));
        assertThat(verifiedReadStatus(rotten, id)).isEqualTo(Status.CORRUPT);
        cluster.start(4);

        final MembershipResponseDecoder committed = cluster.membership(leader, add(4));
        assertThat(committed.status()).as(committed.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.stepUntil(() -> version(1) == committed.ringVersion() && version(2) == committed.ringVersion() &&
            version(3) == committed.ringVersion() && version(4) == committed.ringVersion(), 2_000);
        final int[] committedOwners = new int[3];
        cluster.node(leader).clusterAgent().ring().replicas(Ring.chunkPosition(id), committedOwners);
        assertThat(committedOwners).containsExactlyInAnyOrder(owners);
        for (int round = 0; round < 4 && cluster.held(oldOwner, List.of(id))[0]; round++)
        {
            cluster.repairRound();
        }

        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_UNRECOVERABLE)).isZero();
        for (final int owner : owners)
        {
            assertThat(cluster.read(owner, id)).as("node %d, an owner", owner).isEqualTo(raw);
        }
        assertThat(cluster.held(oldOwner, List.of(id))[0]).as("dropped by the old owner once every owner holds it")
            .isFalse();
    }

    private Status verifiedReadStatus(final int node, final ChunkId id)
    {
        final long request = cluster.client.getChunk(node, id, false, true);
        cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        try
        {
            return cluster.client.getChunkResponse(request).status();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static boolean contains(final int[] ids, final int id)
    {
        return IntStream.of(ids).anyMatch(i -> i == id);
    }

    private Ring ringInForce(final int node)
    {
        return cluster.node(node).context().repairContext().ring();
    }

    private List<ChunkId> putEverywhere(final int... nodes)
    {
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++)
        {
            ids.add(cluster.put(random(i), nodes));
        }
        return ids;
    }

    private long version(final int node)
    {
        return cluster.node(node).clusterAgent().ringVersion();
    }

    private Ring ringOf(final int node) throws Exception
    {
        final long correlationId = cluster.client.send(node, MessageTypes.RING_REQUEST, 0);
        cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == correlationId),
            1_000);
        final UnsafeBuffer body = cluster.client.response(correlationId, MessageTypes.RING_RESPONSE).body();
        final RingResponseDecoder response = new RingResponseDecoder().wrap(body, 0, body.capacity());
        return response.ringLength() == 0 ? null :
            RingCodec.decode(response.buffer(), response.ringOffset(), response.ringLength());
    }

    private static MembershipRequestEncoder add(final int id)
    {
        return add(id, RingNode.STANDARD_WEIGHT, RingNode.DEFAULT_ZONE);
    }

    private static MembershipRequestEncoder add(final int id, final int weight, final String zone)
    {
        return new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[1024]), 0)
            .add(id, weight, zone, MembershipCluster.address(id));
    }

    private static MembershipRequestEncoder weight(final int id, final int weight)
    {
        return new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[1024]), 0).weight(id, weight);
    }


    private static byte[] random(final long seed)
    {
        final byte[] bytes = new byte[CHUNK_LENGTH];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
