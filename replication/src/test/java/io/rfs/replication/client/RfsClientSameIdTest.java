package io.rfs.replication.client;

import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clients opened from one properties file at once, over real TCP: the same {@code client.id} (the default one,
 * from the process id), as two {@code rfs get}s of one {@code RFS_HOME} would have if their process ids matched
 * modulo 2^30, or two clients of one process.
 */
class RfsClientSameIdTest
{
    @TempDir
    Path directory;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void shouldPutAndGetWithBothOfTwoClientsOpenedFromOnePropertiesFileAtOnce() throws Exception
    {
        try (TcpCluster cluster = new TcpCluster(directory, 64 * 1024 * 1024);
            RfsClient first = RfsClient.connect(ClientProperties.load(cluster.clientProperties));
            RfsClient second = RfsClient.connect(ClientProperties.load(cluster.clientProperties)))
        {
            assertThat(second.context().clientId()).isEqualTo(first.context().clientId());
            final byte[] one = random(1, 12 * 1024 * 1024 + 5);
            final byte[] two = random(2, 12 * 1024 * 1024 + 7);
            final CompletableFuture<FileStat> firstPut = CompletableFuture.supplyAsync(() -> put(first, "one", one));
            final FileStat secondPut = put(second, "two", two);
            assertThat(firstPut.get().version().nodeId()).as("client.id is still the writer id")
                .isEqualTo(secondPut.version().nodeId()).isEqualTo(first.context().clientId());

            final CompletableFuture<byte[]> firstGet = CompletableFuture.supplyAsync(() -> get(first, "two"));
            assertThat(get(second, "one")).isEqualTo(one);
            assertThat(firstGet.get()).isEqualTo(two);
            assertThat(first.agentErrors() + second.agentErrors()).isZero();
            assertThat(cluster.errors).as("no node replaced one client's connection with the other's")
                .noneMatch(error -> String.valueOf(error.getMessage()).contains("replaced"));
        }
    }

    private static FileStat put(final RfsClient client, final String name, final byte[] bytes)
    {
        try
        {
            return client.put(name, new ByteArrayInputStream(bytes), TransferListener.NONE);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] get(final RfsClient client, final String name)
    {
        try
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            client.get(name, out, TransferListener.NONE);
            return out.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] random(final int seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
