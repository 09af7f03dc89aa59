package io.rfs.replication.node;

import io.rfs.replication.protocol.MembershipResponseDecoder;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.rfs.replication.node.ManifestRequestsTest.manifest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node taken out of the ring while it runs, on four real nodes stepped by hand ({@link MembershipCluster},
 * N = 3): the leader goes on reaching it, it learns its removal, and the surplus passes drop from it every chunk and
 * manifest its new owners hold, copying to them first what only it held.
 */
class RetiredNodeTest
{
    private static final int CHUNK_LENGTH = 4 * 1024;
    private static final int CHUNKS = 40;
    private static final int NAMES = 30;
    private static final int ROUNDS = 4;

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
    void shouldLeaveARunningRemovedNodeEmptyOnceItsDataIsOnItsNewOwners() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final int removed = leader == 4 ? 3 : 4;
        final List<ChunkId> ids = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < CHUNKS; i++)
        {
            contents.add(random(i));
            ids.add(cluster.put(contents.get(i), 1, 2, 3, 4));
        }
        contents.add(random(CHUNKS));
        ids.add(cluster.put(contents.get(CHUNKS), removed));
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < NAMES; i++)
        {
            names.add("file-" + i);
            cluster.putManifest(manifest("file-" + i, 10, 100, 1), 1, 2, 3, 4);
        }
        names.add("only-on-the-removed-node");
        cluster.putManifest(manifest("only-on-the-removed-node", 10, 100, removed), removed);

        final MembershipResponseDecoder removal = cluster.membership(leader, MembershipCluster.removal(removed));
        assertThat(removal.status()).as(removal.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        final long version = removal.ringVersion();
        cluster.stepUntil(() -> cluster.node(removed).clusterAgent().ringVersion() == version, 2_000);
        assertThat(cluster.node(removed).clusterAgent().leaderId()).as("the removed node follows the leader")
            .isEqualTo(leader);
        assertThat(cluster.node(leader).clusterAgent().reachableRetiredNodes()).containsExactly(removed);
        cluster.awaitRebalanced();
        for (int round = 0; round < ROUNDS && held(removed) > 0; round++)
        {
            cluster.repairRound();
        }

        assertThat(cluster.node(removed).store().chunks().size()).as("chunks left on the removed node").isZero();
        assertThat(cluster.node(removed).store().manifests().size()).as("manifests left on the removed node")
            .isZero();
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_CHUNKS_DROPPED))
            .as("every chunk it held, dropped from it alone").isEqualTo(ids.size());
        for (int node = 1; node <= 4; node++)
        {
            if (node == removed)
            {
                continue;
            }
            final boolean[] onNode = cluster.held(node, ids);
            for (int i = 0; i < ids.size(); i++)
            {
                assertThat(onNode[i]).as("chunk %d on node %d: every node left owns every chunk", i, node).isTrue();
                assertThat(cluster.read(node, ids.get(i))).as("chunk %d read verified from node %d", i, node)
                    .isEqualTo(contents.get(i));
            }
            for (final String name : names)
            {
                assertThat(cluster.getManifest(node, name).status()).as("%s on node %d", name, node)
                    .isEqualTo(Status.OK);
            }
        }
        assertThat(cluster.getManifest(otherThan(removed, leader), "only-on-the-removed-node")
            .manifest(new ManifestDecoder()).version()).isEqualTo(new Version(100, removed));
    }

    @Test
    void shouldAskNothingOfANodeRemovedWhileDown() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final int removed = leader == 4 ? 3 : 4;
        cluster.put(random(0), 1, 2, 3, 4);
        cluster.crash(removed);

        final MembershipResponseDecoder removal = cluster.membership(leader, MembershipCluster.removal(removed));
        assertThat(removal.status()).as(removal.text()).isEqualTo(MembershipResponseDescriptor.COMMITTED);
        cluster.awaitRebalanced();
        final long missed = cluster.node(leader).counters().get(NodeCounter.REPAIR_ANSWERS_MISSED);
        cluster.repairRound();

        assertThat(cluster.node(leader).clusterAgent().reachableRetiredNodes()).isEmpty();
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_ANSWERS_MISSED))
            .as("a round does not wait for a node out of the ring that is down").isEqualTo(missed);
        assertThat(cluster.node(removed).store().chunks().size()).as("untouched").isEqualTo(1);
    }

    private int held(final int node)
    {
        return cluster.node(node).store().chunks().size() + cluster.node(node).store().manifests().size();
    }

    private static int otherThan(final int a, final int b)
    {
        for (int node = 1; ; node++)
        {
            if (node != a && node != b)
            {
                return node;
            }
        }
    }

    private static byte[] random(final long seed)
    {
        final byte[] bytes = new byte[CHUNK_LENGTH];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
