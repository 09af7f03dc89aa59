package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs bench --store cluster} against a local multi-process cluster: requests over TCP, bounds that include
 * loopback TCP, and the failover workload killing a node process with SIGKILL and starting it again.
 */
@Timeout(300)
class BenchClusterTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void tearDown() throws Exception
    {
        if (cluster != null)
        {
            cluster.killAll();
        }
    }

    @Test
    void shouldBenchARunningClusterAndKillOneOfItsNodes() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.start("--nodes", "3").expectExit(0);
        final String pidBefore = cluster.status().path("nodes").path(2).path("pid").asText();

        final JsonNode json = JsonOutput.object(cluster.run("bench", "--store", "cluster", "--json", "-q",
            "-w", "large,small,failover", "--size", "2M", "--small-size", "4K", "--files", "8", "--clients", "2",
            "--duration", "1s").expectExit(0));

        assertThat(json.path("store").asText()).isEqualTo("cluster");
        assertThat(json.path("nodes").asInt()).isEqualTo(3);
        boolean sawLargePut = false;
        for (final JsonNode result : json.path("results"))
        {
            if (!result.path("phase").asText().equals("during"))
            {
                assertThat(result.path("operations").asLong()).as(result.toString()).isPositive();
            }
            if (result.path("operation").asText().equals("put 2MiB"))
            {
                sawLargePut = true;
                assertThat(result.path("bound").path("reason").asText()).as("all of a cluster's bounds")
                    .isNotEmpty();
            }
            if (result.path("operation").asText().equals("get 4KiB") && result.path("workload").asText()
                .equals("small"))
            {
                assertThat(result.path("bound").path("reason").asText()).isEqualTo("1 / TCP round trip p50");
            }
        }
        assertThat(sawLargePut).isTrue();
        assertThat(json.path("notes").toString()).contains("SIGKILL");
        assertThat(json.path("timelines").path(0).path("events").path(0).path("what").asText())
            .isEqualTo("node 3 stopped");

        final JsonNode after = cluster.status();
        assertThat(after.path("nodesUp").asInt()).as("the killed node was started again").isEqualTo(3);
        assertThat(after.path("nodes").path(2).path("pid").asText()).isNotEqualTo(pidBefore);
    }

    @Test
    void shouldMeasureTheClientsWhileAWipedNodeIsRepairedAtTheBandwidthInForceAndUnlimited() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.start("--nodes", "3").expectExit(0);

        final JsonNode json = JsonOutput.object(cluster.run("bench", "--store", "cluster", "--json", "-q",
            "--no-limits", "-w", "repair", "--repair-size", "3M", "--clients", "2", "--duration", "1s")
            .expectExit(0));

        final java.util.Set<String> phases = new java.util.HashSet<>();
        for (final JsonNode result : json.path("results"))
        {
            phases.add(result.path("phase").asText());
            if (result.path("phase").asText().equals("no repair"))
            {
                assertThat(result.path("operations").asLong()).as(result.toString()).isPositive();
            }
        }
        assertThat(phases).containsExactlyInAnyOrder("no repair", "repair 32MiB/s", "repair unlimited");
        assertThat(json.path("repairs")).hasSize(2);
        for (final JsonNode repair : json.path("repairs"))
        {
            assertThat(repair.path("healthy").asBoolean()).as(repair.toString()).isTrue();
            assertThat(repair.path("chunks").asLong()).as("node 3's chunks copied back: " + repair).isPositive();
        }
        assertThat(JsonOutput.object(cluster.run("repair", "--status", "--json").expectExit(0)).path("nodes")
            .findValuesAsText("bandwidth")).as("the bandwidth in force before is set again")
            .containsOnly(Long.toString(32L * 1024 * 1024));
    }

    @Test
    void shouldMeasureIssue5sSmallFileCaseAtEachLevelAgainstFsyncAndRoundTripMeasuredInTheSameRun() throws Exception
    {
        cluster = new LocalCluster(dir);
        cluster.start("--nodes", "3", "--rf", "3").expectExit(0);

        final JsonNode json = JsonOutput.object(cluster.run("bench", "--store", "cluster", "--json", "-q",
            "-w", "small", "--small-size", "4K", "--clients", "16", "--level", "ONE,QUORUM,ALL", "--ops", "64")
            .expectExit(0));

        assertThat(json.path("replicationFactor").asInt()).isEqualTo(3);
        assertThat(json.path("settings").path("clients").asText()).isEqualTo("16");
        final List<String> limitKeys = new ArrayList<>();
        json.path("limits").forEach(limit -> limitKeys.add(limit.path("key").asText()));
        assertThat(limitKeys).contains("fsync.p50", "tcp.rtt.p50");
        final List<String> rows = new ArrayList<>();
        for (final JsonNode result : json.path("results"))
        {
            final boolean put = result.path("direction").asText().equals("WRITE");
            rows.add(result.path("level").asText() + " " + result.path("operation").asText());
            assertThat(result.path("operations").asLong()).as(result.toString()).isEqualTo(64);
            assertThat(result.path("errors").asLong()).as(result.toString()).isZero();
            assertThat(result.path("latencyUs").path("p99").asDouble())
                .isGreaterThanOrEqualTo(result.path("latencyUs").path("p50").asDouble()).isPositive();
            assertThat(result.path("bound").path("reason").asText())
                .isEqualTo(put ? "1 / fsync p50" : "1 / TCP round trip p50");
            assertThat(result.path("bound").path("target").asDouble()).isEqualTo(put ? 0.5 : 0.15);
            assertThat(result.path("ratio").asDouble()).isPositive();
            assertThat(result.path("targetMet").isBoolean()).isTrue();
        }
        assertThat(rows).containsExactly("ONE put 4KiB", "ONE get 4KiB", "QUORUM put 4KiB", "QUORUM get 4KiB",
            "ALL put 4KiB", "ALL get 4KiB");
    }
}
