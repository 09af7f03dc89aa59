package io.rfs.replication.node;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodePropertiesTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReadEverySettingAndLetOverridesWin() throws IOException
    {
        final Path file = write(
            "# a node",
            "node.id=3",
            "node.address=10.0.0.3:7403",
            "node.zone=rack-2",
            "node.weight=200",
            "data.directory=" + directory.resolve("data"),
            "cluster.secret=0123456789abcdef0123",
            "cluster.seeds=1=10.0.0.1:7401, 2=10.0.0.2:7402,3=10.0.0.3:7403",
            "transport=SHM",
            "transport.shm.directory=" + directory.resolve("inboxes"),
            "transport.shm.inbox.capacity=1M",
            "replication.factor=5",
            "write.consistency=all",
            "read.consistency=one",
            "storage.queue.capacity=8M",
            "storage.results.capacity=2M",
            "storage.batch.limit=64",
            "storage.chunk.read.delay=2ms",
            "storage.chunk.segment.capacity=32M",
            "storage.manifest.segment.capacity=4M",
            "list.max.entries=100",
            "threading=shared",
            "network.poll.limit=16",
            "network.response.timeout=250ms",
            "shutdown.timeout=2s");

        final NodeContext context = NodeProperties.load(file, Map.of("node.weight", "300"));

        assertThat(context.nodeId()).isEqualTo(3);
        assertThat(context.address()).isEqualTo("10.0.0.3:7403");
        assertThat(context.zone()).isEqualTo("rack-2");
        assertThat(context.weight()).as("the override wins").isEqualTo(300);
        assertThat(context.dataDirectory()).isEqualTo(directory.resolve("data"));
        assertThat(new String(context.clusterSecret(), StandardCharsets.UTF_8)).isEqualTo("0123456789abcdef0123");
        assertThat(context.seeds()).containsOnlyKeys(1, 2, 3).containsEntry(2, "10.0.0.2:7402");
        assertThat(context.transport()).isEqualTo(TransportKind.SHM);
        assertThat(context.shmDirectory()).isEqualTo(directory.resolve("inboxes"));
        assertThat(context.shmInboxCapacity()).isEqualTo(1024 * 1024);
        assertThat(context.replicationFactor()).isEqualTo(5);
        assertThat(context.writeConsistency()).isEqualTo(ConsistencyLevel.ALL);
        assertThat(context.readConsistency()).isEqualTo(ConsistencyLevel.ONE);
        assertThat(context.storageQueueCapacity()).isEqualTo(8 * 1024 * 1024);
        assertThat(context.storageResultsCapacity()).isEqualTo(2 * 1024 * 1024);
        assertThat(context.storageChunkReadDelayNs()).isEqualTo(2_000_000L);
        assertThat(context.storageBatchLimit()).isEqualTo(64);
        assertThat(context.chunkSegmentCapacity()).isEqualTo(32 * 1024 * 1024);
        assertThat(context.manifestSegmentCapacity()).isEqualTo(4 * 1024 * 1024);
        assertThat(context.listMaxEntries()).isEqualTo(100);
        assertThat(context.threading()).isEqualTo(ThreadingMode.SHARED);
        assertThat(context.pollLimit()).isEqualTo(16);
        assertThat(context.responseTimeoutNs()).isEqualTo(250_000_000L);
        assertThat(context.shutdownTimeoutNs()).isEqualTo(2_000_000_000L);
        assertThat(context.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void shouldFillInDocumentedDefaults() throws IOException
    {
        final NodeContext context = NodeProperties.load(write("node.id=0", "node.address=localhost:7400",
            "data.directory=" + directory.resolve("n0"), "cluster.secret=0123456789abcdef"), Map.of());

        assertThat(context.zone()).isEqualTo(NodeContext.NODE_ZONE_DEFAULT);
        assertThat(context.weight()).isEqualTo(NodeContext.NODE_WEIGHT_DEFAULT);
        assertThat(context.transport()).isEqualTo(TransportKind.TCP);
        assertThat(context.clientSecret()).isNull();
        assertThat(context.shmDirectory()).isEqualTo(directory.resolve("inboxes").toAbsolutePath());
        assertThat(context.seeds()).isEmpty();
        assertThat(context.writeConsistency()).isEqualTo(ConsistencyLevel.QUORUM);
        assertThat(context.storageQueueCapacity()).isEqualTo(NodeContext.STORAGE_QUEUE_CAPACITY_DEFAULT);
        assertThat(context.threading()).isEqualTo(ThreadingMode.DEDICATED);
        assertThat(context.nanoClock()).isNotNull();
        assertThat(context.disk()).isNotNull();
    }

    @Test
    void shouldRefuseAnUnknownKeyWithoutPrintingItsValue() throws IOException
    {
        final Path file = write(
            "node.id=1", "node.address=h:1", "data.directory=d", "cluster.secrt=hunter2hunter2hunter2");

        assertThatThrownBy(() -> NodeProperties.load(file, Map.of()))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("setting=cluster.secrt: unknown")
            .hasMessageContaining("docs/CONFIGURATION.md")
            .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldNameTheSettingAndValueThatIsWrong() throws IOException
    {
        final Map<String, String> base = new HashMap<>(Map.of("node.id", "1", "node.address", "h:7401",
            "data.directory", directory.resolve("d").toString(), "transport", "shm"));

        assertRefused(base, Map.of("node.id", "one"), "node.id=one: must be a whole number");
        assertRefused(base, Map.of("node.address", "nohost"), "node.address=nohost: must be host:port");
        assertRefused(base, Map.of("node.address", "h:0"), "node.address=h:0: port must be 1..65535");
        assertRefused(base, Map.of("node.zone", "rack 1"), "node.zone=rack 1: must be 1..64 characters");
        assertRefused(base, Map.of("node.weight", "0"), "node.weight=0: must be 1..10000");
        assertRefused(base, Map.of("transport", "udp"), "transport=udp: must be tcp|shm");
        assertRefused(base, Map.of("transport", "tcp"), "cluster.secret=(not set): is required with transport=tcp");
        assertRefused(base, Map.of("cluster.secret", "short"), "cluster.secret.length=5: must be at least 16 bytes");
        assertRefused(base, Map.of("cluster.seeds", "2"), "cluster.seeds=2: must be id=host:port");
        assertRefused(base, Map.of("cluster.seeds", "1=other:1"), "cluster.seeds[1]=other:1: names this node");
        assertRefused(base, Map.of("storage.queue.capacity", "3M"), "storage.queue.capacity=3145728: must be a power");
        assertRefused(base, Map.of("storage.batch.limit", "0"), "storage.batch.limit=0: must be 1..65536");
        assertRefused(base, Map.of("storage.chunk.read.delay", "2s"), "storage.chunk.read.delay=2000000000ns: must be 0..1s");
        assertRefused(base, Map.of("write.consistency", "most"), "write.consistency=most: must be one|quorum|all");
        assertRefused(base, Map.of("network.response.timeout", "5"), "network.response.timeout=5: must be a duration");
        assertRefused(base, Map.of("threading", "many"), "threading=many: must be dedicated|shared");
        final Map<String, String> noId = new HashMap<>(base);
        noId.remove("node.id");
        assertRefused(noId, Map.of(), "node.id=(not set): is required");
    }

    @Test
    void shouldRefuseAMissingFile()
    {
        assertThatThrownBy(() -> NodeProperties.load(directory.resolve("absent.properties"), Map.of()))
            .isInstanceOf(ConfigurationException.class).hasMessageEndingWith("absent.properties: no such file");
    }

    @Test
    void shouldStartFromTheRingClientsBuildWithTheSeedsZonesAndWeights()
    {
        final NodeContext context = NodeProperties.parse(Map.of("node.id", "1", "node.address", "h:7401",
            "data.directory", directory.resolve("d").toString(), "transport", "shm",
            "cluster.seeds", "1=h:7401,2=h:7402,3=h:7403", "cluster.zones", "1=a,2=b,3=a",
            "cluster.weights", "2=200")).conclude();

        final Ring ring = context.repairContext().ring();

        assertThat(ring.node(1).zone()).isEqualTo("a");
        assertThat(ring.node(2).zone()).isEqualTo("b");
        assertThat(ring.node(2).weight()).isEqualTo(200);
        assertThat(ring.node(3).weight()).isEqualTo(RingNode.STANDARD_WEIGHT);
    }

    @Test
    void shouldDocumentEveryKeyInConfigurationMd() throws IOException
    {
        final String whole = Files.readString(Path.of("..", "docs", "CONFIGURATION.md"), StandardCharsets.UTF_8);
        final int clientSection = whole.indexOf("\n# Client configuration");
        final String text = clientSection < 0 ? whole : whole.substring(0, clientSection);
        final Set<String> documented = new LinkedHashSet<>();
        final Matcher row = Pattern.compile("(?m)^\\| `([a-z.]+)` \\|").matcher(text);
        while (row.find())
        {
            documented.add(row.group(1));
        }

        assertThat(documented).containsExactlyElementsOf(NodeProperties.keys());
    }

    private static void assertRefused(
        final Map<String, String> base, final Map<String, String> change, final String messageStart)
    {
        final Map<String, String> settings = new HashMap<>(base);
        settings.putAll(change);
        assertThatThrownBy(() -> NodeProperties.parse(settings).conclude())
            .as("%s", change)
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith(messageStart);
    }

    private Path write(final String... lines) throws IOException
    {
        final Path file = directory.resolve("node.properties");
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        return file;
    }
}
