package io.rfs.replication.client;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.transport.tcp.ConnectionClosedException;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Three nodes served by {@link NodeServer}s with the {@code transport=tcp} factory on loopback ports, in this JVM, and
 * the client properties file a user would have for them. Node threading from {@code -Drfs.node.threading}
 * ({@code SHARED} by default, to spare the test machine's cores; {@code DEDICATED} for measurements).
 */
final class TcpCluster implements AutoCloseable
{
    static final String CLUSTER_SECRET = "cluster-secret-0123456789";
    static final String CLIENT_SECRET = "client-secret-0123456789";

    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final NodeServer[] servers = new NodeServer[4];
    final Path clientProperties;

    TcpCluster(final Path directory, final int chunkSegmentCapacity) throws IOException
    {
        final int[] ports = {0, freePort(), freePort(), freePort()};
        final StringBuilder seeds = new StringBuilder();
        for (int id = 1; id <= 3; id++)
        {
            seeds.append(id == 1 ? "" : ",").append(id).append("=127.0.0.1:").append(ports[id]);
        }
        try
        {
            for (int id = 1; id <= 3; id++)
            {
                final NodeContext context = new NodeContext()
                    .nodeId(id)
                    .address("127.0.0.1:" + ports[id])
                    .transport(TransportKind.TCP)
                    .threading(ThreadingMode.valueOf(System.getProperty("rfs.node.threading", "SHARED")))
                    .clusterSecret(CLUSTER_SECRET.getBytes(StandardCharsets.UTF_8))
                    .clientSecret(CLIENT_SECRET.getBytes(StandardCharsets.UTF_8))
                    .dataDirectory(directory.resolve("node-" + id))
                    .chunkSegmentCapacity(chunkSegmentCapacity)
                    .manifestSegmentCapacity(4 * 1024 * 1024)
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
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
            throw ex;
        }
        clientProperties = directory.resolve("client.properties");
        Files.writeString(clientProperties, String.join("\n",
            "cluster.seeds=" + seeds,
            "replication.factor=3",
            "transport=tcp",
            "client.secret=" + CLIENT_SECRET,
            ""));
    }

    void stop(final int id)
    {
        servers[id].close();
        servers[id] = null;
    }

    /**
     * @return true if every error the nodes reported is a dial of a peer that was not listening (yet, or any more).
     */
    boolean onlyDialErrors()
    {
        return errors.stream().allMatch(error -> error instanceof ConnectionClosedException);
    }

    @Override
    public void close()
    {
        for (final NodeServer server : servers)
        {
            CloseHelper.quietClose(server);
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
