package io.rfs.tools;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A {@code rfs cluster} subcommand: finds the cluster directory through the data directory ({@code --data}, else
 * {@code $RFS_HOME}, else {@code ~/.rfs}) and turns a {@link ClusterException} into its message and exit status.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    sortOptions = false,
    usageHelpAutoWidth = true)
abstract class ClusterSubcommand implements Callable<Integer>
{
    /** Exit status of {@code stop} and {@code status} when no cluster was ever started here. */
    static final int EXIT_NO_CLUSTER = Rfs.EXIT_USAGE;

    @Mixin
    CommonOptions common;

    @ParentCommand
    ClusterCommand cluster;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws IOException
    {
        try
        {
            return run(new ClusterDirectory(
                common.data != null ? common.data : cluster.rfs.common.dataDirectory()));
        }
        catch (final ClusterException ex)
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("rfs: " + ex.getMessage());
            err.flush();
            return ex.exitStatus();
        }
    }

    /**
     * @param directory the cluster directory.
     * @return the exit status.
     * @throws IOException on a failure, a {@link ClusterException} with the status to exit with.
     */
    abstract int run(ClusterDirectory directory) throws IOException;

    /**
     * @param directory the cluster directory.
     * @return what was started there.
     * @throws ClusterException with {@link #EXIT_NO_CLUSTER} if nothing was.
     * @throws IOException      if {@code cluster.properties} cannot be read.
     */
    static ClusterSpec existing(final ClusterDirectory directory) throws IOException
    {
        if (!directory.exists())
        {
            throw new ClusterException("no cluster in " + directory.root() + "; start one with rfs cluster start",
                EXIT_NO_CLUSTER);
        }
        return ClusterSpec.load(directory.clusterProperties());
    }

    /**
     * @param spec      the cluster.
     * @param directory its directory.
     * @return its members ({@link ClusterSpec#members()}): the nodes start, stop and status deal with.
     */
    static List<LocalNode> nodes(final ClusterSpec spec, final ClusterDirectory directory)
    {
        final List<LocalNode> nodes = new ArrayList<>();
        for (final int id : spec.members())
        {
            nodes.add(new LocalNode(id, directory));
        }
        return nodes;
    }

    /**
     * Rewrites every node's settings file (but one's) and the clients' from the spec, so that a restart builds the
     * ring the cluster now runs on before it has replayed its log.
     *
     * @param spec          the cluster as it now is.
     * @param directory     its directory.
     * @param clusterSecret the nodes' secret.
     * @param clientSecret  the clients' secret.
     * @param except        a node whose file was just written, or -1.
     * @param command       the command that writes, for the files' header.
     * @throws IOException if a file cannot be written.
     */
    static void rewriteSettings(
        final ClusterSpec spec, final ClusterDirectory directory, final String clusterSecret,
        final String clientSecret, final int except, final String command) throws IOException
    {
        for (final LocalNode node : nodes(spec, directory))
        {
            if (node.id() != except)
            {
                ClusterDirectory.writePrivate(node.config(), "# Written by rfs cluster " + command + "; see " +
                    "docs/CLUSTER.md.\n" + ClusterSpec.toPropertiesText(spec.nodeSettings(node.id(),
                    node.dataDirectory(), clusterSecret, clientSecret)));
            }
        }
        ClusterDirectory.writePrivate(directory.clientProperties(), spec.clientProperties(clientSecret));
    }

    /**
     * @param node a node whose properties file was written.
     * @return its {@code shutdown.timeout}, read as the node reads it; the default if the file is unreadable or
     * wrong (the node could not have started on it either).
     */
    static long shutdownTimeoutNs(final LocalNode node)
    {
        try
        {
            return NodeProperties.load(node.config(), Map.of()).shutdownTimeoutNs();
        }
        catch (final IOException | RuntimeException ex)
        {
            return NodeContext.SHUTDOWN_TIMEOUT_NS_DEFAULT;
        }
    }

    /**
     * @return where normal output goes.
     */
    PrintWriter out()
    {
        return spec.commandLine().getOut();
    }

    /**
     * @param message what is wrong with the arguments.
     * @return a usage error for this command, to throw.
     */
    ParameterException usageError(final String message)
    {
        return new ParameterException(spec.commandLine(), message);
    }
}
