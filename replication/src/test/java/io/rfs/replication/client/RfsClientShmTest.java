package io.rfs.replication.client;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeServer;
import io.rfs.replication.node.ThreadingMode;
import io.rfs.replication.node.TransportKind;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client over the mapped-file shared-memory transport, configured from a client properties file beside the
 * nodes' data directories, as {@code rfs cluster start} lays them out: the client finds the nodes' inboxes in
 * {@code inboxes} beside the file.
 */
class RfsClientShmTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPutAndGetOverSharedMemoryConfiguredByAPropertiesFile() throws Exception
    {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final NodeServer[] servers = new NodeServer[4];
        final StringBuilder seeds = new StringBuilder();
        for (int id = 1; id <= 3; id++)
        {
            seeds.append(id == 1 ? "" : ",").append(id).append("=127.0.0.1:").append(7400 + id);
        }
        try
        {
            for (int id = 1; id <= 3; id++)
            {
                final NodeContext context = new NodeContext()
                    .nodeId(id)
                    .address("127.0.0.1:" + (7400 + id))
                    .transport(TransportKind.SHM)
                    .threading(ThreadingMode.SHARED)
                    .shmInboxCapacity(16 * 1024 * 1024)
                    .dataDirectory(directory.resolve("node-" + id))
                    .chunkSegmentCapacity(16 * 1024 * 1024)
                    .manifestSegmentCapacity(1024 * 1024)
                    .errorHandler(errors::add);
                for (int peer = 1; peer <= 3; peer++)
                {
                    if (peer != id)
                    {
                        context.seed(peer, "127.0.0.1:" + (7400 + peer));
                    }
                }
                servers[id] = NodeServer.start(context);
            }
            final Path properties = directory.resolve("client.properties");
            Files.writeString(properties, "cluster.seeds=" + seeds + "\ntransport=shm\nclient.id=900\n");

            try (RfsClient client = RfsClient.connect(ClientProperties.load(properties)))
            {
                final byte[] content = new byte[3 * 1024 * 1024 + 17];
                new SplittableRandom(1).nextBytes(content);
                final FileStat stored = client.put("shm", new ByteArrayInputStream(content), TransferListener.NONE);
                final ByteArrayOutputStream out = new ByteArrayOutputStream();

                assertThat(client.get("shm", out, TransferListener.NONE)).isEqualTo(stored);
                assertThat(out.toByteArray()).isEqualTo(content);
                assertThat(client.list("")).extracting(FileStat::name).containsExactly("shm");
                assertThat(Files.exists(directory.resolve("inboxes").resolve("node-900.inbox"))).isTrue();
                assertThat(client.agentErrors()).isZero();
            }
        }
        finally
        {
            for (final NodeServer server : servers)
            {
                CloseHelper.quietClose(server);
            }
        }
        assertThat(errors).isEmpty();
    }
}
