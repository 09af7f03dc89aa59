package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.ring.Ring;
import io.rfs.store.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientPropertiesTest
{
    private static final Map<String, String> BASE = Map.of(
        "cluster.seeds", "1=127.0.0.1:7401,2=127.0.0.1:7402,3=127.0.0.1:7403",
        "client.secret", "client-secret-0123456789");

    @Test
    void shouldParseEveryKeyAndBuildTheSameRingEveryTime()
    {
        final Map<String, String> values = new HashMap<>(BASE);
        values.putAll(Map.of("replication.factor", "2", "transport", "shm", "cluster.zones", "1=a,2=b,3=a",
            "cluster.weights", "3=200", "write.consistency", "all", "read.consistency", "one", "client.id", "77",
            "partition.mode", "Availability", "read.balancer", "key-hash"));

        final ClientProperties.Settings settings = ClientProperties.parse(values);
        final Ring ring = settings.ring();

        assertThat(settings.seeds()).containsOnlyKeys(1, 2, 3);
        assertThat(settings.transport()).isEqualTo(TransportKind.SHM);
        assertThat(settings.writeConsistency()).isEqualTo(ConsistencyLevel.ALL);
        assertThat(settings.readConsistency()).isEqualTo(ConsistencyLevel.ONE);
        assertThat(settings.clientId()).isEqualTo(77);
        assertThat(settings.partitionMode()).isEqualTo(PartitionMode.AVAILABILITY);
        assertThat(settings.balancer()).isEqualTo(BalancerKind.KEY_HASH);
        assertThat(ring.replicationFactor()).isEqualTo(2);
        assertThat(ring.node(3).weight()).isEqualTo(200);
        assertThat(ring.node(2).zone()).isEqualTo("b");
        assertThat(ring).isEqualTo(ClientProperties.parse(values).ring());
    }

    @Test
    void shouldTakeDefaultsForWhatIsNotSet()
    {
        final ClientProperties.Settings settings = ClientProperties.parse(BASE);

        assertThat(settings.transport()).isEqualTo(TransportKind.TCP);
        assertThat(settings.replicationFactor()).isEqualTo(3);
        assertThat(settings.writeConsistency()).isEqualTo(ClientContext.WRITE_CONSISTENCY_DEFAULT);
        assertThat(settings.partitionMode()).isEqualTo(PartitionMode.CONSISTENCY)
            .isEqualTo(ClientContext.PARTITION_MODE_DEFAULT).isEqualTo(NodeContext.PARTITION_MODE_DEFAULT);
        assertThat(settings.balancer()).isEqualTo(BalancerKind.LEAST_OUTSTANDING);
        assertThat(settings.clientId()).isGreaterThanOrEqualTo(ClientProperties.CLIENT_ID_DEFAULT_BASE);
        assertThat(settings.ring().nodeCount()).isEqualTo(3);
    }

    @Test
    void shouldNameTheSettingThatIsWrong()
    {
        assertRefused(Map.of("cluster.secret", "x"), "setting=cluster.secret: unknown");
        assertRefused(Map.of("client.secret", "short"), "client.secret.length=5: must be at least 16 bytes");
        assertRefused(Map.of("cluster.seeds", ""), "cluster.seeds=: is required");
        assertRefused(Map.of("cluster.weights", "9=100"), "cluster.weights=9: names a node that is not in");
        assertRefused(Map.of("cluster.weights", "1=heavy"), "cluster.weights=heavy: must be a whole number");
        assertRefused(Map.of("client.id", "2"), "client.id=2: is the id of a node");
        assertRefused(Map.of("write.consistency", "most"), "write.consistency=most: must be one|quorum|all");
        assertRefused(Map.of("transport", "udp"), "transport=udp: must be tcp|shm");
        assertRefused(Map.of("partition.mode", "sloppy"), "partition.mode=sloppy: must be");
        assertRefused(Map.of("read.balancer", "random"), "read.balancer=random: must be one of least_outstanding,");
        assertThatThrownBy(() -> ClientProperties.parse(with(Map.of("replication.factor", "16"))).ring())
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("replication.factor=16");
    }

    @Test
    void shouldRefuseTcpWithoutAClientSecret()
    {
        assertThatThrownBy(() -> ClientProperties.parse(Map.of("cluster.seeds", "1=h:1")))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("client.secret=(not set): is required with transport=tcp");
    }

    @Test
    void shouldDocumentEveryKeyInTheClientSectionOfConfigurationMd() throws IOException
    {
        final String text = Files.readString(Path.of("..", "docs", "CONFIGURATION.md"), StandardCharsets.UTF_8);
        final int section = text.indexOf("\n# Client configuration");
        assertThat(section).isPositive();
        final Set<String> documented = new LinkedHashSet<>();
        final Matcher row = Pattern.compile("(?m)^\\| `([a-z.]+)` \\|").matcher(text.substring(section));
        while (row.find())
        {
            documented.add(row.group(1));
        }

        assertThat(documented).containsExactlyElementsOf(ClientProperties.keys());
    }

    private static Map<String, String> with(final Map<String, String> change)
    {
        final Map<String, String> values = new HashMap<>(BASE);
        values.putAll(change);
        return values;
    }

    private static void assertRefused(final Map<String, String> change, final String messageStart)
    {
        assertThatThrownBy(() -> ClientProperties.parse(with(change)))
            .as("%s", change)
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith(messageStart);
    }

    @Test
    void shouldDrawAConnectionIdThatIsNoNodesIdEvenWhenTheRandomSourceFirstOffersOne()
    {
        final int nodeId = ClientProperties.CLIENT_ID_DEFAULT_BASE + 7;
        final int[] offered = {nodeId, nodeId, ClientProperties.CLIENT_ID_DEFAULT_BASE + 8};
        final int[] next = {0};
        final RandomGenerator scripted = new RandomGenerator()
        {
            public long nextLong()
            {
                throw new UnsupportedOperationException();
            }

            public int nextInt(final int origin, final int bound)
            {
                assertThat(origin).isEqualTo(ClientProperties.CLIENT_ID_DEFAULT_BASE);
                assertThat(bound).isEqualTo(Integer.MAX_VALUE);
                return offered[next[0]++];
            }
        };

        assertThat(ClientProperties.connectionId(Map.of(1, "a:1", nodeId, "b:1"), scripted))
            .isEqualTo(ClientProperties.CLIENT_ID_DEFAULT_BASE + 8);
    }
}
