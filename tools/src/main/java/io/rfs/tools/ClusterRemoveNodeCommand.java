package io.rfs.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.replication.client.ClusterVerifyReport;
import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.ring.Ring;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code rfs cluster remove-node ID}: asks the leader to commit the ring without a node, up or down; the leader then
 * copies each of its ranges to the node that takes its place. For a node of the local cluster the command then
 * retires it ({@link NodeRetirement}): once a cluster verify shows every file on its N owners of the new ring and
 * the node, ordered by the leader, has dropped every chunk and manifest they hold, it stops the node's process with
 * SIGTERM and records it removed, keeping its data directory unless {@code --purge}
 * is given. A node the ring holds but the local cluster does not is not this command's to stop. Run again for a
 * node already out of the ring but not yet retired (the wait timed out), it retires it. {@code --dry-run} prints the
 * plan and changes nothing.
 */
@Command(
    name = "remove-node",
    description = {
        "Take a node out of the ring, up or down: the leader commits the ring without it and copies its ranges to " +
            "the nodes that take its place.",
        "Prints the plan first: bytes each node receives and sends, and the time at the repair bandwidth. A node of " +
            "the local cluster is then retired: once every file is verified on N other replicas and the node has " +
            "dropped what they hold, its process is stopped (SIGTERM) and it is recorded removed; its data " +
            "directory is kept unless --purge is given.",
        "Run again for a node out of the ring but not retired, it retires it."})
final class ClusterRemoveNodeCommand extends ClusterSubcommand
{
    static final int RETIRE_TIMEOUT_S_DEFAULT = 600;

    @Parameters(index = "0", paramLabel = "ID", description = "The node to take out of the ring.")
    int id;

    @Mixin
    MembershipOptions options;

    @Option(names = "--purge",
        description = "Delete the retired node's data directory (by default it is kept, and its path printed).")
    boolean purge;

    @Option(names = "--retire-timeout", paramLabel = "SECONDS", defaultValue = "" + RETIRE_TIMEOUT_S_DEFAULT,
        description = "How long to wait for the node's data to be verified on N other replicas, and dropped from the " +
            "node, before stopping it " +
            "(default ${DEFAULT-VALUE}); past it the node is left running and the command exits 1.")
    int retireTimeoutS;

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        options.check(this);
        if (retireTimeoutS < 1)
        {
            throw usageError("--retire-timeout must be at least 1 second, is " + retireTimeoutS);
        }
        final ClusterSpec spec = existing(directory);
        if (spec.removed().contains(id))
        {
            throw new ClusterException("node " + id + " was removed already (" + describeData(directory) + ")",
                Rfs.EXIT_FAILED);
        }
        // progress goes where it does not break the JSON on standard output
        final PrintWriter err = this.spec.commandLine().getErr();
        final PrintWriter progress = options.json ? err : out();
        final NodeRetirement retirement = new NodeRetirement(directory, id, spec.httpAddresses().get(id), progress,
            err);
        // read before the removal is asked: the leader may have the node drop everything before the verify is clean
        final NodeRetirement.Holdings before = spec.isMember(id) && !options.dryRun ? retirement.holdings() : null;
        final ObjectNode json;
        final long ringVersion;
        try (ClusterMembership membership = new ClusterMembership(directory, spec))
        {
            final Ring ring = membership.ring();
            if (!ring.contains(id) && spec.isMember(id))
            {
                out().printf("node %d is out of the ring already (version %d); %s%n", id, ring.version(),
                    options.dryRun ? "without --dry-run it would be retired" : "retiring it");
                if (options.dryRun)
                {
                    out().flush();
                    return Rfs.EXIT_OK;
                }
                json = options.json ? JsonNodeFactory.instance.objectNode().put("dryRun", false)
                    .put("ringVersion", ring.version()) : null;
                ringVersion = ring.version();
            }
            else
            {
                final RebalancePlan plan = membership.plan(membership.ringHolding(id).withoutNode(id));
                if (options.dryRun)
                {
                    ClusterMembership.print(out(), plan, options.json, null);
                    return Rfs.EXIT_OK;
                }
                final MembershipClient.Answer answer = membership.change(
                    new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[64]), 0).remove(id),
                    options.timeoutS);
                json = options.json ? ClusterMembership.toJson(plan, answer) : null;
                if (!options.json)
                {
                    ClusterMembership.printText(out(), plan, answer);
                }
                if (!answer.isCommitted())
                {
                    return printed(json, Rfs.EXIT_FAILED);
                }
                ringVersion = answer.ringVersion();
            }
        }
        if (!spec.isMember(id))
        {
            final String text = "node " + id + " is not a node of the local cluster in " + directory.root() +
                ": its process is not ours to stop";
            return printed(json == null ? null : json.put("retired", false).put("retirement", text), Rfs.EXIT_OK,
                text);
        }
        final ClusterVerifyReport report;
        final NodeRetirement.Emptied emptied;
        final boolean wasRunning;
        try
        {
            final long startNs = System.nanoTime();
            final long timeoutNs = TimeUnit.SECONDS.toNanos(retireTimeoutS);
            report = retirement.awaitReplicated(ringVersion, timeoutNs);
            wasRunning = new LocalNode(id, directory).running().isPresent();
            emptied = wasRunning ?
                retirement.awaitEmptied(before, timeoutNs - (System.nanoTime() - startNs)) :
                new NodeRetirement.Emptied(false, null, "node " + id + " is not running: its data is as it left it");
        }
        catch (final ClusterException ex)
        {
            printed(json == null ? null : json.put("retired", false).put("retirement", ex.getMessage()), 0);
            throw ex;
        }
        if (!emptied.checked())
        {
            progress.println(emptied.why());
        }
        final Path data = retirement.retire(purge);
        final String text = "node " + id + " retired: out of the ring, " + (wasRunning ? "stopped" : "was not running") +
            ", recorded removed in " +
            directory.clusterProperties() + "; " + describeData(directory);
        if (json != null)
        {
            json.put("retired", true).put("retirement", text).put("dataDirectory", data.toString())
                .put("dataKept", !purge).put("verifiedFiles", report.files()).put("verifiedChunks", report.chunks());
            if (emptied.checked())
            {
                json.put("droppedChunks", emptied.before().chunks())
                    .put("droppedManifests", emptied.before().manifests());
            }
        }
        return printed(json, Rfs.EXIT_OK, text);
    }

    private String describeData(final ClusterDirectory directory)
    {
        final Path data = directory.nodeData(id);
        return Files.isDirectory(data) ? "its data is kept in " + data + " (delete it when no longer " +
            "needed)" : "its data directory " + data + " was deleted";
    }

    private int printed(final ObjectNode json, final int exit, final String... lines) throws IOException
    {
        if (json != null)
        {
            Json.print(out(), json);
        }
        else
        {
            for (final String line : lines)
            {
                out().println(line);
            }
            out().flush();
        }
        return exit;
    }
}
