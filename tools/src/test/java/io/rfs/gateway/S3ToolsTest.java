package io.rfs.gateway;

import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.cluster.EmbeddedCluster;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real S3 clients from the distribution against a gateway over an embedded three-node cluster: rclone copies a
 * directory tree in (single puts and, above its lowered cutoff, multipart uploads) and out, and
 * {@code rclone check --download} compares every byte; restic backs a tree up into a bucket and
 * {@code restic check --read-data} reads and verifies every pack. rclone lists with the original ListObjects (V1),
 * restic asks GetBucketLocation.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3ToolsTest
{
    private static final String ACCESS_KEY = "RFSTOOLSACCESSKEY";
    private static final String SECRET = "rfs-tools-secret-access-key/0123456789";
    private static final int CLIENT_ID = 1000;
    private static final long COMMAND_TIMEOUT_S = 180;
    private static final long SEED = 20261129L;

    @TempDir
    static Path directory;

    private static EmbeddedCluster cluster;
    private static RfsClient store;
    private static S3Gateway gateway;

    @BeforeAll
    static void start() throws IOException
    {
        cluster = EmbeddedCluster.open(new EmbeddedCluster.Context().rootDirectory(directory.resolve("cluster")));
        store = RfsClient.connect(new ClientContext().ring(cluster.ring())
            .transport(cluster.newClientTransport(CLIENT_ID)).clientId(CLIENT_ID));
        gateway = S3Gateway.start(new S3Gateway.Context().address(new InetSocketAddress("127.0.0.1", 0))
            .store(store).credentials(Map.of(ACCESS_KEY, SECRET)));
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(gateway, store, cluster);
    }

    private static String endpoint()
    {
        return "http://127.0.0.1:" + gateway.address().getPort();
    }

    private static boolean installed(final String tool)
    {
        return Stream.of("/usr/bin/", "/usr/local/bin/").anyMatch(dir -> Files.isExecutable(Path.of(dir + tool)));
    }

    /**
     * A small tree: nested directories, an empty file, odd names, and one file of 6 MiB (multipart for rclone with
     * a 5 MiB cutoff).
     */
    private static Path tree(final Path root) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final Map<String, Integer> files = new TreeMap<>(Map.of(
            "a/one.bin", 1, "a/b/two.bin", 70_000, "a/b/c/three.bin", 300_000, "empty", 0,
            "with space & plus+.txt", 12, "unicodé/ü.txt", 33, "large.bin", 6 * 1024 * 1024 + 5));
        for (final Map.Entry<String, Integer> file : files.entrySet())
        {
            final byte[] bytes = new byte[file.getValue()];
            random.nextBytes(bytes);
            final Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, bytes);
        }
        return root;
    }

    private static void assertSameTree(final Path expected, final Path actual) throws IOException
    {
        final List<Path> expectedFiles;
        try (Stream<Path> walk = Files.walk(expected))
        {
            expectedFiles = walk.filter(Files::isRegularFile).map(expected::relativize).sorted().toList();
        }
        final List<Path> actualFiles;
        try (Stream<Path> walk = Files.walk(actual))
        {
            actualFiles = walk.filter(Files::isRegularFile).map(actual::relativize).sorted().toList();
        }
        assertThat(actualFiles).isEqualTo(expectedFiles);
        for (final Path file : expectedFiles)
        {
            assertThat(Arrays.equals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file))))
                .as("%s has the same bytes", file).isTrue();
        }
    }

    /**
     * Runs a tool with a private HOME and none of the machine's AWS settings (an {@code AWS_CA_BUNDLE} makes the
     * Go SDKs refuse a plain HTTP endpoint).
     *
     * @return its output and error, for assertions; fails if it does not exit 0.
     */
    private static String run(final String name, final Map<String, String> env, final String... command)
        throws Exception
    {
        final Path log = directory.resolve(name + ".log");
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(key -> key.startsWith("AWS_") || key.startsWith("RCLONE_") ||
            key.startsWith("RESTIC_"));
        builder.environment().put("HOME", Files.createDirectories(directory.resolve("home")).toString());
        builder.environment().putAll(env);
        final Process process = builder.start();
        final boolean exited = process.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS);
        if (!exited)
        {
            process.destroyForcibly();
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exited).as("%s finished within %d s: %s", name, COMMAND_TIMEOUT_S, output).isTrue();
        assertThat(process.exitValue()).as("%s exit status; output:%n%s", name, output).isZero();
        return output;
    }

    @Test
    void shouldCopyATreeInAndOutWithRcloneAndCheckItByDownloading() throws Exception
    {
        assumeTrue(installed("rclone"), "rclone is not installed (apt-get install -y rclone): skipping; " +
            ".ci/run installs it");
        final Path source = tree(directory.resolve("rclone-source"));
        final Map<String, String> env = Map.of(
            "RCLONE_CONFIG_RFS_TYPE", "s3",
            "RCLONE_CONFIG_RFS_PROVIDER", "Other",
            "RCLONE_CONFIG_RFS_ACCESS_KEY_ID", ACCESS_KEY,
            "RCLONE_CONFIG_RFS_SECRET_ACCESS_KEY", SECRET,
            "RCLONE_CONFIG_RFS_ENDPOINT", endpoint(),
            "RCLONE_CONFIG_RFS_REGION", "us-east-1",
            "RCLONE_CONFIG_RFS_FORCE_PATH_STYLE", "true",
            "RCLONE_CONFIG", directory.resolve("rclone.conf").toString());

        run("rclone-copy-in", env, "rclone", "copy", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M",
            source.toString(), "rfs:rclone-bucket/tree");
        final Path copy = directory.resolve("rclone-copy");
        run("rclone-copy-out", env, "rclone", "copy", "rfs:rclone-bucket/tree", copy.toString());
        final String checked = run("rclone-check", env, "rclone", "check", "--download", source.toString(),
            "rfs:rclone-bucket/tree");

        assertThat(checked).contains("0 differences found").contains("7 matching files");
        assertSameTree(source, copy);
    }

    @Test
    void shouldBackUpWithResticAndPassCheckReadData() throws Exception
    {
        assumeTrue(installed("restic"), "restic is not installed (apt-get install -y restic): skipping; " +
            ".ci/run installs it");
        final Path source = tree(directory.resolve("restic-source"));
        final Map<String, String> env = Map.of(
            "AWS_ACCESS_KEY_ID", ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY", SECRET,
            "RESTIC_REPOSITORY", "s3:" + endpoint() + "/restic-bucket",
            "RESTIC_PASSWORD", "rfs-test-repository-password",
            "RESTIC_CACHE_DIR", directory.resolve("restic-cache").toString());

        run("restic-init", env, "restic", "init");
        run("restic-backup", env, "restic", "backup", source.toString());
        final String checked = run("restic-check", env, "restic", "check", "--read-data");
        final Path restored = directory.resolve("restic-restored");
        run("restic-restore", env, "restic", "restore", "latest", "--target", restored.toString());

        assertThat(checked).contains("no errors were found");
        // restic restores a tree under the target at its absolute path
        assertSameTree(source, restored.resolve(source.getRoot().relativize(source)));
    }
}
