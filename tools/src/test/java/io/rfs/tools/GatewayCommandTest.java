package io.rfs.tools;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs gateway} with the real jar over the embedded cluster: it generates credentials, serves the AWS SDK,
 * and on SIGTERM stops and closes the store, whose files then hold what was put.
 */
@Timeout(300)
class GatewayCommandTest
{
    private static final Pattern READY = Pattern.compile(
        "READY gateway=(http://\\S+) store=embedded accessKeyId=(\\S+) credentials=(\\S+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldServeTheSdkWithGeneratedCredentialsAndStopOnSigterm() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final Process gateway = rfs.start("gateway", "--listen", "127.0.0.1:0");
        final Path out = dir.resolve("run-1.out");
        Matcher ready = null;
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RfsCli.TIMEOUT_S);
            ready == null && System.nanoTime() < deadline && gateway.isAlive(); )
        {
            final Matcher matcher = READY.matcher(Files.readString(out, StandardCharsets.UTF_8));
            ready = matcher.find() ? matcher : null;
            Thread.sleep(100);
        }
        assertThat(ready).as("READY line in %s; stderr: %s", Files.readString(out),
            Files.readString(dir.resolve("run-1.err"))).isNotNull();
        final Path credentials = Path.of(ready.group(3));
        assertThat(credentials).isEqualTo(rfs.data().toAbsolutePath().normalize()
            .resolve("gateway/credentials.properties"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials))).isEqualTo("rw-------");
        final String secret = GatewayCredentials.load(credentials).get(ready.group(2));

        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(ready.group(1))).region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ready.group(2), secret)))
            .build())
        {
            s3.createBucket(b -> b.bucket("cli-1"));
            s3.putObject(b -> b.bucket("cli-1").key("hello.txt"), RequestBody.fromString("hello, gateway"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("cli-1").key("hello.txt")).asUtf8String())
                .isEqualTo("hello, gateway");
        }

        gateway.destroy();
        assertThat(gateway.waitFor(RfsCli.TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(out)).contains("STOPPED gateway");

        final RfsCli.Result listed = rfs.run("ls", "s3/cli-1/");
        listed.expectExit(0);
        assertThat(new String(listed.stdout(), StandardCharsets.UTF_8)).contains("s3/cli-1/hello.txt");
    }
}
