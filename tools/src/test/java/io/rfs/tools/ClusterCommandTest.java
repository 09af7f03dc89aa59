package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.protocol.Status;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs cluster start|stop|status} with the real jar: real node processes on loopback under a temporary
 * {@code RFS_HOME}.
 */
@Timeout(300)
class ClusterCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void killLeftovers() throws Exception
    {
        if (cluster != null)
        {
            cluster.killAll();
        }
    }

    @Test
    void shouldStartRestartOnlyTheKilledNodeAndStop() throws Exception
    {
        cluster = new LocalCluster(dir);
        final RfsCli.Result started = cluster.start("--nodes", "3", "--rf", "2").expectExit(0);
        assertThat(started.out()).contains("node 1 ", "node 2 ", "node 3 ").contains("started");

        final JsonNode up = cluster.status();
        assertThat(up.get("nodesUp").asInt()).isEqualTo(3);
        assertThat(up.get("replicationFactor").asInt()).isEqualTo(2);
        final Set<Long> pids = new HashSet<>();
        for (int id = 1; id <= 3; id++)
        {
            final JsonNode node = LocalCluster.node(up, id);
            assertThat(node.get("state").asText()).isEqualTo("up");
            assertThat(node.get("address").asText()).startsWith("127.0.0.1:");
            assertThat(node.get("dataDirectory").asText())
                .isEqualTo(cluster.directory().resolve("node-" + id).toString());
            assertThat(node.get("diskBytes").asLong()).isPositive();
            final long pid = node.get("pid").asLong();
            assertThat(ProcessHandle.of(pid)).as("node %d's process", id).isPresent();
            pids.add(pid);
        }
        assertThat(pids).hasSize(3);

        final JsonNode led = awaitLeader();
        final int leaderId = led.get("leaderId").asInt();
        for (int id = 1; id <= 3; id++)
        {
            final JsonNode node = LocalCluster.node(led, id);
            assertThat(node.get("http").asText()).startsWith("127.0.0.1:");
            assertThat(node.get("health").asText()).as("node %d: %s", id, node).isEqualTo("ok");
            assertThat(node.get("reasons")).isEmpty();
            assertThat(node.get("role").asText()).isEqualTo(id == leaderId ? "LEADER" : "FOLLOWER");
            assertThat(node.get("term").asLong()).isEqualTo(led.get("term").asLong());
        }
        final JsonNode seen = awaitLeaderSeeing(Set.of(1, 2, 3), "up");
        assertThat(seen.get("ringVersion").asLong()).as("no change committed: the configured ring").isEqualTo(1);
        final String fingerprint = seen.get("ringFingerprint").asText();
        assertThat(fingerprint).matches("[0-9a-f]{16}");
        for (int id = 1; id <= 3; id++)
        {
            final JsonNode node = LocalCluster.node(seen, id);
            assertThat(node.get("ringVersion").asLong()).as("node %d's ring", id).isEqualTo(1);
            assertThat(node.get("ringFingerprint").asText()).as("node %d's ring", id).isEqualTo(fingerprint);
        }
        final int seenLeader = seen.get("leaderId").asInt();
        assertThat(cluster.run("cluster", "status").expectExit(0).out())
            .contains("leader node " + seenLeader + " (term " + seen.get("term").asLong() + "), ring version 1, in ")
            .containsPattern("node " + seenLeader + " .* leader sees up  leader term [0-9]+ ring 1 ok ")
            .doesNotContain("leader's");

        final byte[] chunk = TestData.random(100_000, 3);
        final ChunkId chunkId = new ChunkCodec().hash(chunk, chunk.length);
        try (ClusterChunkClient client = new ClusterChunkClient(cluster.directory().resolve("client.properties")))
        {
            for (int id = 1; id <= 3; id++)
            {
                assertThat(client.putChunk(id, chunkId, chunk)).as("put to node %d", id).isEqualTo(Status.OK);
            }
        }
        final ProcessHandle node2 = ProcessHandle.of(LocalCluster.node(up, 2).get("pid").asLong()).orElseThrow();
        node2.destroyForcibly();
        node2.onExit().get(30, TimeUnit.SECONDS);

        final JsonNode oneDown = cluster.status();
        assertThat(LocalCluster.node(oneDown, 2).get("state").asText()).isEqualTo("down");
        assertThat(LocalCluster.node(oneDown, 2).get("pid").isNull()).isTrue();
        assertThat(LocalCluster.node(oneDown, 2).get("health").isNull()).as("nothing to ask").isTrue();
        assertThat(oneDown.get("nodesUp").asInt()).isEqualTo(2);
        cluster.run("cluster", "status").expectExit(1);
        final JsonNode detected = awaitLeaderSeeing(Set.of(2), "down");
        assertThat(LocalCluster.node(detected, 1).get("detectorState").asText()).isEqualTo("up");
        assertThat(LocalCluster.node(detected, 3).get("detectorState").asText()).isEqualTo("up");
        assertThat(cluster.run("cluster", "status").expectExit(1).out())
            .containsPattern("node 2 .* down  pid -  leader sees down  - ");

        cluster.run("cluster", "start", "--nodes", "4").expectExit(2);
        cluster.run("cluster", "start", "--rf", "3").expectExit(2);
        final RfsCli.Result restarted = cluster.run("cluster", "start", "--no-gateway").expectExit(0);
        assertThat(restarted.out()).containsPattern("node 2 .* started").containsPattern("node 1 .* already running");

        final JsonNode again = cluster.status();
        assertThat(again.get("nodesUp").asInt()).isEqualTo(3);
        assertThat(LocalCluster.node(again, 1).get("pid").asLong()).isEqualTo(LocalCluster.node(up, 1).get("pid").asLong());
        assertThat(LocalCluster.node(again, 3).get("pid").asLong()).isEqualTo(LocalCluster.node(up, 3).get("pid").asLong());
        assertThat(LocalCluster.node(again, 2).get("pid").asLong()).isNotEqualTo(node2.pid());
        assertThat(LocalCluster.node(again, 2).get("address").asText())
            .isEqualTo(LocalCluster.node(up, 2).get("address").asText());
        try (ClusterChunkClient client = new ClusterChunkClient(cluster.directory().resolve("client.properties")))
        {
            assertThat(client.getChunk(2, chunkId)).as("node 2 restarted on its data").isEqualTo(chunk);
            assertThat(client.getChunk(1, chunkId)).isEqualTo(chunk);
        }

        final RfsCli.Result stopped = cluster.run("cluster", "stop").expectExit(0);
        assertThat(stopped.out()).contains("stopped node 1", "stopped node 2", "stopped node 3");
        assertThat(stopped.stderr()).isEmpty();
        for (int id = 1; id <= 3; id++)
        {
            assertThat(ProcessHandle.of(LocalCluster.node(again, id).get("pid").asLong()).map(ProcessHandle::isAlive))
                .as("node %d after stop", id).isNotEqualTo(java.util.Optional.of(true));
            assertThat(Files.readString(cluster.directory().resolve("node-" + id + ".log")))
                .contains("READY node=" + id, "STOPPED node=" + id);
        }
        final JsonNode down = cluster.status();
        assertThat(down.get("nodesUp").asInt()).isZero();
        cluster.run("cluster", "stop").expectExit(0);
    }

    @Test
    void shouldWriteOwnerOnlySecretsAndTheClientSettings() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.start("--nodes", "2", "--rf", "2", "--set", "node.zone=rack-a").expectExit(0);
        final Path directory = cluster.directory();
        for (final String name : new String[] {"cluster.secret", "client.secret", "client.properties",
            "cluster.properties", "node-1.properties", "node-2.properties"})
        {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))))
                .as(name).isEqualTo("rw-------");
        }
        final String clusterSecret = Files.readString(directory.resolve("cluster.secret")).trim();
        final String clientSecret = Files.readString(directory.resolve("client.secret")).trim();
        assertThat(clusterSecret).hasSize(32).isNotEqualTo(clientSecret);
        assertThat(clientSecret).hasSize(32);

        final Properties client = load(directory.resolve("client.properties"));
        final JsonNode status = cluster.status();
        assertThat(client.stringPropertyNames())
            .containsExactlyInAnyOrder("cluster.seeds", "replication.factor", "transport", "client.secret",
                "cluster.zones");
        assertThat(client.getProperty("cluster.seeds")).isEqualTo(
            "1=" + LocalCluster.node(status, 1).get("address").asText() + ",2=" +
            LocalCluster.node(status, 2).get("address").asText());
        assertThat(client.getProperty("replication.factor")).isEqualTo("2");
        assertThat(client.getProperty("transport")).isEqualTo("tcp");
        assertThat(client.getProperty("client.secret")).isEqualTo(clientSecret);
        assertThat(client.getProperty("cluster.zones")).isEqualTo("1=rack-a,2=rack-a");
        assertThat(load(directory.resolve("node-1.properties")).getProperty("cluster.secret"))
            .isEqualTo(clusterSecret);

        assertThat(cluster.start("--set", "node.zone=rack-b").expectExit(2).stderr())
            .as("running nodes cannot take new settings").contains("run rfs cluster stop first");
        cluster.run("cluster", "stop").expectExit(0);
        cluster.start().expectExit(0);
        assertThat(Files.readString(directory.resolve("cluster.secret")).trim()).as("kept").isEqualTo(clusterSecret);
        assertThat(load(directory.resolve("client.properties"))).isEqualTo(client);
        cluster.run("cluster", "stop").expectExit(0);
    }

    @Test
    void shouldFailWithTheNodesErrorWhenANodeCannotStart() throws Exception
    {
        cluster = new LocalCluster(dir);
        // Valid on its own, but a node refuses it: an eighth of the ring must take the transport's largest message.
        final RfsCli.Result failed = cluster.start("--nodes", "2", "--timeout", "120",
            "--set", "storage.queue.capacity=2M").expectExit(2);
        assertThat(failed.stderr())
            .contains("node 1 exited with status 2 before it was ready")
            .contains("node 2 exited with status 2 before it was ready")
            .contains("storage.queue.capacity=2097152: an eighth of it must take the transport's largest message")
            .contains(cluster.directory().resolve("node-1.log").toString());
        assertThat(cluster.directory().resolve("node-1.pid")).doesNotExist();
        cluster.run("cluster", "status").expectExit(1);

        // Every node is down, so a start may change a setting.
        cluster.start("--set", "storage.queue.capacity=64M").expectExit(0);
        assertThat(cluster.status().get("nodesUp").asInt()).isEqualTo(2);
        cluster.run("cluster", "stop").expectExit(0);
    }

    @Test
    void shouldRefuseBadOptionsAsUsageErrors() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.run("cluster", "status").expectExit(2);
        assertThat(cluster.run("cluster", "stop").expectExit(2).stderr()).contains("no cluster in");
        assertThat(cluster.start("--set", "node.weight=heavy").expectExit(2).stderr())
            .contains("node.weight=heavy: must be a whole number");
        assertThat(cluster.start("--set", "no.such.key=1").expectExit(2).stderr())
            .contains("no.such.key: not a node setting");
        assertThat(cluster.start("--set", "node.id=7").expectExit(2).stderr()).contains("sets it itself");
        assertThat(cluster.start("--nodes", "2", "--rf", "3").expectExit(2).stderr()).contains("--rf must be");
        assertThat(cluster.directory().resolve("cluster.properties")).as("nothing written").doesNotExist();
    }

    @Test
    void shouldKillANodeThatIgnoresSigtermWithAWarning() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.start("--nodes", "1").expectExit(0);
        cluster.run("cluster", "stop").expectExit(0);
        // A stand-in for a hung node: ignores SIGTERM, and its command line names node 1's properties file.
        final Path config = cluster.directory().resolve("node-1.properties");
        final Process hung = new ProcessBuilder("bash", "-c", "trap '' TERM; echo trapped; while :; do sleep 1; done",
            config.toString()).redirectErrorStream(true).start();
        try
        {
            assertThat(hung.inputReader().readLine()).isEqualTo("trapped");
            Files.writeString(cluster.directory().resolve("node-1.pid"), hung.pid() + "\n");
            assertThat(cluster.status().get("nodesUp").asInt()).as("taken for the node").isEqualTo(1);

            final RfsCli.Result stopped = cluster.run("cluster", "stop").expectExit(0);
            assertThat(stopped.stderr()).contains("warning: node 1 (pid " + hung.pid() + ") did not stop within 12 s " +
                "of SIGTERM; killed it (SIGKILL)");
            assertThat(hung.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cluster.directory().resolve("node-1.pid")).doesNotExist();
        }
        finally
        {
            hung.destroyForcibly();
        }
    }

    private static Properties load(final Path file) throws Exception
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        return properties;
    }

    /**
     * @return the first status in which the leader's failure detector holds every one of {@code nodes} in
     * {@code state}; fails after a minute.
     */
    private JsonNode awaitLeaderSeeing(final Set<Integer> nodes, final String state) throws Exception
    {
        return Await.await(() ->
        {
            final JsonNode status = cluster.status();
            for (final int id : nodes)
            {
                if (!state.equals(LocalCluster.node(status, id).path("detectorState").asText()))
                {
                    return null;
                }
            }
            return status;
        }, Duration.ofSeconds(60), "the leader's failure detector to hold nodes " + nodes + " " + state);
    }

    /**
     * @return the first status in which the nodes name a leader; fails after a minute.
     */
    private JsonNode awaitLeader() throws Exception
    {
        return Await.await(() ->
        {
            final JsonNode status = cluster.status();
            return status.get("leaderId").isNull() ? null : status;
        }, Duration.ofSeconds(60), "the nodes to name a leader");
    }
}
