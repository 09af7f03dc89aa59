package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.Ring;
import io.rfs.store.UnknownFileException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Manifest repair on a 5-node cluster of processes (N = 3): a node that was down while files were written, rewritten
 * and deleted gets the newest manifest of every name it owns from the leader's repair round, with no client read of
 * those names, and {@code rfs verify} then finds no manifest missing or stale. Rounds start only when asked
 * ({@code repair.interval=60m}); writes refuse sloppy quorums ({@code partition.mode=consistency}, the default), so no
 * hint can hand the manifests over instead. The repair bandwidth set before the node went down is still in force on it
 * after its restart, and {@code rfs cluster status} and {@code rfs repair --status} show it for every node.
 */
@Timeout(600)
class ClusterManifestRepairTest
{
    private static final int FILES = 12;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;

    @AfterEach
    void stopEverything() throws Exception
    {
        MultiProcessCluster.tearDown(cluster, List.of(), client);
    }

    @Test
    void shouldBringARestartedNodeTheNewestManifestOfEveryNameItOwnsAndKeepItsRepairBandwidth() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "repair.interval=60m");
        client = cluster.connect(context -> { });
        final Ring ring = client.ring();
        final int dead = 2;
        final List<String> old = new ArrayList<>();
        for (int i = 0; i < FILES; i++)
        {
            old.add("old/" + i);
        }
        old.add(MultiProcessCluster.nameOwnedBy(ring, dead, "old/rewritten-"));
        old.add(MultiProcessCluster.nameOwnedBy(ring, dead, "old/deleted-"));
        for (final String name : old)
        {
            MultiProcessCluster.put(client, name, TestData.random(1000, seed + name.hashCode()), ConsistencyLevel.ALL);
        }
        cluster.rfs("verify").expectExit(0);
        cluster.rfs("repair", "--bandwidth", "48M").expectExit(0);

        cluster.kill(dead);
        final List<String> owned = new ArrayList<>();
        for (int i = 0; i < FILES; i++)
        {
            final String name = "new/" + i;
            MultiProcessCluster.put(client, name, TestData.random(2000, seed + i), ConsistencyLevel.QUORUM);
            if (MultiProcessCluster.manifestOwners(ring, name).contains(dead))
            {
                owned.add(name);
            }
        }
        final String rewritten = old.get(FILES);
        final String deleted = old.get(FILES + 1);
        MultiProcessCluster.put(client, rewritten, TestData.random(3000, seed), ConsistencyLevel.QUORUM);
        for (int i = 0; i < FILES / 2; i++)
        {
            MultiProcessCluster.put(client, old.get(i), TestData.random(3000, seed + i), ConsistencyLevel.QUORUM);
        }
        client.delete(deleted, ConsistencyLevel.QUORUM);
        cluster.restartDownNodes();
        for (final JsonNode node : cluster.local().status().get("nodes"))
        {
            assertThat(node.get("repairBandwidth").asLong()).as("node %s", node.get("id")).isEqualTo(48L << 20);
        }
        assertThat(cluster.local().run("cluster", "status").expectExit(0).out())
            .contains("repair bandwidth 48.0 MiB/s");
        final JsonNode shown = JsonOutput.object(cluster.rfs("repair", "--status", "--json").expectExit(0));
        assertThat(shown.get("nodes").findValues("bandwidth")).extracting(JsonNode::asLong)
            .containsOnly(48L << 20).hasSize(MultiProcessCluster.NODES);

        final JsonNode before = JsonOutput.object(cluster.rfs("verify", "--json").expectExit(1));
        assertThat(before.get("manifestProblems").asLong()).as("seed %d", seed).isPositive();
        final String problems = before.get("problems").toString();
        assertThat(problems).as("seed %d", seed).contains(rewritten);
        for (final String name : owned)
        {
            assertThat(problems).as("seed %d", seed).contains(name);
        }

        final JsonNode repaired = JsonOutput.object(cluster.rfs("repair", "--wait", "--timeout", "100s", "--json")
            .expectExit(0));
        assertThat(repaired.get("healthy").asBoolean()).isTrue();

        final JsonNode after = JsonOutput.object(cluster.rfs("verify", "--json").expectExit(0));
        assertThat(after.get("manifestProblems").asLong()).as("seed %d: %s", seed, after.get("problems")).isZero();
        assertThat(after.get("files").asLong()).isEqualTo(old.size() - 1 + FILES);
        // verify does not look at deleted names: with the name's other owners down, node 2 alone answers for it
        for (final int owner : MultiProcessCluster.manifestOwners(ring, deleted))
        {
            if (owner != dead)
            {
                cluster.kill(owner);
            }
        }
        try (RfsClient alone = cluster.connect(context -> context.readConsistency(ConsistencyLevel.ONE)))
        {
            assertThatThrownBy(() -> alone.stat(deleted)).as("seed %d: node %d holds the delete", seed, dead)
                .isInstanceOf(UnknownFileException.class);
        }
        System.out.printf("manifest repair: node %d owned %d of %d new files, the rewritten and the deleted one; " +
            "verify found %d manifest issues before the round and none after; the delete reached it too%n", dead, owned.size(), FILES,
            before.get("manifestProblems").asLong());
    }
}
