package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A local cluster under a test's own {@code RFS_HOME}, driven through the real jar ({@code rfs cluster ...}), with
 * small nodes so that a test stays short, and a {@link #killAll()} for teardown: the nodes are detached from every
 * {@code rfs} process, so nothing else would end them.
 */
final class LocalCluster
{
    /** Node settings that keep a test's nodes small: small segments and rings, a short graceful stop. */
    static final List<String> SMALL_NODES = List.of(
        "--heap", "64m",
        "--set", "storage.results.capacity=1M",
        "--set", "storage.chunk.segment.capacity=4M",
        "--set", "storage.manifest.segment.capacity=1M",
        "--set", "shutdown.timeout=2s");

    private final Path dir;
    private final RfsCli rfs;
    private final Path home;

    /**
     * @param dir the test's scratch directory; {@code RFS_HOME} is {@code dir/rfs-home}.
     */
    LocalCluster(final Path dir) throws IOException
    {
        this.dir = dir;
        this.rfs = new RfsCli(dir);
        this.home = dir.resolve("rfs-home");
    }

    /**
     * @return {@code $RFS_HOME/cluster}.
     */
    Path directory()
    {
        return home.resolve("cluster");
    }

    /**
     * Runs {@code rfs ARGS...} with this cluster's {@code RFS_HOME}.
     */
    RfsCli.Result run(final String... args) throws Exception
    {
        return rfs.runRaw(null, Map.of("RFS_HOME", home.toString()), List.of(args));
    }

    /**
     * Runs {@code rfs ARGS...} with this cluster's {@code RFS_HOME} in a JVM whose heap is at most {@code maxHeap}
     * (e.g. {@code 32m}), for tests that prove a command's memory bounded. Its output goes under
     * {@code dir/heap-<maxHeap>}.
     */
    RfsCli.Result runWithHeap(final String maxHeap, final String... args) throws Exception
    {
        return new RfsCli(dir.resolve("heap-" + maxHeap)).heap(maxHeap)
            .runRaw(null, Map.of("RFS_HOME", home.toString()), List.of(args));
    }

    /**
     * Runs {@code rfs cluster start SMALL_NODES... --no-gateway ARGS...}: most tests need no S3 gateway.
     */
    RfsCli.Result start(final String... args) throws Exception
    {
        final List<String> withoutGateway = new ArrayList<>(List.of("--no-gateway"));
        withoutGateway.addAll(List.of(args));
        return startWithGateway(withoutGateway.toArray(String[]::new));
    }

    /**
     * Runs {@code rfs cluster start SMALL_NODES... ARGS...}, which starts the S3 gateway too. A {@code --set} in
     * {@code args} of a key that {@link #SMALL_NODES} sets too wins, as the later one does.
     */
    RfsCli.Result startWithGateway(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("cluster", "start"));
        command.addAll(SMALL_NODES);
        command.addAll(List.of(args));
        return rfs.runRaw(null, Map.of("RFS_HOME", home.toString()), command);
    }

    /**
     * @return {@code rfs cluster status --json}, parsed, and its exit code checked against the nodes' states.
     */
    JsonNode status() throws Exception
    {
        final RfsCli.Result result = run("cluster", "status", "--json");
        final JsonNode status = JsonOutput.object(result);
        final boolean allUp = status.get("nodesUp").asInt() == status.get("nodes").size();
        result.expectExit(allUp ? 0 : 1);
        return status;
    }

    /**
     * @param status what {@link #status()} returned.
     * @param nodeId a node id.
     * @return that node's entry.
     */
    static JsonNode node(final JsonNode status, final int nodeId)
    {
        for (final JsonNode node : status.get("nodes"))
        {
            if (node.get("id").asInt() == nodeId)
            {
                return node;
            }
        }
        throw new AssertionError("no node " + nodeId + " in " + status);
    }

    /**
     * Kills every process a pid file of the cluster names, and waits for each to exit. For teardown.
     */
    void killAll() throws IOException, InterruptedException
    {
        if (!Files.isDirectory(directory()))
        {
            return;
        }
        final List<ProcessHandle> killed = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory()))
        {
            for (final Path pidFile : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".pid"))::iterator)
            {
                final long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
                ProcessHandle.of(pid)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(directory().toString())).orElse(false))
                    .ifPresent(p ->
                    {
                        p.destroyForcibly();
                        killed.add(p);
                    });
            }
        }
        for (final ProcessHandle process : killed)
        {
            try
            {
                process.onExit().get(30, TimeUnit.SECONDS);
            }
            catch (final Exception ex)
            {
                throw new AssertionError("node process " + process.pid() + " did not die on SIGKILL", ex);
            }
        }
    }
}
