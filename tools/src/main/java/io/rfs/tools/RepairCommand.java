package io.rfs.tools;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.replication.client.ClientAgent;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RepairControlRequestDescriptor;
import io.rfs.replication.protocol.RepairControlRequestEncoder;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.FileStore;
import io.rfs.store.RfsException;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
    private static final long POLL_MS = 500;
    private static final long PLAIN_LINE_INTERVAL_NS = 2_000_000_000L;

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
                final RepairStatusView answer = control(client, node.id(), false, newBandwidth);
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
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        RepairStatusView status = startOnLeader(client, deadlineNs);
        if (!status.enabled())
        {
            throw new RfsException("repair is disabled on the leader, node " + status.nodeId() +
                " (repair.enabled=false)");
        }
        int leader = status.nodeId();
        // A round that started after our request: the next one to start, after the one in progress if any.
        long target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
        if (!wait)
        {
            if (json)
            {
                Json.print(out, toJson(status, false));
            }
            else
            {
                out.println("repair round requested on leader node " + leader + " (term " + status.term() + ")");
            }
            return Rfs.EXIT_OK;
        }
        final Totals totals = new Totals(leader, status.roundsCompleted());
        try (RepairProgress progress = RepairProgress.start(out, isQuiet() || json))
        {
            long lastLineNs = 0;
            while (true)
            {
                totals.add(status);
                if (status.roundsCompleted() >= target && !status.roundInProgress())
                {
                    if (status.foundClean())
                    {
                        progress.done(status);
                        if (json)
                        {
                            Json.print(out, totals.toJson(toJson(status, true)));
                        }
                        else if (!isQuiet())
                        {
                            out.println("healthy: the last round found every range's replicas in sync; " +
                                totals.describe());
                        }
                        return Rfs.EXIT_OK;
                    }
                    status = control(client, leader, true, 0);
                    target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
                }
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    if (json)
                    {
                        Json.print(out, totals.toJson(toJson(status, false)));
                    }
                    else
                    {
                        out.println("not healthy after " + Format.seconds(timeout.toNanos()) + ": " +
                            status.describe());
                    }
                    return Rfs.EXIT_FAILED;
                }
                final long nowNs = System.nanoTime();
                if (progress.isBar() || nowNs - lastLineNs >= PLAIN_LINE_INTERVAL_NS)
                {
                    lastLineNs = nowNs;
                    progress.show(status);
                }
                sleep();
                try
                {
                    status = control(client, leader, false, 0);
                    if (!status.leader())
                    {
                        status = startOnLeader(client, deadlineNs);
                        leader = status.nodeId();
                        target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
                    }
                }
                catch (final RfsException ex)
                {
                    status = startOnLeader(client, deadlineNs);
                    leader = status.nodeId();
                    target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
                }
            }
        }
    }

    /**
     * Finds the leader (asking each node, then the leader a node names) and asks it to start a round.
     */
    private RepairStatusView startOnLeader(final RfsClient client, final long deadlineNs) throws IOException
    {
        final List<Integer> candidates = new ArrayList<>();
        for (final RingNode node : client.ring().nodes())
        {
            candidates.add(node.id());
        }
        final StringBuilder why = new StringBuilder();
        while (true)
        {
            for (final int nodeId : candidates)
            {
                try
                {
                    RepairStatusView status = control(client, nodeId, true, 0);
                    if (!status.leader() && status.leaderId() > 0 && status.leaderId() != nodeId)
                    {
                        status = control(client, status.leaderId(), true, 0);
                    }
                    if (status.leader())
                    {
                        return status;
                    }
                    why.setLength(0);
                    why.append("node ").append(nodeId).append(" knows no leader");
                }
                catch (final RfsException ex)
                {
                    why.setLength(0);
                    why.append(ex.getMessage());
                }
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new RfsException("no leader found to start a repair round: " + why);
            }
            sleep();
        }
    }

    private RepairStatusView control(final RfsClient client, final int nodeId, final boolean start,
        final long newBandwidth) throws IOException
    {
        final byte[] body = new byte[RepairControlRequestDescriptor.BLOCK_LENGTH];
        final RepairControlRequestEncoder encoder = new RepairControlRequestEncoder().wrap(new UnsafeBuffer(body), 0);
        if (start)
        {
            encoder.startRound();
        }
        if (newBandwidth > 0)
        {
            encoder.bandwidth(newBandwidth);
        }
        final ClientAgent.Reply reply = client.request(nodeId, MessageTypes.REPAIR_CONTROL_REQUEST, body,
            client.context().requestTimeoutNs());
        if (reply.messageType() != MessageTypes.REPAIR_STATUS_RESPONSE)
        {
            throw new RfsException("node " + nodeId + " refused the repair request (" +
                MessageTypes.name(reply.messageType()) + "); is it older than this rfs?");
        }
        try
        {
            return RepairStatusView.decode(nodeId, reply.body());
        }
        catch (final MalformedMessageException ex)
        {
            throw new RfsException("node " + nodeId + " sent a malformed repair status: " + ex.getMessage());
        }
    }

    private static void sleep() throws InterruptedIOException
    {
        try
        {
            Thread.sleep(POLL_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    /**
     * What the rounds finished during the wait copied, each counted once, when it is seen finished (a round that
     * ends while the next one is already starting is not seen, so this is a lower bound).
     */
    private static final class Totals
    {
        private int leader;
        private long countedRound;
        private long chunks;
        private long bytes;
        private long copyingNs;

        Totals(final int leader, final long countedRound)
        {
            this.leader = leader;
            this.countedRound = countedRound;
        }

        void add(final RepairStatusView status)
        {
            if (status.nodeId() != leader)
            {
                leader = status.nodeId();
                countedRound = status.roundsCompleted() - (status.roundInProgress() ? 0 : 1);
            }
            if (!status.roundInProgress() && status.roundsCompleted() > countedRound)
            {
                countedRound = status.roundsCompleted();
                chunks += status.chunksCopied();
                bytes += status.bytesCopied();
                copyingNs += status.copyingNs();
            }
        }

        String describe()
        {
            return chunks + " chunks (" + Format.bytes(bytes) + ") copied" +
                (bytes > 0 ? " at " + Format.rate(bytes, copyingNs) + " while copying" : "");
        }

        ObjectNode toJson(final ObjectNode node)
        {
            return node.put("totalChunksCopied", chunks)
                .put("totalBytesCopied", bytes)
                .put("totalCopyingMs", copyingNs / 1_000_000)
                .put("totalBytesPerSecond", bytes == 0 ? 0 : Format.bytesPerSecond(bytes, copyingNs));
        }
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
