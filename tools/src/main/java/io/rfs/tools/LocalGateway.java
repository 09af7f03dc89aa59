package io.rfs.tools;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The local cluster's S3 gateway ({@code rfs gateway --store cluster}, docs/GATEWAY.md) as the operating system sees
 * it: its files under the cluster directory, its process, how it is started and stopped.
 * <ul>
 * <li>{@code gateway.properties}: {@code listen=127.0.0.1:PORT}, picked free at its first start and kept, so its URL
 * stays the same across restarts;</li>
 * <li>{@code gateway-credentials.properties}: its access key, generated at its first start, owner-only (mode 600);</li>
 * <li>{@code gateway.log}, {@code gateway.pid}: as a node's.</li>
 * </ul>
 */
final class LocalGateway
{
    /** The gateway's JVM heap: its request windows plus the default chunk cache. */
    static final String HEAP = "512m";
    private static final String LISTEN_PROP = "listen";

    private final ClusterDirectory directory;

    LocalGateway(final ClusterDirectory directory)
    {
        this.directory = directory;
    }

    Path properties()
    {
        return directory.root().resolve("gateway.properties");
    }

    Path credentials()
    {
        return directory.root().resolve("gateway-credentials.properties");
    }

    Path log()
    {
        return directory.root().resolve("gateway.log");
    }

    private Path pidFile()
    {
        return directory.root().resolve("gateway.pid");
    }

    /**
     * @return whether a gateway was ever started for this cluster.
     */
    boolean exists()
    {
        return Files.isRegularFile(properties());
    }

    /**
     * @return its {@code host:port}.
     * @throws IOException if {@link #properties()} cannot be read or names none.
     */
    String address() throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(properties(), StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        final String listen = properties.getProperty(LISTEN_PROP);
        if (listen == null || listen.isBlank())
        {
            throw new ClusterException(properties() + " names no " + LISTEN_PROP + "=HOST:PORT; remove it to have " +
                "a new one made", Rfs.EXIT_FAILED);
        }
        return listen.trim();
    }

    /**
     * @return {@code http://host:port}.
     * @throws IOException as {@link #address()}.
     */
    String url() throws IOException
    {
        return "http://" + address();
    }

    /**
     * @return its access keys (the first is the one to use).
     * @throws IOException if the credentials file cannot be read.
     */
    Map<String, String> keys() throws IOException
    {
        return GatewayCredentials.load(credentials());
    }

    /**
     * @return its process if it runs.
     * @throws IOException if its pid file cannot be read.
     */
    Optional<ProcessHandle> running() throws IOException
    {
        return DetachedProcess.running(pidFile(), credentials().toString());
    }

    /**
     * Starts the gateway, detached, over the cluster's client settings, making its address and credentials first if
     * this is its first start, and waits for its READY line.
     *
     * @param jar      the rfs jar.
     * @param timeoutS how long to wait.
     * @return its process.
     * @throws IOException {@link ClusterException} if it exits or is not ready in time (it is killed then).
     */
    ProcessHandle start(final Path jar, final int timeoutS) throws IOException
    {
        if (!exists())
        {
            ClusterDirectory.writePrivate(properties(), "# Written by rfs cluster start; see docs/CLUSTER.md.\n" +
                LISTEN_PROP + "=" + freeLoopbackAddress() + "\n");
        }
        GatewayCredentials.generateIfAbsent(credentials());
        final Path log = log();
        final long logOffset = Files.exists(log) ? Files.size(log) : 0;
        final Process process = DetachedProcess.start(directory.root(), jar,
            List.of("-Xmx" + HEAP, "-XX:G1HeapRegionSize=4m"),
            List.of("gateway", "--data", directory.root().getParent().toString(), "--store", "cluster",
                "--listen", address(), "--credentials", credentials().toString()), log, pidFile());
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (DetachedProcess.line(log, logOffset, "READY gateway=").isEmpty())
        {
            if (!process.isAlive())
            {
                Files.deleteIfExists(pidFile());
                throw new ClusterException("the gateway exited with status " + process.exitValue() +
                    " before it was ready; the end of " + log + ':' + DetachedProcess.logTail(log, logOffset) +
                    "\nfix the cause and run rfs cluster start again (or start with --no-gateway)", Rfs.EXIT_FAILED);
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                process.destroyForcibly();
                Files.deleteIfExists(pidFile());
                throw new ClusterException("the gateway was not ready after " + timeoutS + " s and was killed; " +
                    "the end of " + log + ':' + DetachedProcess.logTail(log, logOffset), Rfs.EXIT_FAILED);
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the gateway to start", ex);
            }
        }
        return process.toHandle();
    }

    /**
     * Stops the gateway if it runs: SIGTERM (it stops listening, lets requests in progress finish for a second,
     * closes its client), then SIGKILL if it has not exited within {@code timeoutNs}.
     *
     * @param timeoutNs how long it gets after SIGTERM.
     * @return the process stopped, and whether it needed SIGKILL; empty if it was not running.
     * @throws IOException if its pid file cannot be read or removed.
     */
    Optional<Stopped> stop(final long timeoutNs) throws IOException
    {
        final Optional<ProcessHandle> process = running();
        Optional<Stopped> stopped = Optional.empty();
        if (process.isPresent())
        {
            process.get().destroy();
            boolean killed = false;
            if (!ClusterStopCommand.awaitExit(process.get(), timeoutNs))
            {
                process.get().destroyForcibly();
                ClusterStopCommand.awaitExit(process.get(), timeoutNs);
                killed = true;
            }
            stopped = Optional.of(new Stopped(process.get().pid(), killed));
        }
        Files.deleteIfExists(pidFile());
        return stopped;
    }

    /**
     * @param pid    the process stopped.
     * @param killed whether it had to be killed (SIGKILL).
     */
    record Stopped(long pid, boolean killed)
    {
    }

    private static String freeLoopbackAddress() throws IOException
    {
        try (ServerSocket socket = new ServerSocket())
        {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

}
