package io.rfs.replication.node;

import io.rfs.replication.protocol.DropManifestsRequestEncoder;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.GetManifestResponseDecoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.repair.ManifestDigests;
import io.rfs.store.manifest.Manifest;
import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.Version;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static io.rfs.replication.node.ManifestRequestsTest.manifest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manifest repair on three real nodes stepped by hand on one simulated clock ({@link RepairCluster}, N = 3): the
 * manifest digests of the replicas are compared with each repair round and the newest version of each name,
 * tombstones included, is written to the owners behind.
 */
class ManifestRepairTest
{
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
    void shouldBringTheNewestVersionOfEveryNameToTheOwnersBehind() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        for (int i = 0; i < 30; i++)
        {
            put(manifest("file-" + i, 10, 100, 1), 1, 2, 3);
        }
        put(manifest("new-only-on-1", 10, 200, 1), 1);
        put(manifest("file-3", 20, 300, 2), 2);
        put(Manifest.tombstone("file-4", new Version(400, 1)), 1, 3);
        put(manifest("file-5", 30, 500, 3), 3);
        assertThat(digestsAgree()).isFalse();

        cluster.repairRound();
        cluster.stepUntil(() -> !cluster.node(leader).manifestRepair().isPassInProgress(), 100_000);

        for (int node = 1; node <= RepairCluster.NODES; node++)
        {
            assertThat(current(node, "new-only-on-1")).isEqualTo(new Version(200, 1));
            assertThat(current(node, "file-3")).isEqualTo(new Version(300, 2));
            assertThat(current(node, "file-4")).isEqualTo(new Version(400, 1));
            assertThat(current(node, "file-5")).isEqualTo(new Version(500, 3));
            assertThat(current(node, "file-6")).isEqualTo(new Version(100, 1));
        }
        assertThat(isTombstone(2, "file-4")).isTrue();
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_MANIFESTS_COPIED)).isEqualTo(2 + 2 + 1 + 2);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_MANIFEST_COPY_FAILURES)).isZero();
        assertThat(digestsAgree()).isTrue();

        final long different = cluster.counter(leader, NodeCounter.REPAIR_MANIFEST_RANGES_DIFFERENT);
        cluster.repairRound();
        cluster.stepUntil(() -> !cluster.node(leader).manifestRepair().isPassInProgress(), 100_000);
        assertThat(cluster.counter(leader, NodeCounter.REPAIR_MANIFEST_RANGES_DIFFERENT)).as("in sync")
            .isEqualTo(different);
    }

    @Test
    void shouldRefuseAManifestDropOrderOfAnotherTermOrFromANodeThatIsNotTheLeader() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        final int leader = cluster.awaitLeader();
        put(manifest("a", 10, 100, 1), 1, 2, 3);
        final long term = cluster.node(3).clusterAgent().term();

        final long stale = dropOrder(term - 1);
        final long notLeader = dropOrder(term);
        final long newer = dropOrder(term + 1);
        cluster.stepUntil(() -> answered(stale, notLeader, newer), 100);

        for (final long order : new long[] {stale, notLeader, newer})
        {
            assertThat(cluster.outsider.error(order).code()).isEqualTo(ErrorCode.NOT_LEADER);
        }
        assertThat(cluster.counter(3, NodeCounter.DROP_ORDERS_REFUSED)).isEqualTo(3);
        assertThat(cluster.counter(3, NodeCounter.MANIFESTS_DROPPED)).isZero();
        assertThat(current(3, "a")).isEqualTo(new Version(100, 1));
        assertThat(leader).isNotEqualTo(RepairCluster.OUTSIDER);
    }

    private long dropOrder(final long term)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[256]);
        final DropManifestsRequestEncoder order = new DropManifestsRequestEncoder().wrap(body, 0).term(term)
            .addEntry("a".getBytes(StandardCharsets.UTF_8), new Version(100, 1));
        return cluster.outsider.send(3, MessageTypes.DROP_MANIFESTS_REQUEST, body, order.encodedLength());
    }

    private boolean answered(final long... requests)
    {
        return java.util.Arrays.stream(requests).allMatch(
            r -> cluster.outsider.responses.stream().anyMatch(response -> response.correlationId() == r));
    }

    @Test
    void shouldKeepDigestsEqualToOnesRebuiltFromTheStore() throws Exception
    {
        cluster = new RepairCluster(directory, UnaryOperator.identity());
        cluster.awaitLeader();
        put(manifest("a", 1, 10, 1), 1);
        put(manifest("a", 2, 20, 1), 1);
        put(manifest("a", 3, 15, 1), 1);
        put(Manifest.tombstone("b", new Version(30, 1)), 1);
        final ManifestDigests kept = cluster.node(1).manifestDigests();
        final long[] before = snapshot(kept);

        kept.rebuild(kept.ring(), cluster.node(1).store().manifests());

        assertThat(snapshot(kept)).isEqualTo(before);
        long names = 0;
        for (int range = 0; range < kept.rangeCount(); range++)
        {
            names += kept.count(range);
        }
        assertThat(names).isEqualTo(2);
    }

    private static long[] snapshot(final ManifestDigests digests)
    {
        final long[] values = new long[digests.rangeCount() * 3];
        for (int range = 0; range < digests.rangeCount(); range++)
        {
            values[range * 3] = digests.lane0(range);
            values[range * 3 + 1] = digests.lane1(range);
            values[range * 3 + 2] = digests.count(range);
        }
        return values;
    }

    private boolean digestsAgree()
    {
        return java.util.Arrays.equals(snapshot(cluster.node(1).manifestDigests()),
            snapshot(cluster.node(2).manifestDigests())) &&
            java.util.Arrays.equals(snapshot(cluster.node(1).manifestDigests()),
                snapshot(cluster.node(3).manifestDigests()));
    }

    private void put(final Manifest manifest, final int... nodes)
    {
        final long[] requests = new long[nodes.length];
        for (int i = 0; i < nodes.length; i++)
        {
            requests[i] = cluster.client.putManifest(nodes[i], manifest);
        }
        cluster.stepUntil(() -> java.util.Arrays.stream(requests).allMatch(
            r -> cluster.client.responses.stream().anyMatch(response -> response.correlationId() == r)), 1_000);
    }

    private Version current(final int node, final String name) throws Exception
    {
        final GetManifestResponseDecoder response = get(node, name);
        assertThat(response.status()).as("%s on node %d", name, node).isEqualTo(Status.OK);
        return response.manifest(new ManifestDecoder()).version();
    }

    private boolean isTombstone(final int node, final String name) throws Exception
    {
        final GetManifestResponseDecoder response = get(node, name);
        return response.manifest(new ManifestDecoder()).isTombstone();
    }

    private GetManifestResponseDecoder get(final int node, final String name) throws MalformedMessageException
    {
        final long request = cluster.client.getManifest(node, name);
        cluster.stepUntil(() -> cluster.client.responses.stream().anyMatch(r -> r.correlationId() == request), 1_000);
        return cluster.client.getManifestResponse(request);
    }
}
