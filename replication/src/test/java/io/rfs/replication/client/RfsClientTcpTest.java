package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.transport.tcp.ConnectionClosedException;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.VerifyReport;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client over real TCP on loopback, configured the way a user's is, from a client properties file, against three
 * nodes served by {@link NodeServer}s with the {@code transport=tcp} factory in this JVM.
 */
class RfsClientTcpTest
{
    private static final String CLUSTER_SECRET = "cluster-secret-0123456789";
    private static final String CLIENT_SECRET = "client-secret-0123456789";

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPutGetListAndDeleteOverTcpConfiguredByAPropertiesFile() throws Exception
    {
        final int[] ports = {0, freePort(), freePort(), freePort()};
        final StringBuilder seeds = new StringBuilder();
        for (int id = 1; id <= 3; id++)
        {
            seeds.append(id == 1 ? "" : ",").append(id).append("=127.0.0.1:").append(ports[id]);
        }
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final NodeServer[] servers = new NodeServer[4];
        try
        {
            for (int id = 1; id <= 3; id++)
            {
                final NodeContext context = new NodeContext()
                    .nodeId(id)
                    .address("127.0.0.1:" + ports[id])
                    .transport(TransportKind.TCP)
                    .threading(ThreadingMode.SHARED)
                    .clusterSecret(CLUSTER_SECRET.getBytes(StandardCharsets.UTF_8))
                    .clientSecret(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8))
                    .dataDirectory(directory.resolve("node-" + id))
                    .storageQueueCapacity(NodeContext.STORAGE_QUEUE_CAPACITY_DEFAULT)
                    .chunkSegmentCapacity(16 * 1024 * 1024)
                    .manifestSegmentCapacity(1024 * 1024)
                    .errorHandler(errors::add);
                for (int peer = 1; peer <= 3; peer++)
                {
                    if (peer != id)
                    {
                        context.seed(peer, "127.0.0.1:" + ports[peer]);
                    }
                }
                servers[id] = NodeServer.start(context);
            }
            final Path properties = directory.resolve("client.properties");
            Files.writeString(properties, String.join("\n",
                "cluster.seeds=" + seeds,
                "replication.factor=3",
                "transport=tcp",
                "client.secret=" + CLIENT_SECRET,
                "write.consistency=quorum",
                "client.id=500",
                ""));

            try (RfsClient client = RfsClient.connect(ClientProperties.load(properties)))
            {
                final byte[] big = random(1, 5 * 1024 * 1024 + 3);
                final byte[] small = random(2, 4096);
                final FileStat stored = client.put("big", new ByteArrayInputStream(big), TransferListener.NONE);
                client.put("small", new ByteArrayInputStream(small), ConsistencyLevel.ALL, TransferListener.NONE);

                final ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(client.get("big", out, TransferListener.NONE)).isEqualTo(stored);
                assertThat(out.toByteArray()).isEqualTo(big);
                assertThat(stored.version().nodeId()).isEqualTo(500);
                assertThat(client.list("")).extracting(FileStat::name).containsExactly("big", "small");
                final VerifyReport report = client.verify(List.of(), TransferListener.NONE);
                assertThat(report.isClean()).as("%s", report.problems()).isTrue();
                assertThat(report.chunks()).isEqualTo(7);

                client.delete("small");
                assertThat(client.list("")).extracting(FileStat::name).containsExactly("big");

                servers[2].close();
                servers[2] = null;
                final ByteArrayOutputStream again = new ByteArrayOutputStream();
                client.get("big", again, TransferListener.NONE);
                assertThat(again.toByteArray()).as("QUORUM with one node down").isEqualTo(big);
            }
        }
        finally
        {
            for (final NodeServer server : servers)
            {
                CloseHelper.quietClose(server);
            }
        }
        assertThat(errors).as("besides dials of peers not listening yet or stopped")
            .allMatch(error -> error instanceof ConnectionClosedException);
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
