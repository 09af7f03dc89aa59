package io.rfs.replication.node;

import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.rfs.replication.node.ManifestRequestsTest.manifest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leader's drop of manifests that nodes hold for names they do not own, on four real nodes stepped by hand
 * ({@link MembershipCluster}, N = 3): every name written to all four nodes is surplus on one of them.
 */
class ManifestDropTest
{
    private static final int NAMES = 40;
    private static final int MANIFEST_COMPACTION_THRESHOLD = 16 * 1024;

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
    void shouldDropANameFromItsNonOwnerOnlyOnceEveryOwnerHoldsItAsNew() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final Ring ring = cluster.node(leader).context().repairContext().ring();
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < NAMES; i++)
        {
            names.add("file-" + i);
            cluster.putManifest(manifest("file-" + i, 10, 100, 1), 1, 2, 3, 4);
        }
        cluster.putManifest(Manifest.tombstone("file-0", new Version(300, 2)), 1, 2, 3, 4);
        final int newerOn = nonOwner(ring, "file-1");
        cluster.putManifest(manifest("file-1", 20, 400, newerOn), newerOn);

        cluster.repairRound();

        assertThat(current(newerOn, "file-1")).as("the owners lacked this version: copied, not dropped")
            .isEqualTo(new Version(400, newerOn));
        for (final int owner : owners(ring, "file-1"))
        {
            assertThat(current(owner, "file-1")).isEqualTo(new Version(400, newerOn));
        }
        assertThat(held(nonOwner(ring, "file-0"), "file-0")).as("a tombstone every owner holds goes too").isFalse();
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_MANIFESTS_DROPPED)).isEqualTo(NAMES - 1);

        cluster.repairRound();

        for (int node = 1; node <= 4; node++)
        {
            for (final String name : names)
            {
                final boolean owns = owns(ring, name, node);
                assertThat(held(node, name)).as("%s on node %d iff it owns it", name, node).isEqualTo(owns);
            }
        }
        for (final int owner : owners(ring, "file-0"))
        {
            assertThat(tombstone(owner, "file-0")).isTrue();
        }
        long dropped = 0;
        for (int node = 1; node <= 4; node++)
        {
            dropped += cluster.node(node).counters().get(NodeCounter.MANIFESTS_DROPPED);
        }
        assertThat(dropped).isEqualTo(NAMES);
        assertThat(cluster.node(leader).counters().get(NodeCounter.REPAIR_MANIFESTS_DROPPED)).isEqualTo(NAMES);
    }

    @Test
    void shouldDropNothingInARangeWhoseOwnerIsDown() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0);
        final int leader = cluster.awaitLeader();
        final Ring ring = cluster.node(leader).context().repairContext().ring();
        for (int i = 0; i < NAMES; i++)
        {
            cluster.putManifest(manifest("file-" + i, 10, 100, 1), 1, 2, 3, 4);
        }
        final int down = leader == 4 ? 3 : 4;
        cluster.crash(down);

        cluster.repairRound();

        int ownerDown = 0;
        for (int i = 0; i < NAMES; i++)
        {
            final String name = "file-" + i;
            if (owns(ring, name, down))
            {
                assertThat(held(nonOwner(ring, name), name)).as("%s: an owner is down", name).isTrue();
                ownerDown++;
            }
        }
        assertThat(ownerDown).isPositive();
        long dropped = 0;
        for (int node = 1; node <= 4; node++)
        {
            dropped += node == down ? 0 : cluster.node(node).counters().get(NodeCounter.MANIFESTS_DROPPED);
        }
        assertThat(dropped).as("only names whose non-owner was the node down, and which it could not drop")
            .isZero();
    }

    @Test
    void shouldCompactTheManifestLogOfDroppedNamesAndKeepEveryCurrentVersionAcrossARestart() throws Exception
    {
        cluster = new MembershipCluster(directory, new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 4}, 0,
            context -> context.manifestCompactionGarbageThreshold(MANIFEST_COMPACTION_THRESHOLD));
        final int leader = cluster.awaitLeader();
        final Ring ring = cluster.node(leader).context().repairContext().ring();
        final List<Version> versions = new ArrayList<>();
        for (int i = 0; i < NAMES; i++)
        {
            // two versions, then a third or, for every fifth name, a delete: the tombstone must stay on its owners
            cluster.putManifest(bigManifest("file-" + i, 100), 1, 2, 3, 4);
            cluster.putManifest(bigManifest("file-" + i, 200), 1, 2, 3, 4);
            final Manifest last = i % 5 == 0 ? Manifest.tombstone("file-" + i, new Version(300, 1)) :
                bigManifest("file-" + i, 300);
            cluster.putManifest(last, 1, 2, 3, 4);
            versions.add(last.version());
        }
        final long[] usedBefore = new long[5];
        final long[] compactionsBefore = new long[5];
        for (int node = 1; node <= 4; node++)
        {
            usedBefore[node] = cluster.node(node).store().manifests().usedBytes();
            compactionsBefore[node] = cluster.node(node).counters().get(NodeCounter.MANIFEST_COMPACTIONS);
        }

        cluster.repairRound();
        cluster.repairRound();
        cluster.stepUntil(() ->
        {
            for (int node = 1; node <= 4; node++)
            {
                if (cluster.node(node).counters().get(NodeCounter.MANIFEST_COMPACTIONS) <= compactionsBefore[node] ||
                    cluster.node(node).compactor().isManifestCompactionRunning())
                {
                    return false;
                }
            }
            return true;
        }, 5_000);

        for (int node = 1; node <= 4; node++)
        {
            final long usedAfter = cluster.node(node).store().manifests().usedBytes();
            final long droppedNames = cluster.node(node).counters().get(NodeCounter.MANIFESTS_DROPPED);
            System.out.printf("node %d: manifest log %d bytes before the drops, %d after %d names dropped and %d " +
                "manifest compactions (%d bytes reclaimed in all)%n", node, usedBefore[node], usedAfter, droppedNames,
                cluster.node(node).counters().get(NodeCounter.MANIFEST_COMPACTIONS),
                cluster.node(node).counters().get(NodeCounter.MANIFEST_COMPACTION_BYTES_RECLAIMED));
            assertThat(droppedNames).as("node %d is a non-owner of some names", node).isPositive();
            assertThat(usedAfter).as("node %d: the dropped names' records reclaimed", node)
                .isLessThan(usedBefore[node]);
        }
        for (int node = 1; node <= 4; node++)
        {
            cluster.restart(node);
        }
        for (int node = 1; node <= 4; node++)
        {
            for (int i = 0; i < NAMES; i++)
            {
                final String name = "file-" + i;
                if (owns(ring, name, node))
                {
                    assertThat(current(node, name)).as("%s on owner %d", name, node).isEqualTo(versions.get(i));
                    assertThat(tombstone(node, name)).as("%s on owner %d", name, node).isEqualTo(i % 5 == 0);
                }
                else
                {
                    assertThat(held(node, name)).as("%s on non-owner %d", name, node).isFalse();
                }
            }
        }
    }

    /**
     * @return a manifest of 100 chunks (4 KiB in the log), so that the names' versions fill a good part of a segment.
     */
    private static Manifest bigManifest(final String name, final long timestamp)
    {
        final ChunkId[] ids = new ChunkId[100];
        final int[] lengths = new int[100];
        for (int c = 0; c < ids.length; c++)
        {
            final byte[] id = new byte[ChunkId.LENGTH];
            id[0] = (byte)c;
            ids[c] = ChunkId.of(id);
            lengths[c] = 1000;
        }
        return new Manifest(name, 100_000, new byte[32], ids, lengths, new Version(timestamp, 1), false);
    }

    private static int[] owners(final Ring ring, final String name)
    {
        final int[] replicas = new int[3];
        ring.replicas(Ring.manifestPosition(name), replicas);
        return replicas;
    }

    private static boolean owns(final Ring ring, final String name, final int node)
    {
        return Arrays.stream(owners(ring, name)).anyMatch(owner -> owner == node);
    }

    private static int nonOwner(final Ring ring, final String name)
    {
        for (int node = 1; node <= 4; node++)
        {
            if (!owns(ring, name, node))
            {
                return node;
            }
        }
        throw new AssertionError("four nodes, three owners");
    }

    private boolean held(final int node, final String name) throws Exception
    {
        return cluster.getManifest(node, name).status() == Status.OK;
    }

    private Version current(final int node, final String name) throws Exception
    {
        return cluster.getManifest(node, name).manifest(new ManifestDecoder()).version();
    }

    private boolean tombstone(final int node, final String name) throws Exception
    {
        return cluster.getManifest(node, name).manifest(new ManifestDecoder()).isTombstone();
    }
}
