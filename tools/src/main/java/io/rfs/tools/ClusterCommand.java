package io.rfs.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code rfs cluster start|stop|status|add-node|remove-node|set-weight}: a real multi-process cluster on this host's loopback
 * interface, one JVM per node, its state under {@code $RFS_HOME/cluster} ({@code docs/CLUSTER.md}).
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = RfsVersion.class,
    description = "Start, stop and inspect a local multi-process cluster under $RFS_HOME/cluster.",
    subcommands = {ClusterStartCommand.class, ClusterStopCommand.class, ClusterStatusCommand.class,
        ClusterAddNodeCommand.class, ClusterRemoveNodeCommand.class, ClusterSetWeightCommand.class})
final class ClusterCommand implements Runnable
{
    @ParentCommand
    Rfs rfs;

    @Spec
    CommandSpec spec;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(),
            "missing subcommand: start, stop, status, add-node, remove-node or set-weight");
    }
}
