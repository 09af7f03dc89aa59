package io.rfs.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs serve --config FILE} with the real jar: it behaves as {@code NodeMain} does.
 */
@Timeout(300)
class ServeCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldExitTwoOnAnUnknownKeyOrABadValue() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path config = writeConfig("bogus.key=1\n");
        final RfsCli.Result unknown = rfs.runRaw(null, Map.of(), List.of("serve", "--config", config.toString()))
            .expectExit(2);
        assertThat(unknown.stderr()).contains("bad configuration in " + config).contains("bogus.key");

        final RfsCli.Result badValue = rfs.runRaw(null, Map.of(),
            List.of("serve", "--config", writeConfig("").toString(), "--set", "node.weight=heavy")).expectExit(2);
        assertThat(badValue.stderr()).contains("node.weight=heavy: must be a whole number");

        rfs.runRaw(null, Map.of(), List.of("serve")).expectExit(2);
        assertThat(rfs.runRaw(null, Map.of(), List.of("serve", "--config", dir.resolve("absent").toString()))
            .expectExit(2).stderr()).contains("no such file");
    }

    @Test
    void shouldServeUntilSigtermThenStopGracefully() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final Path config = writeConfig("");
        final Process serve = rfs.start("serve", "--config", config.toString(), "--set", "node.zone=rack-b");
        try
        {
            final Path out = dir.resolve("run-1.out");
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(RfsCli.TIMEOUT_S);
            while (!(Files.exists(out) && Files.readString(out, StandardCharsets.UTF_8).startsWith("READY node=1 ")))
            {
                assertThat(serve.isAlive()).as("rfs serve exited: " + read(dir.resolve("run-1.err"))).isTrue();
                assertThat(System.nanoTime()).as("no READY line").isLessThan(deadlineNs);
                Thread.sleep(20);
            }
            serve.toHandle().destroy();
            assertThat(serve.waitFor(RfsCli.TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(serve.exitValue()).as("the JVM's status after SIGTERM").isEqualTo(143);
            assertThat(read(out)).endsWith("STOPPED node=1\n");
            assertThat(dir.resolve("node-1").resolve("store.meta")).exists();
        }
        finally
        {
            serve.destroyForcibly();
        }
    }

    private Path writeConfig(final String extra) throws IOException
    {
        final int port;
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            port = socket.getLocalPort();
        }
        final Path config = Files.createTempFile(dir, "node-1", ".properties");
        Files.writeString(config, String.join("\n",
            "node.id=1",
            "node.address=127.0.0.1:" + port,
            "data.directory=" + dir.resolve("node-1"),
            "cluster.secret=0123456789abcdef0123456789abcdef",
            "storage.results.capacity=1M",
            "storage.chunk.segment.capacity=4M",
            "storage.manifest.segment.capacity=1M",
            "shutdown.timeout=2s",
            extra));
        return config;
    }

    private static String read(final Path file) throws IOException
    {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
