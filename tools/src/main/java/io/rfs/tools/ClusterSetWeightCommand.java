package io.rfs.tools;

import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * {@code rfs cluster set-weight ID WEIGHT}: asks the leader to commit the ring with a node's weight changed; only that
 * node's tokens change, and the leader's repair rounds then copy it the ranges it gains (or to others those it
 * loses). {@code --dry-run} prints the plan and changes nothing.
 */
@Command(
    name = "set-weight",
    description = {
        "Give a node another weight (100 standard): the leader commits the ring with only that node's tokens " +
            "changed and copies the ranges that move.",
        "Prints the plan first: bytes each node receives and sends, and the time at the repair bandwidth."})
final class ClusterSetWeightCommand extends ClusterSubcommand
{
    @Parameters(index = "0", paramLabel = "ID", description = "The node to re-weigh.")
    int id;

    @Parameters(index = "1", paramLabel = "WEIGHT",
        description = "Its new weight, 1.." + RingNode.MAX_WEIGHT + "; twice the weight, about twice the data.")
    int weight;

    @Mixin
    MembershipOptions options;

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        options.check(this);
        if (weight < 1 || weight > RingNode.MAX_WEIGHT)
        {
            throw usageError("WEIGHT must be 1.." + RingNode.MAX_WEIGHT + ", is " + weight);
        }
        final ClusterSpec spec = existing(directory);
        final FileChannel lock = directory.lock();
        try (ClusterMembership membership = new ClusterMembership(directory, spec))
        {
            final Ring before = membership.ringHolding(id);
            final RebalancePlan plan = membership.plan(before.withWeight(id, weight));
            if (options.dryRun)
            {
                ClusterMembership.print(out(), plan, options.json, null);
                return Rfs.EXIT_OK;
            }
            final MembershipClient.Answer answer = membership.change(
                new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[64]), 0).weight(id, weight),
                options.timeoutS);
            if (answer.isCommitted())
            {
                final ClusterSpec next = spec.withWeight(id, weight);
                ClusterDirectory.writePrivate(directory.clusterProperties(), next.toProperties());
                rewriteSettings(next, directory,
                    directory.secret(directory.clusterSecret()), directory.secret(directory.clientSecret()), -1,
                    "set-weight");
            }
            ClusterMembership.print(out(), plan, options.json, answer);
            return answer.isCommitted() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
        }
        finally
        {
            lock.close();
        }
    }
}
