package io.rfs.replication.node;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NodeMainTest
{
    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldExitWithUsageStatusWithoutAConfigFile()
    {
        assertThat(run()).isEqualTo(NodeMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config FILE is required").contains("usage:");
        assertThat(out.size()).isZero();
    }

    @Test
    void shouldExitWithUsageStatusNamingABadSetting() throws IOException
    {
        final Path config = config("node.id=1", "node.address=127.0.0.1:7401", "data.directory=" + directory);

        assertThat(run("--config", config.toString(), "--set", "node.weight=heavy")).isEqualTo(NodeMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("node.weight=heavy: must be a whole number");
    }

    @Test
    void shouldExitWithUsageStatusForTcpWithoutAClusterSecret() throws IOException
    {
        final Path config = config("node.id=1", "node.address=127.0.0.1:7401", "data.directory=" + directory);

        assertThat(run("--config", config.toString())).isEqualTo(NodeMain.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
            .contains("cluster.secret=(not set): is required with transport=tcp");
    }

    private int run(final String... args)
    {
        return NodeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path config(final String... lines) throws IOException
    {
        final Path file = directory.resolve("node.properties");
        Files.writeString(file, String.join("\n", lines));
        return file;
    }
}
