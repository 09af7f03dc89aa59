package io.rfs.tools;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import io.rfs.store.ByteSize;
import io.rfs.store.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code rfs cluster start}: starts every node of the local cluster that is not running, each in its own JVM
 * ({@code java -jar rfs.jar serve --config node-<id>.properties}), waits until each has printed READY, and prints
 * what runs. The first run creates the cluster: ports, secrets, settings; later runs restart the nodes that are
 * down, on their data, with the same settings.
 */
@Command(
    name = "start",
    description = {
        "Start a cluster of nodes on loopback, one JVM each, under $RFS_HOME/cluster; run again, restart the nodes " +
            "that are not running, with their data.",
        "Waits until every node is ready and prints one line per node: id, address, pid, data directory; then starts",
        "the S3 gateway (unless --no-gateway) and prints its URL and access key id."})
final class ClusterStartCommand extends ClusterSubcommand
{
    static final int NODES_DEFAULT = 5;
    static final int MAX_NODES = 64;
    static final String HEAP_DEFAULT = "128m";
    /** Direct memory a node may take beyond its two storage rings (transport buffers, decompression). */
    static final long DIRECT_MEMORY_MARGIN = 64L * 1024 * 1024;
    private static final long POLL_INTERVAL_MS = 20;

    @Option(names = "--nodes", paramLabel = "N",
        description = "Nodes in a new cluster, ids 1..N (default " + NODES_DEFAULT + "); must match a started one.")
    Integer nodes;

