package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs cluster start} starts an S3 gateway beside the nodes, {@code rfs cluster status} shows it (with its
 * credentials in {@code --json}), {@code start} restarts it when it is down, {@code stop} stops it.
 */
@Timeout(300)
class ClusterGatewayTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private LocalCluster cluster;

    @AfterEach
    void killLeftovers() throws Exception
    {
        if (cluster != null)
        {
            cluster.killAll();
        }
    }

    private static S3Client s3(final JsonNode gateway)
    {
        return S3Client.builder().endpointOverride(URI.create(gateway.get("url").asText())).region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                gateway.get("accessKeyId").asText(), gateway.get("secretAccessKey").asText())))
            .build();
    }

    /**
     * The gateway's {@code /health} probes a read quorum, which a cluster that just started may not answer yet.
     */
    private JsonNode awaitHealthyGateway() throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final JsonNode gateway = cluster.status().get("gateway");
            if ("ok".equals(gateway.path("health").asText()))
            {
                return gateway;
            }
            assertThat(System.nanoTime() - deadlineNs).as("gateway not healthy yet: %s", gateway).isNegative();
            Thread.sleep(200);
        }
    }

    @Test
    void shouldStartShowRestartAndStopTheGatewayWithTheCluster() throws Exception
    {
        cluster = new LocalCluster(dir);
        final RfsCli.Result started = cluster.startWithGateway("--nodes", "3", "--rf", "2").expectExit(0);
        assertThat(started.out()).containsPattern("gateway  http://127\\.0\\.0\\.1:[0-9]+  pid [0-9]+  accessKeyId " +
            "RFS[A-Z0-9]+  credentials \\S+  started");

        final JsonNode gateway = awaitHealthyGateway();
        assertThat(gateway.get("state").asText()).isEqualTo("up");
        assertThat(gateway.get("reasons")).isEmpty();
        final Path credentials = Path.of(gateway.get("credentials").asText());
        assertThat(credentials).isEqualTo(cluster.directory().resolve("gateway-credentials.properties"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        assertThat(GatewayCredentials.load(credentials))
            .containsEntry(gateway.get("accessKeyId").asText(), gateway.get("secretAccessKey").asText());
        assertThat(cluster.run("cluster", "status").expectExit(0).out())
            .containsPattern("gateway  " + gateway.get("url").asText() + "  up    pid [0-9]+  ok  accessKeyId ");
        try (S3Client s3 = s3(gateway))
        {
            s3.createBucket(b -> b.bucket("through-the-gateway"));
            s3.putObject(b -> b.bucket("through-the-gateway").key("a/b.txt"), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("through-the-gateway").key("a/b.txt")).asUtf8String())
                .isEqualTo("hello");
        }

        final ProcessHandle process = ProcessHandle.of(gateway.get("pid").asLong()).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(30, TimeUnit.SECONDS);
        final JsonNode down = cluster.status().get("gateway");
        assertThat(down.get("state").asText()).isEqualTo("down");
        assertThat(down.get("pid").isNull()).isTrue();
        assertThat(cluster.run("cluster", "status").expectExit(0).out()).containsPattern("gateway  \\S+  down  pid -");

        final RfsCli.Result restarted = cluster.run("cluster", "start").expectExit(0);
        assertThat(restarted.out()).containsPattern("node 1 .* already running").containsPattern("gateway .* started");
        final JsonNode again = awaitHealthyGateway();
        assertThat(again.get("url").asText()).as("the same address after a restart").isEqualTo(gateway.get("url").asText());
        assertThat(again.get("accessKeyId").asText()).isEqualTo(gateway.get("accessKeyId").asText());
        try (S3Client s3 = s3(again))
        {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("through-the-gateway").key("a/b.txt")).asUtf8String())
                .isEqualTo("hello");
        }
        assertThat(cluster.run("cluster", "start").expectExit(0).out()).containsPattern("gateway .* already running");

        final RfsCli.Result stopped = cluster.run("cluster", "stop").expectExit(0);
        assertThat(stopped.out()).contains("stopped gateway (pid " + again.get("pid").asLong() + ")", "stopped node 1");
        assertThat(stopped.stderr()).isEmpty();
        assertThat(cluster.status().get("gateway").get("state").asText()).isEqualTo("down");
        assertThat(Files.readString(cluster.directory().resolve("gateway.log"))).contains("STOPPED gateway");
    }
}
