package io.rfs.replication.node;

import io.rfs.replication.transport.shm.InProcessNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.rfs.replication.node.ChunkRequestsTest.random;
import static io.rfs.store.log.RecordDescriptor.recordLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /health} and {@code /metrics} of nodes serving on real threads and real HTTP sockets on loopback, the
 * nodes talking over the in-process network.
 */
class NodeStatusEndpointTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<NodeServer> servers = new ArrayList<>();

    @AfterEach
    void closeServers()
    {
        CloseHelper.closeAll(servers);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void shouldReportHealthyWithALeaderAndTurnUnavailableWhenAMajorityIsLost() throws Exception
    {
        final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1024 * 1024));
        for (int id = 1; id <= 3; id++)
        {
            final NodeContext context = NodeFixture.serverContext(id, directory.resolve("node-" + id))
                .httpAddress("127.0.0.1:0");
            for (int member = 1; member <= 3; member++)
            {
                context.seed(member, "127.0.0.1:" + (7400 + member));
            }
            servers.add(NodeServer.start(context, c -> network.newTransport(c.nodeId())));
        }
        final NodeServer first = servers.get(0);

        final HttpResponse<String> healthy = await(first, "/health",
            response -> response.statusCode() == 200 && !response.body().contains("\"leaderId\":-1"));
        assertThat(healthy.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(healthy.body()).contains("\"status\":\"ok\"", "\"reasons\":[]", "\"nodeId\":1", "\"members\":3",
            "\"chunksHeld\":0", "\"manifestsHeld\":0", "\"memberStates\":{\"1\":\"UP\",\"2\":\"UP\",\"3\":\"UP\"}")
            .as("no change committed: the configured ring, version 1, is in force")
            .contains("\"ringVersion\":0", "\"ringInForceVersion\":1")
            .containsPattern("\"ringInForceFingerprint\":\"[0-9a-f]{16}\"");
        assertThat(servers.stream().mapToLong(server -> count(server, "\"role\":\"LEADER\"")).sum())
            .as("one leader among the three").isEqualTo(1);

        final HttpResponse<String> metrics = get(first, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
            .contains("# TYPE rfs_node_chunks_written_total counter\nrfs_node_chunks_written_total 0\n")
            .contains("# TYPE rfs_node_hints_pending gauge\n")
            .contains("rfs_peer_up{peer=\"2\"} 1\n", "rfs_peer_up{peer=\"3\"} 1\n", "rfs_peer_down{peer=\"2\"} 0\n")
            .contains("rfs_cluster_members_up 3\n")
            .containsPattern("rfs_cluster_term [1-9][0-9]*\n")
            .containsPattern("rfs_peer_phi\\{peer=\"2\"} [0-9.e+-]+\n");

        servers.remove(2).close();
        servers.remove(1).close();
        final HttpResponse<String> unavailable = await(first, "/health", response -> response.statusCode() == 503);
        assertThat(unavailable.body()).contains("\"status\":\"unavailable\"",
            "cannot reach a majority: 1 of 3 members up, 2 needed");
        await(first, "/health", response -> response.body().contains("\"2\":\"DOWN\",\"3\":\"DOWN\""));
        await(first, "/metrics", response -> response.body().contains("rfs_peer_down{peer=\"2\"} 1\n"));
        assertThat(get(first, "/metrics").body()).contains("rfs_peer_up{peer=\"2\"} 0\n", "rfs_cluster_members_up 1\n");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldServeOnlyHealthAndMetricsAndOnlyToGetAndHead() throws Exception
    {
        final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1024 * 1024));
        final NodeContext context = NodeFixture.serverContext(1, directory.resolve("node"))
            .httpAddress("127.0.0.1:0");
        final NodeServer server = NodeServer.start(context, c -> network.newTransport(c.nodeId()));
        servers.add(server);

        assertThat(await(server, "/health", response -> response.body().contains("\"role\":\"LEADER\"")).statusCode())
            .as("a cluster of one is its own majority").isEqualTo(200);
        assertThat(get(server, "/").statusCode()).isEqualTo(404);
        assertThat(get(server, "/health/../etc/passwd").statusCode()).isEqualTo(404);
        final HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/health"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
        final HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri(server, "/health"))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();

        final InetSocketAddress address = server.httpAddress();
        server.close();
        servers.clear();
        assertThat(reachable(address)).as("the endpoint stops with the node").isFalse();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void shouldReportTheHeldChunksRecordBytesAsChunkBytesHeldWhenChunksAreStored() throws Exception
    {
        final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1024 * 1024));
        final TestClient client = new TestClient(network.newTransport(NodeFixture.CLIENT_ID));
        final NodeContext context = NodeFixture.serverContext(1, directory.resolve("node"))
            .httpAddress("127.0.0.1:0");
        final NodeServer server = NodeServer.start(context, c -> network.newTransport(c.nodeId()));
        servers.add(server);
        assertThat(await(server, "/health", response -> response.statusCode() == 200).body())
            .contains("\"chunkBytesHeld\":0");

        client.putChunk(1, random(1, 10_000), false);
        client.putChunk(1, random(2, 3_000), false);

        final HttpResponse<String> health = await(server, "/health",
            response -> response.body().contains("\"chunksHeld\":2"));
        assertThat(health.body()).as("random chunks are stored uncompressed, each as one record")
            .contains("\"chunkBytesHeld\":" + (recordLength(10_000) + recordLength(3_000)));
        client.transport.close();
    }

    private long count(final NodeServer server, final String text)
    {
        try
        {
            return get(server, "/health").body().contains(text) ? 1 : 0;
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    private HttpResponse<String> await(
        final NodeServer server, final String path, final Predicate<HttpResponse<String>> condition) throws Exception
    {
        final long deadlineNs = System.nanoTime() + WAIT.toNanos();
        while (true)
        {
            final HttpResponse<String> response = get(server, path);
            if (condition.test(response))
            {
                return response;
            }
            assertThat(System.nanoTime() - deadlineNs).as("waiting on %s, last: %s %s", path,
                response.statusCode(), response.body()).isNegative();
            Thread.sleep(50);
        }
    }

    private HttpResponse<String> get(final NodeServer server, final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(final NodeServer server, final String path)
    {
        final InetSocketAddress address = server.httpAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
    }

    private static boolean reachable(final InetSocketAddress address)
    {
        try (java.net.Socket socket = new java.net.Socket())
        {
            socket.connect(address, 1000);
            return true;
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }
}
