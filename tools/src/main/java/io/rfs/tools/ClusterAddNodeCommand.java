package io.rfs.tools;

import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.ConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;

/**
 * {@code rfs cluster add-node}: starts node {@code nodes + 1} of the local cluster as a learner (it follows the
 * leader's log but does not vote) and asks the leader to commit the ring with it; the leader then copies it the
 * ranges it owns. {@code --dry-run} prints the plan and changes nothing.
 */
@Command(
    name = "add-node",
    description = {
        "Add a node to the local cluster: start it, and have the leader commit the ring with it; the leader then " +
            "copies it the ranges it owns.",
        "Prints the plan first: bytes each node receives and sends, and the time at the repair bandwidth."})
final class ClusterAddNodeCommand extends ClusterSubcommand
{
    @Option(names = "--zone", paramLabel = "ZONE", description = "The new node's zone (default: the cluster's).")
    String zone;

    @Option(names = "--weight", paramLabel = "W",
        description = "The new node's weight, 1..10000, 100 standard (default: the cluster's).")
    Integer weight;

    @Mixin
    MembershipOptions options;

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        options.check(this);
        final ClusterSpec spec = existing(directory);
        if (spec.nodes() >= ClusterStartCommand.MAX_NODES)
        {
            throw usageError("the cluster has " + spec.nodes() + " nodes, the most rfs cluster start manages");
        }
        final Path jar = options.dryRun ? null : ClusterStartCommand.runningJar();
        final FileChannel lock = directory.lock();
        try
        {
            final SortedMap<Integer, String> ports = ClusterStartCommand.freePorts(2);
            final ClusterSpec next = spec.withNode(ports.get(1), ports.get(2), zone, weight);
            final int id = next.nodes();
            final NodeContext context = checked(next, directory, id);
            final int newWeight = context.weight();
            final RebalancePlan plan;
            try (ClusterMembership membership = new ClusterMembership(directory, spec))
            {
                plan = membership.plan(membership.ring().withNode(new RingNode(id, next.addresses().get(id),
                    newWeight, next.zone(id))));
            }
            catch (final IllegalArgumentException ex)
            {
                throw usageError(ex.getMessage());
            }
            if (options.dryRun)
            {
                ClusterMembership.print(out(), plan, options.json, null);
                return Rfs.EXIT_OK;
            }

            ClusterDirectory.writePrivate(directory.clusterProperties(), next.toProperties());
            final String clusterSecret = directory.secret(directory.clusterSecret());
            final String clientSecret = directory.secret(directory.clientSecret());
            final LocalNode node = new LocalNode(id, directory);
            ClusterDirectory.writePrivate(node.config(), "# Written by rfs cluster add-node; see docs/CLUSTER.md.\n" +
                ClusterSpec.toPropertiesText(next.nodeSettings(id, node.dataDirectory(), clusterSecret,
                    clientSecret)));
            ClusterStartCommand.awaitReady(
                List.of(node.start(jar, ClusterStartCommand.jvmOptions(next, context))), options.timeoutS);
            rewriteSettings(next, directory, clusterSecret, clientSecret, id, "add-node");

            // connected afresh: a client left idle while the node started would find its connections closed
            try (ClusterMembership membership = new ClusterMembership(directory, spec))
            {
                final MembershipClient.Answer answer = membership.change(
                    new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[1024]), 0)
                        .add(id, newWeight, next.zone(id), next.addresses().get(id)), options.timeoutS);
                ClusterMembership.print(out(), plan, options.json, answer);
                return answer.isCommitted() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
            }
        }
        finally
        {
            lock.close();
        }
    }

    private NodeContext checked(final ClusterSpec spec, final ClusterDirectory directory, final int id)
    {
        final String placeholder = "x".repeat(ClusterDirectory.SECRET_LENGTH);
        try
        {
            return NodeProperties.parse(spec.nodeSettings(id, new LocalNode(id, directory).dataDirectory(),
                placeholder, placeholder)).conclude();
        }
        catch (final ConfigurationException ex)
        {
            throw usageError(ex.getMessage());
        }
    }
}
