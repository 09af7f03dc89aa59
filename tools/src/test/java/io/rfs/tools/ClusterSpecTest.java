package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterSpecTest
{
    @TempDir
    Path dir;

    private static ClusterSpec spec(final Map<String, String> settings)
    {
        return new ClusterSpec(3, 2, "64m",
            new TreeMap<>(Map.of(1, "127.0.0.1:7401", 2, "127.0.0.1:7402", 3, "127.0.0.1:7403")),
            new TreeMap<>(Map.of(1, "127.0.0.1:9401", 2, "127.0.0.1:9402", 3, "127.0.0.1:9403")),
            new TreeMap<>(settings));
    }

    @Test
    void shouldReadBackWhatItWrites() throws Exception
    {
        final ClusterSpec spec = spec(Map.of("node.zone", "rack-a", "transport.shm.directory", "C:\\odd\\path"));
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, spec.toProperties(), StandardCharsets.UTF_8);

        assertThat(ClusterSpec.load(file)).isEqualTo(spec);
        assertThat(spec.nodeSettings(2, dir, "c".repeat(32), "s".repeat(32)))
            .containsEntry("http.address", "127.0.0.1:9402");
    }

    @Test
    void shouldRecordAnAddedNodeAsALearnerWithItsZoneAndGiveNodesAndClientsTheSameZones() throws Exception
    {
        final ClusterSpec added = spec(Map.of()).withNode("127.0.0.1:7404", "127.0.0.1:9404", "rack-b", 200);
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, added.toProperties(), StandardCharsets.UTF_8);

        assertThat(ClusterSpec.load(file)).isEqualTo(added);
        assertThat(added.nodes()).isEqualTo(4);
        assertThat(added.voters()).containsExactly(1, 2, 3);
        final Map<String, String> node4 = added.nodeSettings(4, dir, "c".repeat(32), "s".repeat(32));
        assertThat(node4).containsEntry("cluster.voters", "1,2,3").containsEntry("node.zone", "rack-b")
            .containsEntry("node.weight", "200")
            .containsEntry("cluster.zones", "1=default,2=default,3=default,4=rack-b")
            .containsEntry("cluster.weights", "1=100,2=100,3=100,4=200");
        final Properties client = new Properties();
        client.load(new StringReader(added.clientProperties("s".repeat(32))));
        assertThat(client.getProperty("cluster.zones")).isEqualTo(node4.get("cluster.zones"));
        assertThat(added.nodeSettings(1, dir, "c".repeat(32), "s".repeat(32))).doesNotContainKey("node.zone");
    }

    @Test
    void shouldLeaveARemovedNodeOutOfSeedsVotersAndMembersButKeepItsIdOnRecord() throws Exception
    {
        final ClusterSpec removed = spec(Map.of("node.weight", "200"))
            .withNode("127.0.0.1:7404", "127.0.0.1:9404", null, null).withRemoved(2);
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, removed.toProperties(), StandardCharsets.UTF_8);

        assertThat(ClusterSpec.load(file)).isEqualTo(removed);
        assertThat(removed.toProperties()).contains("\nremoved=2\n");
        assertThat(removed.members()).containsExactly(1, 3, 4);
        assertThat(removed.isMember(2)).isFalse();
        assertThat(removed.voters()).containsExactly(1, 3);
        assertThat(removed.nodes()).as("the next added node gets a new id").isEqualTo(4);
        final Map<String, String> node1 = removed.nodeSettings(1, dir, "c".repeat(32), "s".repeat(32));
        assertThat(node1).containsEntry("cluster.seeds", "1=127.0.0.1:7401,3=127.0.0.1:7403,4=127.0.0.1:7404")
            .containsEntry("cluster.voters", "1,3")
            .containsEntry("cluster.weights", "1=200,3=200,4=200");
        assertThat(removed.clientProperties("s".repeat(32)))
            .contains("\ncluster.seeds=1=127.0.0.1:7401,3=127.0.0.1:7403,4=127.0.0.1:7404\n");
    }

    @Test
    void shouldReadAClusterRecordedBeforeNodesServedHttpAsOneWithoutHttp() throws Exception
    {
        final Path file = dir.resolve("cluster.properties");
        Files.writeString(file, spec(Map.of()).toProperties().replaceAll("(?m)^node\\.http\\.address\\.3=.*\n", ""),
            StandardCharsets.UTF_8);

        final ClusterSpec old = ClusterSpec.load(file);
        assertThat(old.httpAddresses()).isEmpty();
        assertThat(old.nodeSettings(1, dir, "c".repeat(32), "s".repeat(32))).doesNotContainKey("http.address");
    }

    @Test
    void shouldWriteClientSettingsPlainWithZonesAndWeightsOnlyWhenSet() throws Exception
    {
        final String plain = spec(Map.of()).clientProperties("s".repeat(32));
        assertThat(plain).contains("\ncluster.seeds=1=127.0.0.1:7401,2=127.0.0.1:7402,3=127.0.0.1:7403\n")
            .contains("\nreplication.factor=2\n", "\ntransport=tcp\n")
            .doesNotContain("cluster.zones", "cluster.weights");

        final Properties weighted = new Properties();
        weighted.load(new StringReader(
            spec(Map.of("node.weight", "200", "node.zone", "z1")).clientProperties("s".repeat(32))));
        assertThat(weighted.getProperty("cluster.weights")).isEqualTo("1=200,2=200,3=200");
        assertThat(weighted.getProperty("cluster.zones")).isEqualTo("1=z1,2=z1,3=z1");
        assertThat(plain).doesNotContain("partition.mode", "write.consistency", "read.consistency");
    }

    @Test
    void shouldPassTheCoordinatorSettingsToTheClients() throws Exception
    {
        final Properties client = new Properties();
        client.load(new StringReader(spec(Map.of("partition.mode", "availability", "write.consistency", "all",
            "read.consistency", "one", "handoff.max.hints", "10")).clientProperties("s".repeat(32))));

        assertThat(client.getProperty("partition.mode")).isEqualTo("availability");
        assertThat(client.getProperty("write.consistency")).isEqualTo("all");
        assertThat(client.getProperty("read.consistency")).isEqualTo("one");
        assertThat(client.stringPropertyNames()).as("node-only settings stay with the nodes")
            .doesNotContain("handoff.max.hints");
    }

    @Test
    void shouldDocumentEveryClientKeyInClusterMd() throws Exception
    {
        final String text = Files.readString(Path.of("..", "docs", "CLUSTER.md"), StandardCharsets.UTF_8);
        final String section = text.substring(text.indexOf("## `client.properties`"), text.indexOf("## Processes"));
        final Set<String> documented = new LinkedHashSet<>();
        final Matcher row = Pattern.compile("(?m)^\\| `([a-z.]+)` \\|").matcher(section);
        while (row.find())
        {
            documented.add(row.group(1));
        }
        final Properties written = new Properties();
        written.load(new StringReader(spec(Map.of("node.weight", "200", "node.zone", "z1",
            "partition.mode", "availability", "write.consistency", "all", "read.consistency", "one"))
            .clientProperties("s".repeat(32))));

        assertThat(documented).containsExactlyInAnyOrderElementsOf(written.stringPropertyNames());
    }
}