    @Option(names = "--rf", paramLabel = "N",
        description = "Replication factor N of a new cluster (default 3, or --nodes if fewer); must match a " +
            "started one.")
    Integer replicationFactor;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "A node setting (docs/CONFIGURATION.md) for every node, repeatable. Kept for restarts; " +
            "adding or changing one later needs every node stopped.")
    Map<String, String> settings;

    @Option(names = "--heap", paramLabel = "SIZE",
        description = "Java heap of each node, e.g. 64m (default " + HEAP_DEFAULT + "); kept for restarts.")
    String heap;

    @Option(names = "--no-gateway", description = "Do not start the S3 gateway (docs/GATEWAY.md) with the nodes.")
    boolean noGateway;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
        description = "How long to wait for every node to be ready (default ${DEFAULT-VALUE}).")
    int timeoutS;

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        if (timeoutS < 1)
        {
            throw usageError("--timeout must be at least 1 second, is " + timeoutS);
        }
        final Path jar = runningJar();
        final FileChannel lock = directory.lock();
        try
        {
            return start(directory, jar);
        }
        finally
        {
            lock.close();
        }
    }

    private int start(final ClusterDirectory directory, final Path jar) throws IOException
    {
        final ClusterSpec spec = directory.exists() ? restart(directory) : create();
        final String clusterSecret = directory.secretIfPresent(directory.clusterSecret());
        final String clientSecret = directory.secretIfPresent(directory.clientSecret());
        final List<LocalNode> nodes = nodes(spec, directory);
        final Map<Integer, NodeContext> contexts = check(spec, directory, clusterSecret, clientSecret);

        ClusterDirectory.writePrivate(directory.clusterProperties(), spec.toProperties());
        final String clusterSecretUsed = directory.secret(directory.clusterSecret());
        final String clientSecretUsed = directory.secret(directory.clientSecret());
        ClusterDirectory.writePrivate(directory.clientProperties(), spec.clientProperties(clientSecretUsed));

        final List<LocalNode.Start> starts = new ArrayList<>();
        for (final LocalNode node : nodes)
        {
            if (node.running().isPresent())
            {
                continue;
            }
            node.clearPid();
            ClusterDirectory.writePrivate(node.config(), "# Written by rfs cluster start; see docs/CLUSTER.md.\n" +
                ClusterSpec.toPropertiesText(spec.nodeSettings(
                    node.id(), node.dataDirectory(), clusterSecretUsed, clientSecretUsed)));
            starts.add(node.start(jar, jvmOptions(spec, contexts.get(node.id()))));
        }
        awaitReady(starts, timeoutS);

        for (final LocalNode node : nodes)
        {
            final Optional<ProcessHandle> process = node.running();
            final boolean started = starts.stream().anyMatch(start -> start.node() == node);
            out().printf("node %d  %s  pid %s  %s  %s%n", node.id(), spec.addresses().get(node.id()),
                process.map(p -> Long.toString(p.pid())).orElse("-"), node.dataDirectory(),
                started ? "started" : "already running");
        }
        if (!noGateway)
        {
            startGateway(new LocalGateway(directory), jar);
        }
        out().printf("%d nodes, N=%d, in %s; clients read %s%n", nodes.size(), spec.replicationFactor(),
            directory.root(), directory.clientProperties());
        out().flush();
        return Rfs.EXIT_OK;
    }

    /**
     * Starts the cluster's S3 gateway unless it runs, and prints its line: URL, pid, access key id, credentials file
     * (the secret is there, owner-only; {@code rfs cluster status --json} shows it too).
     */
    private void startGateway(final LocalGateway gateway, final Path jar) throws IOException
    {
        final Optional<ProcessHandle> running = gateway.running();
        final ProcessHandle process = running.isPresent() ? running.get() : gateway.start(jar, timeoutS);
        out().printf("gateway  %s  pid %d  accessKeyId %s  credentials %s  %s%n", gateway.url(), process.pid(),
            gateway.keys().keySet().iterator().next(), gateway.credentials(),
            running.isPresent() ? "already running" : "started");
    }

    /**
     * A new cluster: the options, or their defaults, and a free loopback port per node.
     */
    private ClusterSpec create() throws IOException
    {
        final int nodeCount = nodes != null ? nodes : NODES_DEFAULT;
        final int rf = replicationFactor != null ?
            replicationFactor : Math.min(NodeContext.REPLICATION_FACTOR_DEFAULT, nodeCount);
        if (nodeCount < 1 || nodeCount > MAX_NODES)
        {
            throw usageError("--nodes must be 1.." + MAX_NODES + ", is " + nodeCount);
        }
        if (rf < 1 || rf > nodeCount)
        {
            throw usageError("--rf must be 1..--nodes (" + nodeCount + "), is " + rf);
        }
        final SortedMap<Integer, String> ports = freePorts(2 * nodeCount);
        return new ClusterSpec(nodeCount, rf, checkedHeap(heap != null ? heap : HEAP_DEFAULT),
            ports.headMap(nodeCount + 1), shifted(ports.tailMap(nodeCount + 1), nodeCount),
            checkedSettings(settings != null ? settings : Map.of()));
    }

    private static SortedMap<Integer, String> shifted(final SortedMap<Integer, String> ports, final int by)
    {
        final SortedMap<Integer, String> result = new TreeMap<>();
        ports.forEach((id, address) -> result.put(id - by, address));
        return result;
    }

    /**
     * The cluster recorded in the directory: {@code --nodes} and {@code --rf} must agree with it. {@code --set}
     * settings are added to the recorded ones (replacing those of the same key) and {@code --heap} replaces the
     * recorded heap, but only while every node is down: running nodes cannot take new settings, and a cluster whose
     * nodes run with different settings would be hard to reason about.
     */
    private ClusterSpec restart(final ClusterDirectory directory) throws IOException
    {
        final List<LocalNode> running = new ArrayList<>();
        final ClusterSpec existing = existing(directory);
        if (nodes != null && nodes != existing.nodes())
        {
            throw usageError("the cluster in " + directory.root() + " has " + existing.nodes() + " nodes, not " +
                nodes + "; stop it and remove that directory to start a different one");
        }
        if (replicationFactor != null && replicationFactor != existing.replicationFactor())
        {
            throw usageError("the cluster in " + directory.root() + " has N=" + existing.replicationFactor() +
                ", not " + replicationFactor + "; stop it and remove that directory to start a different one");
        }
        for (final LocalNode node : nodes(existing, directory))
        {
            if (node.running().isPresent())
            {
                running.add(node);
            }
        }
        final SortedMap<String, String> newSettings = new TreeMap<>(existing.settings());
        if (settings != null)
        {
            newSettings.putAll(checkedSettings(settings));
        }
        final String newHeap = heap != null ? checkedHeap(heap) : existing.heap();
        final boolean changed = !newSettings.equals(existing.settings()) || !newHeap.equals(existing.heap());
        if (changed && !running.isEmpty())
        {
            throw usageError("--set and --heap must match the running cluster's (" + existing.settings() +
                ", heap " + existing.heap() + "); run rfs cluster stop first to change them");
        }
        return new ClusterSpec(existing.nodes(), existing.replicationFactor(), newHeap, existing.addresses(),
            existing.httpAddresses(), newSettings, existing.voters(), existing.zones(), existing.weights(),
            existing.removed());
    }

    private SortedMap<String, String> checkedSettings(final Map<String, String> given)
    {
        final SortedMap<String, String> checked = new TreeMap<>();
        for (final Map.Entry<String, String> setting : given.entrySet())
        {
            final String key = setting.getKey().trim();
            if (ClusterSpec.MANAGED_SETTINGS.contains(key))
            {
                throw usageError("--set " + key + ": rfs cluster start sets it itself" +
                    (key.equals(NodeContext.REPLICATION_FACTOR_PROP) ? "; use --rf" : ""));
            }
            if (!NodeProperties.keys().contains(key))
            {
                throw usageError("--set " + key + ": not a node setting; the settings are listed in " +
                    "docs/CONFIGURATION.md: " + String.join(", ", NodeProperties.keys()));
            }
            checked.put(key, setting.getValue().trim());
        }
        return checked;
    }

    private String checkedHeap(final String size)
    {
        final long bytes;
        try
        {
            bytes = ByteSize.parse("--heap", size.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw usageError("--heap " + size + ": must be a size such as 64m or 1g");
        }
        if (bytes < 16L * 1024 * 1024)
        {
            throw usageError("--heap " + size + ": must be at least 16m");
        }
        return bytes / (1024 * 1024) + "m";
    }

    /**
     * Reads every node's settings as the node will, before anything is written or started, so that a bad
     * {@code --set} value is a usage error naming the setting rather than N failed starts.
     */
    private Map<Integer, NodeContext> check(
        final ClusterSpec spec, final ClusterDirectory directory, final String clusterSecret,
        final String clientSecret)
    {
        // A placeholder stands for a secret not yet generated: it is checked for length only.
        final String placeholder = "x".repeat(ClusterDirectory.SECRET_LENGTH);
        final Map<Integer, NodeContext> contexts = new TreeMap<>();
        for (final LocalNode node : nodes(spec, directory))
        {
            try
            {
                contexts.put(node.id(), NodeProperties.parse(spec.nodeSettings(node.id(), node.dataDirectory(),
                    clusterSecret != null ? clusterSecret : placeholder,
                    clientSecret != null ? clientSecret : placeholder)).conclude());
            }
            catch (final ConfigurationException ex)
            {
                throw usageError("--set: " + ex.getMessage());
            }
        }
        return contexts;
    }

    /**
     * The node's JVM: a small heap, and direct memory for its two storage rings (Agrona allocates them direct, and
     * the JVM's default limit is the heap size) plus a margin.
     */
    static List<String> jvmOptions(final ClusterSpec spec, final NodeContext context)
    {
        final long directBytes = (long)context.storageQueueCapacity() + context.storageResultsCapacity() +
            DIRECT_MEMORY_MARGIN;
        return List.of("-Xmx" + spec.heap(), "-XX:MaxDirectMemorySize=" + directBytes, "-XX:+UseSerialGC");
    }

    /**
     * Waits for every node to print READY, failing for the ones that exit first or do not in time (those are
     * killed so that the next start tries them again).
     */
    static void awaitReady(final List<LocalNode.Start> starts, final int timeoutS) throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        final List<LocalNode.Start> waiting = new ArrayList<>(starts);
        final StringBuilder failures = new StringBuilder();
        int exitStatus = Rfs.EXIT_FAILED;
        boolean usage = false;
        while (!waiting.isEmpty())
        {
            for (final var iterator = waiting.iterator(); iterator.hasNext(); )
            {
                final LocalNode.Start start = iterator.next();
                final LocalNode node = start.node();
                if (start.isReady())
                {
                    iterator.remove();
                }
                else if (!start.process().isAlive())
                {
                    final int status = start.process().exitValue();
                    usage |= status == Rfs.EXIT_USAGE;
                    failures.append(failures.length() == 0 ? "" : "\n").append("node ").append(node.id())
                        .append(" exited with status ").append(status).append(" before it was ready; the end of ")
                        .append(node.log()).append(':').append(start.logTail());
                    node.clearPid();
                    iterator.remove();
                }
                else if (System.nanoTime() - deadlineNs > 0)
                {
                    start.process().destroyForcibly();
                    failures.append(failures.length() == 0 ? "" : "\n").append("node ").append(node.id())
                        .append(" was not ready after ").append(timeoutS).append(" s and was killed; the end of ")
                        .append(node.log()).append(':').append(start.logTail());
                    node.clearPid();
                    iterator.remove();
                }
            }
            if (!waiting.isEmpty())
            {
                sleep();
            }
        }
        if (failures.length() > 0)
        {
            if (usage)
            {
                exitStatus = Rfs.EXIT_USAGE;
            }
            throw new ClusterException("the cluster did not start:\n" + failures +
                "\nfix the cause and run rfs cluster start again: it starts the nodes that are not running", exitStatus);
        }
    }

    /**
     * A node's READY line arrives in a file written by another process, which offers nothing to wait on: look
     * again after a short pause.
     */
    private static void sleep() throws IOException
    {
        try
        {
            Thread.sleep(POLL_INTERVAL_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the nodes to start", ex);
        }
    }

    /**
     * Picks {@code count} free ports on loopback, numbered from 1, holding each until all are picked so none repeats.
     */
    static SortedMap<Integer, String> freePorts(final int count) throws IOException
    {
        final List<ServerSocket> sockets = new ArrayList<>();
        final SortedMap<Integer, String> addresses = new TreeMap<>();
        try
        {
            for (int id = 1; id <= count; id++)
            {
                final ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                addresses.put(id, "127.0.0.1:" + socket.getLocalPort());
            }
        }
        finally
        {
            for (final ServerSocket socket : sockets)
            {
                socket.close();
            }
        }
        return addresses;
    }

    /**
     * @return the jar this command runs from, which every node runs too.
     * @throws ClusterException if this is not running from a jar (say, from a build's classes directory).
     */
    static Path runningJar() throws ClusterException
    {
        Path location = null;
        try
        {
            final var source = Rfs.class.getProtectionDomain().getCodeSource();
            if (source != null)
            {
                location = Path.of(source.getLocation().toURI());
            }
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            location = null;
        }
        if (location == null || !Files.isRegularFile(location) || !location.toString().endsWith(".jar"))
        {
            throw new ClusterException("rfs cluster start starts each node as java -jar rfs.jar serve, so it must " +
                "itself run from rfs.jar (java -jar rfs.jar or the ./rfs launcher); it runs from " + location,
                Rfs.EXIT_FAILED);
        }
        return location;
    }
}
