package io.rfs.tools;

import io.rfs.store.StoreDirectory;
import io.rfs.tools.bench.NodeControl;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts nodes of the local multi-process cluster ({@code rfs cluster start}) for {@code rfs bench}'s
 * failover and repair workloads: a node is stopped with SIGKILL, as a crash would, and started again as {@code rfs cluster
 * start} starts the nodes that are not running.
 */
final class LocalClusterNodeControl implements NodeControl
{
    private static final long EXIT_TIMEOUT_S = 30;

    private final Path dataDirectory;
    private final ClusterDirectory directory;

    /**
     * @param dataDirectory the data directory that holds the cluster ({@code DATA/cluster}).
     */
    LocalClusterNodeControl(final Path dataDirectory)
    {
        this.dataDirectory = dataDirectory;
        this.directory = new ClusterDirectory(dataDirectory);
    }

    /**
     * @param dataDirectory a data directory.
     * @return true if it holds a cluster that {@code rfs cluster start} made, whose nodes this process can stop.
     */
    static boolean isLocal(final Path dataDirectory)
    {
        return new ClusterDirectory(dataDirectory).exists();
    }

    @Override
    public List<Integer> nodeIds()
    {
        try
        {
            return ClusterSpec.load(directory.clusterProperties()).members();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + directory.clusterProperties() + ": " + ex.getMessage(),
                ex);
        }
    }

    @Override
    public String stop(final int nodeId) throws IOException
    {
        final Optional<ProcessHandle> process = new LocalNode(nodeId, directory).running();
        if (process.isEmpty())
        {
            throw new IOException("node " + nodeId + " of " + directory.root() + " is not running");
        }
        process.get().destroyForcibly();
        try
        {
            process.get().onExit().get(EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IOException("node " + nodeId + " (pid " + process.get().pid() + ") did not exit after SIGKILL",
                ex);
        }
        return "SIGKILL to pid " + process.get().pid();
    }

    @Override
    public void start(final int nodeId) throws IOException
    {
        final StringWriter output = new StringWriter();
        try (PrintWriter writer = new PrintWriter(output))
        {
            final int exit = Rfs.commandLine(writer, writer)
                .execute("cluster", "start", "--data", dataDirectory.toString());
            if (exit != Rfs.EXIT_OK)
            {
                throw new IOException("could not start node " + nodeId + " again (rfs cluster start exit " + exit +
                    "): " + output.toString().trim());
            }
        }
    }

    @Override
    public String wipeChunks(final int nodeId) throws IOException
    {
        final String how = stop(nodeId);
        final Path chunks = directory.nodeData(nodeId).resolve(StoreDirectory.CHUNKS_DIRECTORY);
        NodeRetirement.deleteTree(chunks);
        start(nodeId);
        return how + ", then " + chunks + " deleted";
    }

    /**
     * Not offered: a node process takes {@code storage.chunk.read.delay} from its properties at start, and
     * {@code rfs cluster start} writes every node's properties from the cluster's, so one node cannot be given a
     * delay of its own this way.
     */
    @Override
    public String slowDown(final int nodeId, final long chunkReadDelayNs) throws IOException
    {
        throw new IOException("the nodes of " + directory.root() + " share their settings: one cannot be slowed down");
    }
}
