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

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two gateways over one cluster behind a real HAProxy (the distribution's package) with active health checks on
 * {@code /health}: one gateway is killed with SIGKILL while clients put and get through HAProxy, and no client
 * request fails, because HAProxy retries a request whose connection failed or was closed without an answer on the
 * other gateway (the configuration of README "Behind a load balancer", written by {@link #haproxyConfig}).
 */
@Timeout(400)
class GatewayLoadBalancerTest
{
    private static final Path[] HAPROXY_PATHS = {Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy")};
    private static final int CLIENTS = 4;
    private static final int OBJECT_BYTES = 16 * 1024;
    private static final int REQUESTS_BEFORE_KILL = 120;
    private static final int REQUESTS_AFTER_KILL = 240;
    private static final Pattern HEALTH_CHECKS =
        Pattern.compile("rfs_gateway_request_duration_seconds_count\\{operation=\"Health\"} ([0-9]+)");
    private static final Pattern OBJECT_REQUESTS =
        Pattern.compile("rfs_gateway_request_duration_seconds_count\\{operation=\"(?:Put|Get)Object\"} ([0-9]+)");

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private LocalCluster cluster;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopEverything() throws Exception
    {
        for (final Process process : processes)
        {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        if (cluster != null)
        {
            cluster.killAll();
        }
    }

    static Path haproxy()
    {
        return Arrays.stream(HAPROXY_PATHS).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /**
     * The README's HAProxy configuration, with the test's ports.
     */
    static String haproxyConfig(final int frontendPort, final int statsPort, final List<String> gateways)
    {
        final StringBuilder config = new StringBuilder("""
            global
                maxconn 512
                # a request is retried only if it is still whole in HAProxy's buffer: room for small objects
                tune.bufsize 65536

            defaults
                mode http
                timeout connect 2s
                timeout client 60s
                timeout server 60s
                # a gateway's /health may take up to the cluster client's request timeout (10 s) to say 503
                timeout check 15s
                # L7 retries: a request whose connection failed, or that got no (or a garbled) answer, goes again,
                # to another gateway (redispatch); puts and gets of S3 are idempotent
                retries 3
                option redispatch 1
                retry-on conn-failure empty-response junk-response response-timeout 502 503 504
                # read the whole request (answering Expect: 100-continue itself) so that it can be replayed
                option http-buffer-request

            frontend s3
            """);
        config.append("    bind 127.0.0.1:").append(frontendPort).append('\n');
        config.append("""
                default_backend gateways

            backend gateways
                balance roundrobin
                option httpchk GET /health
                http-check expect status 200
                default-server inter 500ms fall 2 rise 2
            """);
        for (int i = 0; i < gateways.size(); i++)
        {
            config.append("    server gateway-").append(i + 1).append(' ').append(gateways.get(i)).append(" check\n");
        }
        config.append("\nlisten stats\n    bind 127.0.0.1:").append(statsPort).append("\n    stats enable\n")
            .append("    stats uri /stats\n");
        return config.toString();
    }

    @Test
    void shouldLoseNoClientRequestWhenAGatewayBehindHaproxyIsKilled() throws Exception
    {
        final Path haproxy = haproxy();
        assumeTrue(haproxy != null, "haproxy is not installed (apt-get install -y haproxy): skipping the load " +
            "balancer test; .ci/run installs it");

        cluster = new LocalCluster(dir);
        cluster.startWithGateway("--nodes", "3", "--rf", "2").expectExit(0);
        final JsonNode first = cluster.status().get("gateway");
        final String firstAddress = URI.create(first.get("url").asText()).getAuthority();
        final String secondAddress = "127.0.0.1:" + freePort();
        final RfsCli second = new RfsCli(Files.createDirectories(dir.resolve("gateway-2")), dir.resolve("rfs-home"))
            .store("cluster");
        final Process secondGateway = second.start("gateway", "--listen", secondAddress,
            "--credentials", first.get("credentials").asText());
        processes.add(secondGateway);
        awaitReady(dir.resolve("gateway-2/run-1.out"), secondGateway);

        final int frontendPort = freePort();
        final int statsPort = freePort();
        final Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, haproxyConfig(frontendPort, statsPort, List.of(firstAddress, secondAddress)));
        final Process balancer = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        processes.add(balancer);
        for (final String gateway : List.of(firstAddress, secondAddress))
        {
            awaitChecked(gateway, balancer);
        }

        final AtomicLong served = new AtomicLong();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger stop = new AtomicInteger();
        final List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++)
        {
            final int client = c;
            final Thread thread = new Thread(() -> run(client, frontendPort, first, served, failures, stop),
                "s3-client-" + c);
            thread.start();
            clients.add(thread);
        }
        awaitServed(served, REQUESTS_BEFORE_KILL, failures);
        final long firstBefore = sum(OBJECT_REQUESTS, metrics(firstAddress));
        final long secondBefore = sum(OBJECT_REQUESTS, metrics(secondAddress));
        final ProcessHandle killed = ProcessHandle.of(first.get("pid").asLong()).orElseThrow();
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);
        final long servedAtKill = served.get();
        awaitServed(served, servedAtKill + REQUESTS_AFTER_KILL, failures);
        stop.set(1);
        for (final Thread thread : clients)
        {
            thread.join(TimeUnit.SECONDS.toMillis(120));
        }

        final String log = Files.readString(dir.resolve("haproxy.log"));
        final long retried = backendStat(statsPort, "wretr") + backendStat(statsPort, "wredis");
        System.out.printf("%d requests served, %d after the kill; HAProxy retried or redispatched %d%n",
            served.get(), served.get() - servedAtKill, retried);
        assertThat(failures).as("client requests that failed through HAProxy").isEmpty();
        assertThat(log).as("HAProxy's active check took gateway 1 out").contains("gateway-1 is DOWN");
        assertThat(retried).as("requests HAProxy sent again after the kill (retries, redispatches)").isPositive();
        assertThat(firstBefore).as("object requests gateway 1 served before it was killed").isPositive();
        assertThat(secondBefore).as("object requests gateway 2 served before the kill").isPositive();
        assertThat(sum(OBJECT_REQUESTS, metrics(secondAddress)) - secondBefore)
            .as("gateway 2 took over").isGreaterThanOrEqualTo(REQUESTS_AFTER_KILL);
        assertThat(balancer.isAlive()).isTrue();
    }

    /**
     * One client: puts an object, gets it back and compares, again and again, with the SDK's own retries off so
     * that only HAProxy can hide a failure.
     */
    private static void run(final int client, final int frontendPort, final JsonNode gateway, final AtomicLong served,
        final List<String> failures, final AtomicInteger stop)
    {
        final SplittableRandom random = new SplittableRandom(client);
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + frontendPort))
            .region(Region.US_EAST_1).forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                gateway.get("accessKeyId").asText(), gateway.get("secretAccessKey").asText())))
            .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
            .build())
        {
            final String bucket = "lb-" + client;
            s3.createBucket(b -> b.bucket(bucket));
            for (int i = 0; stop.get() == 0 && failures.size() < 10; i++)
            {
                final byte[] bytes = new byte[OBJECT_BYTES];
                random.nextBytes(bytes);
                final String key = "object-" + i;
                try
                {
                    s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
                    served.incrementAndGet();
                    final byte[] read = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                    served.incrementAndGet();
                    if (!Arrays.equals(read, bytes))
                    {
                        failures.add(bucket + "/" + key + ": read back " + read.length + " different bytes");
                    }
                }
                catch (final RuntimeException ex)
                {
                    failures.add(bucket + "/" + key + ": " + ex);
                }
            }
        }
        catch (final RuntimeException ex)
        {
            failures.add("client " + client + ": " + ex);
        }
    }

    private static void awaitServed(final AtomicLong served, final long count, final List<String> failures)
        throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (served.get() < count && failures.isEmpty())
        {
            assertThat(System.nanoTime() - deadlineNs).as("%d of %d requests served", served.get(), count)
                .isNegative();
            Thread.sleep(20);
        }
    }

    private void awaitReady(final Path out, final Process process) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(RfsCli.TIMEOUT_S);
        while (!Files.readString(out, StandardCharsets.UTF_8).contains("READY gateway="))
        {
            assertThat(process.isAlive()).as("gateway 2 exited; see %s", out).isTrue();
            assertThat(System.nanoTime() - deadlineNs).as("gateway 2 not ready; see %s", out).isNegative();
            Thread.sleep(100);
        }
    }

    /**
     * Waits until HAProxy has checked the gateway's {@code /health} often enough ({@code rise 2}) to send it
     * requests.
     */
    private void awaitChecked(final String gateway, final Process balancer) throws Exception
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sum(HEALTH_CHECKS, metrics(gateway)) < 3)
        {
            assertThat(balancer.isAlive()).as("haproxy exited: %s", Files.readString(dir.resolve("haproxy.log")))
                .isTrue();
            assertThat(System.nanoTime() - deadlineNs).as("haproxy did not check %s", gateway).isNegative();
            Thread.sleep(100);
        }
    }

    private String metrics(final String gateway) throws IOException, InterruptedException
    {
        final HttpResponse<InputStream> response = http.send(
            HttpRequest.newBuilder(URI.create("http://" + gateway + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body())
        {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * @return a counter of the {@code gateways} backend in HAProxy's CSV statistics, e.g. {@code wretr}.
     */
    private long backendStat(final int statsPort, final String column) throws IOException, InterruptedException
    {
        final String csv = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        final List<String> lines = csv.lines().toList();
        final List<String> header = Arrays.asList(lines.get(0).replaceFirst("^# ", "").split(",", -1));
        for (final String line : lines)
        {
            final String[] fields = line.split(",", -1);
            if (fields.length > 1 && "gateways".equals(fields[0]) && "BACKEND".equals(fields[1]))
            {
                final String value = fields[header.indexOf(column)];
                return value.isEmpty() ? 0 : Long.parseLong(value);
            }
        }
        throw new AssertionError("no gateways BACKEND line in HAProxy's statistics: " + csv);
    }

    private static long sum(final Pattern pattern, final String metrics)
    {
        long sum = 0;
        final Matcher matcher = pattern.matcher(metrics);
        while (matcher.find())
        {
            sum += Long.parseLong(matcher.group(1));
        }
        return sum;
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
