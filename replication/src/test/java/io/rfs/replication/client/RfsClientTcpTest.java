package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.transport.tcp.ConnectionClosedException;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.store.VerifyReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client over real TCP on loopback, configured the way a user's is, from a client properties file, against three
 * nodes served by {@link io.rfs.replication.node.NodeServer}s with the {@code transport=tcp} factory in this JVM.
 */
class RfsClientTcpTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shouldPutGetListAndDeleteOverTcpConfiguredByAPropertiesFile() throws Exception
    {
        try (TcpCluster cluster = new TcpCluster(directory, 16 * 1024 * 1024))
        {
            try (RfsClient client = RfsClient.connect(
                ClientProperties.load(cluster.clientProperties, Map.of("client.id", "500"))))
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

                cluster.stop(2);
                final ByteArrayOutputStream again = new ByteArrayOutputStream();
                client.get("big", again, TransferListener.NONE);
                assertThat(again.toByteArray()).as("QUORUM with one node down").isEqualTo(big);
                assertThat(client.list("")).extracting(FileStat::name).containsExactly("big");
                assertThat(client.agentErrors()).isZero();
            }
            assertThat(cluster.errors).as("besides dials of peers not listening yet or stopped")
                .allMatch(error -> error instanceof ConnectionClosedException);
        }
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
