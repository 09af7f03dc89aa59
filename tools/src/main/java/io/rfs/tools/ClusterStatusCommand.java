package io.rfs.tools;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code rfs cluster status}: each node of the local cluster, up or down, with its address, process id, data
 * directory and the bytes its data takes on disk. Exit status 0 if every node is up, 1 if any is down, 2 if no
 * cluster was started here.
 */
@Command(
    name = "status",
    description = {
        "Show each node of the local cluster: id, address, up or down, pid, data held, data directory.",
        "Exit codes: 0 every node up, 1 a node is down, 2 no cluster here."})
final class ClusterStatusCommand extends ClusterSubcommand
{
    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    /**
     * One node's state.
     *
     * @param id            its id.
     * @param address       its {@code host:port}.
     * @param up            whether its process runs.
     * @param pid           its process id, or -1 when down.
     * @param dataDirectory its data directory.
     * @param diskBytes     bytes its data directory takes on disk.
     */
    record NodeStatus(int id, String address, boolean up, long pid, String dataDirectory, long diskBytes)
    {
    }

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        final ClusterSpec spec = existing(directory);
        final List<NodeStatus> statuses = new ArrayList<>();
        int up = 0;
        for (final LocalNode node : nodes(spec, directory))
        {
            final Optional<ProcessHandle> process = node.running();
            up += process.isPresent() ? 1 : 0;
            statuses.add(new NodeStatus(node.id(), spec.addresses().get(node.id()), process.isPresent(),
                process.map(ProcessHandle::pid).orElse(-1L), node.dataDirectory().toString(), node.diskBytes()));
        }
        final PrintWriter out = out();
        if (json)
        {
            Json.print(out, Json.clusterStatus(directory.root().toString(), spec.replicationFactor(), statuses));
        }
        else
        {
            for (final NodeStatus status : statuses)
            {
                out.printf("node %d  %s  %-4s  pid %s  %s  %s%n", status.id(), status.address(),
                    status.up() ? "up" : "down", status.up() ? Long.toString(status.pid()) : "-",
                    Format.bytes(status.diskBytes()), status.dataDirectory());
            }
            out.printf("%d of %d nodes up, N=%d, in %s%n", up, spec.nodes(), spec.replicationFactor(),
                directory.root());
            out.flush();
        }
        return up == spec.nodes() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }
}
