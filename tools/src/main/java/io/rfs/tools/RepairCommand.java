package io.rfs.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.RepairControlRequestDescriptor;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.FileStore;
import io.rfs.store.RfsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * {@code rfs repair}: asks the cluster's leader to start a repair round now and, with {@code --wait}, follows its
 * progress until a round that started after the request finds every range in sync (the cluster is healthy), or the
 * timeout passes. {@code --bandwidth} sets the repair bandwidth on every node instead.
 * <p>
 * The leader is found by asking the nodes in turn: a node that does not lead answers with the leader it knows, and
 * the command asks that one. A round that copied something is followed by another (started at once), since only a
 * round that finds nothing to do shows the copies landed.
 */
@Command(
    name = "repair",
    description = {
        "Ask the cluster's leader to compare every range's replicas now and copy what is missing.",
        "--wait follows the progress until the cluster is healthy; --bandwidth sets the repair bandwidth per node.",
    })
final class RepairCommand extends StoreCommand
{
    @Option(names = "--wait", description = "Follow the progress until the cluster is healthy (or --timeout).")
    boolean wait;

    @Option(names = "--timeout", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long --wait waits for a healthy cluster (default: 10m).")
    Duration timeout = Duration.ofMinutes(10);

    @Option(names = "--bandwidth", converter = ByteSizeConverter.class, paramLabel = "SIZE",
        description = "Set the repair bandwidth per node, in bytes per second (e.g. 50M), on every node; starts no " +
            "round.")
    Long bandwidth;

    @Option(names = "--status", description = "Only show each node's repair bandwidth and the leader's last or " +
        "current round; starts nothing.")
    boolean statusOnly;

    @Option(names = "--json", description = "Print the final status as JSON.")
    boolean json;

    @Override
    boolean isAllowed(final StoreMode mode)
    {
        return mode != StoreMode.LOCAL;
    }

    @Override
    void checkArguments()
    {
        if (bandwidth != null && bandwidth > RepairControlRequestDescriptor.MAX_BANDWIDTH)
        {
            throw usageError("--bandwidth=" + bandwidth + " is above the largest, " +
                RepairControlRequestDescriptor.MAX_BANDWIDTH);
        }
        if (statusOnly && (wait || bandwidth != null))
        {
            throw usageError("--status goes alone: it starts nothing and changes nothing");
        }
        if (bandwidth != null && wait)
        {
            throw usageError("--bandwidth and --wait do not go together: set the bandwidth, then run rfs repair --wait");
        }
    }

    @Override
    int run(final FileStore store) throws IOException
    {
        final RfsClient client = (RfsClient)store;
        return bandwidth != null || statusOnly ? perNode(client) : repair(client);
    }

    /**
     * Sends every node the bandwidth ({@code --bandwidth}) or a status query ({@code --status}), one line each,
     * then, for {@code --status}, the leader's round.
     */
    private int perNode(final RfsClient client) throws IOException
    {
        final long newBandwidth = bandwidth == null ? 0 : bandwidth;
        final PrintWriter out = out();
        final ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (bandwidth != null)
        {
            result.put("bandwidth", bandwidth);
        }
        final var nodes = result.putArray("nodes");
        RepairStatusView leader = null;
        int failed = 0;
        for (final RingNode node : client.ring().nodes())
        {
            final ObjectNode entry = nodes.addObject().put("id", node.id());
            try
            {
                final RepairStatusView answer = new ClusterRepair(client).control(node.id(), false, newBandwidth);
                entry.put("bandwidth", answer.bandwidth()).put("leader", answer.leader());
                leader = answer.leader() ? answer : leader;
                if (!json)
                {
                    out.println("node " + node.id() + ": " + (answer.leader() ? "leader, " : "") + "repair bandwidth " +
                        Format.bytes(answer.bandwidth()) + "/s");
                }
            }
            catch (final RfsException ex)
            {
                failed++;
                entry.putNull("bandwidth").put("error", ex.getMessage());
                if (!json)
                {
                    out.println("node " + node.id() + ": " + (bandwidth != null ? "not set: " : "") +
                        ex.getMessage());
                }
            }
        }
        if (statusOnly)
        {
            if (leader != null)
            {
                result.set("leader", toJson(leader, false));
            }
            else
            {
                result.putNull("leader");
            }
            if (!json)
            {
                out.println(leader != null ? leader.describe() : "no leader");
            }
        }
        if (json)
        {
            Json.print(out, result.put("ok", failed == 0));
        }
        else if (failed > 0 && bandwidth != null)
        {
            out.println(failed + " node(s) did not take the new bandwidth; they keep theirs until asked again or " +
                "restarted with repair.bandwidth set");
        }
        return failed == 0 ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }

    private int repair(final RfsClient client) throws IOException
    {
        final PrintWriter out = out();
        final ClusterRepair repair = new ClusterRepair(client);
        try (RepairProgress progress = RepairProgress.start(out, isQuiet() || json || !wait,
            System::nanoTime))
        {
            final ClusterRepair.Outcome outcome = repair.untilHealthy(System.nanoTime() + timeout.toNanos(),
                status ->
                {
                    if (!status.enabled())
                    {
                        throw new RfsException("repair is disabled on the leader, node " + status.nodeId() +
                            " (repair.enabled=false)");
                    }
                    return wait;
                },
                progress::show);
            final RepairStatusView status = outcome.status();
            if (!wait)
            {
                if (json)
                {
                    Json.print(out, toJson(status, false));
                }
                else
                {
                    out.println("repair round requested on leader node " + status.nodeId() + " (term " +
                        status.term() + ")");
                }
                return Rfs.EXIT_OK;
            }
            if (outcome.healthy())
            {
                progress.done(status);
            }
            if (json)
            {
                Json.print(out, toJson(outcome.totals(), toJson(status, outcome.healthy())));
            }
            else if (outcome.healthy())
            {
                if (!isQuiet())
                {
                    out.println("healthy: the last round found every range's replicas in sync; " +
                        outcome.totals().describe());
                }
            }
            else
            {
                out.println("not healthy after " + Format.seconds(timeout.toNanos()) + ": " + status.describe());
            }
            return outcome.healthy() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
        }
    }

    private static ObjectNode toJson(final ClusterRepair.Totals totals, final ObjectNode node)
    {
        return node.put("totalChunksCopied", totals.chunks())
            .put("totalBytesCopied", totals.bytes())
            .put("totalCopyingMs", totals.copyingNs() / 1_000_000)
            .put("totalBytesPerSecond", totals.bytes() == 0 ? 0 :
                Format.bytesPerSecond(totals.bytes(), totals.copyingNs()));
    }

    private static ObjectNode toJson(final RepairStatusView status, final boolean healthy)
    {
        return JsonNodeFactory.instance.objectNode()
            .put("healthy", healthy)
            .put("leaderId", status.nodeId())
            .put("term", status.term())
            .put("bandwidth", status.bandwidth())
            .put("roundInProgress", status.roundInProgress())
            .put("roundsCompleted", status.roundsCompleted())
            .put("roundElapsedMs", status.roundElapsedNs() / 1_000_000)
            .put("ranges", status.ranges())
            .put("rangesCompared", status.rangesCompared())
            .put("rangesDifferent", status.rangesDifferent())
            .put("rangesRepaired", status.rangesRepaired())
            .put("chunksScheduled", status.chunksScheduled())
            .put("chunksCopied", status.chunksCopied())
            .put("bytesCopied", status.bytesCopied())
            .put("copyFailures", status.copyFailures())
            .put("answersMissed", status.answersMissed())
            .put("copyingMs", status.copyingNs() / 1_000_000)
            .put("bytesPerSecond", status.copyRate())
            .put("unrecoverable", status.unrecoverable());
    }
}
