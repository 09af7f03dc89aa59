package io.rfs.replication.node;

import io.rfs.replication.protocol.GetChunkResponseDecoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransport;
import io.rfs.replication.transport.tcp.TcpTransportContext;
import io.rfs.store.chunk.ChunkId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static io.rfs.replication.node.ChunkRequestsTest.random;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node on the TCP transport its {@code transport=tcp} factory makes, and a TCP client on loopback: chunks go in
 * and come back out, the compressed one sent from its mapped segment by the transport's gather offer. Both ends are
 * stepped on this thread; the waits are for the loopback network.
 */
class NodeTcpTest
{
    private static final byte[] CLUSTER_SECRET = "cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CLIENT_SECRET = "client-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path directory;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldServeChunksToATcpClient() throws Exception
    {
        final int port = freePort();
        final NodeContext context = new NodeContext()
            .nodeId(1)
            .address("127.0.0.1:" + port)
            .transport(TransportKind.TCP)
            .clusterSecret(CLUSTER_SECRET)
            .clientSecret(CLIENT_SECRET)
            .dataDirectory(directory.resolve("node"))
            .storageQueueCapacity(NodeContext.STORAGE_QUEUE_CAPACITY_DEFAULT)
            .chunkSegmentCapacity(4 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024);
        context.conclude();

        try (Node node = Node.open(context, TransportFactory.forKind(TransportKind.TCP).newTransport(context));
            TcpTransport clientTransport = new TcpTransport(new TcpTransportContext()
                .nodeId(NodeFixture.CLIENT_ID)
                .role(PeerRole.CLIENT)
                .clientSecret(CLIENT_SECRET)
                .peer(1, new InetSocketAddress("127.0.0.1", port))))
        {
            final TestClient client = new TestClient(clientTransport);
            final Runnable step = () ->
            {
                clientTransport.doWork();
                node.networkAgent().doWork();
                node.storageAgent().doWork();
                client.poll();
            };
            until(step, () -> clientTransport.isConnected(1));

            final byte[] raw = random(1, 200_000);
            Arrays.fill(raw, 1_000, raw.length, (byte)'z');
            final ChunkId id = client.codec().hash(raw, raw.length);
            final long put = client.putChunk(1, raw, true);
            until(step, () -> !client.responses.isEmpty());
            assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);

            final long stored = client.getChunk(1, id, true);
            final long plain = client.getChunk(1, id, false);
            until(step, () -> client.responses.size() == 3);

            final GetChunkResponseDecoder compressed = client.getChunkResponse(stored);
            assertThat(compressed.isCompressed()).isTrue();
            final byte[] payload = new byte[compressed.payloadLength()];
            compressed.buffer().getBytes(compressed.payloadOffset(), payload);
            final byte[] decompressed = new byte[compressed.rawLength()];
            assertThat(client.codec().decompress(payload, payload.length, decompressed, decompressed.length)).isTrue();
            assertThat(decompressed).isEqualTo(raw);

            final GetChunkResponseDecoder uncompressed = client.getChunkResponse(plain);
            assertThat(uncompressed.isCompressed()).isFalse();
            final byte[] copy = new byte[uncompressed.payloadLength()];
            uncompressed.buffer().getBytes(uncompressed.payloadOffset(), copy);
            assertThat(copy).isEqualTo(raw);
        }
    }

    private static void until(final Runnable step, final BooleanSupplier done)
    {
        while (!done.getAsBoolean())
        {
            step.run();
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
