package io.rfs.tools;

import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.ring.Ring;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;

/**
 * {@code rfs cluster remove-node ID}: asks the leader to commit the ring without a node, up or down; the leader then
 * copies each of its ranges to the node that takes its place. The node's process is left running (it stops voting
 * once it holds its removal; {@code rfs cluster start} would start it again). {@code --dry-run} prints the plan and
 * changes nothing.
 */
@Command(
    name = "remove-node",
    description = {
        "Take a node out of the ring, up or down: the leader commits the ring without it and copies its ranges to " +
            "the nodes that take its place. The node's process is not stopped.",
        "Prints the plan first: bytes each node receives and sends, and the time at the repair bandwidth."})
final class ClusterRemoveNodeCommand extends ClusterSubcommand
{
    @Parameters(index = "0", paramLabel = "ID", description = "The node to take out of the ring.")
    int id;

    @Mixin
    MembershipOptions options;

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        options.check(this);
        final ClusterSpec spec = existing(directory);
        try (ClusterMembership membership = new ClusterMembership(directory, spec))
        {
            final Ring before = membership.ringHolding(id);
            final RebalancePlan plan = membership.plan(before.withoutNode(id));
            if (options.dryRun)
            {
                ClusterMembership.print(out(), plan, options.json, null);
                return Rfs.EXIT_OK;
            }
            final MembershipClient.Answer answer = membership.change(
                new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[64]), 0).remove(id), options.timeoutS);
            ClusterMembership.print(out(), plan, options.json, answer);
            return answer.isCommitted() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
        }
    }
}
