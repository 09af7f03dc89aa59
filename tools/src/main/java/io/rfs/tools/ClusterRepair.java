package io.rfs.tools;

import io.rfs.replication.client.ClientAgent;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RepairControlRequestDescriptor;
import io.rfs.replication.protocol.RepairControlRequestEncoder;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.RfsException;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives the cluster leader's repair through {@code RepairControlRequest}s (PROTOCOL.md 5.28): finds the leader,
 * asks it for a round now, and follows the rounds until one that started after the request finds every range's
 * replicas in sync. Used by {@code rfs repair} and by {@code rfs bench}'s failover workload, which measures the
 * repair rate.
 * <p>
 * The leader is found by asking the nodes in turn: a node that does not lead answers with the leader it knows. A
 * round that copied something is followed by another, started at once, since only a round that finds nothing to do
 * shows the copies landed.
 */
final class ClusterRepair
{
    private static final long POLL_MS = 500;

    private final RfsClient client;

    /**
     * @param client a cluster client; its request timeout bounds each request.
     */
    ClusterRepair(final RfsClient client)
    {
        this.client = client;
    }

    /**
     * The end of {@link #untilHealthy}.
     *
     * @param healthy whether a round that started after the request found the cluster healthy.
     * @param status  the leader's last status.
     * @param totals  what the rounds finished during the wait copied.
     */
    record Outcome(boolean healthy, RepairStatusView status, Totals totals)
    {
    }

    /**
     * Asks the leader for a round and waits, polling every {@value #POLL_MS} ms, until a round that started after
     * the request finds the cluster healthy, or the deadline passes.
     *
     * @param deadlineNs   on {@link System#nanoTime()}'s scale.
     * @param started      told of the leader's first answer (it may say repair is disabled: see {@code enabled()}),
     *                     and returns whether to go on waiting.
     * @param eachStatus   told of every status polled.
     * @return how it ended.
     * @throws IOException if no leader could be found before the deadline.
     */
    Outcome untilHealthy(final long deadlineNs, final StartListener started,
        final Consumer<RepairStatusView> eachStatus) throws IOException
    {
        RepairStatusView status = startOnLeader(deadlineNs);
        int leader = status.nodeId();
        // A round that started after our request: the next one to start, after the one in progress if any.
        long target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
        final Totals totals = new Totals(leader, status.roundsCompleted());
        if (!started.onStarted(status))
        {
            return new Outcome(false, status, totals);
        }
        while (true)
        {
            totals.add(status);
            if (status.roundsCompleted() >= target && !status.roundInProgress())
            {
                if (status.foundClean())
                {
                    return new Outcome(true, status, totals);
                }
                status = control(leader, true, 0);
                target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                return new Outcome(false, status, totals);
            }
            eachStatus.accept(status);
            ClusterSubcommand.pause(POLL_MS, "the repair");
            try
            {
                status = control(leader, false, 0);
                if (!status.leader())
                {
                    status = startOnLeader(deadlineNs);
                    leader = status.nodeId();
                    target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
                }
            }
            catch (final RfsException ex)
            {
                status = startOnLeader(deadlineNs);
                leader = status.nodeId();
                target = status.roundsCompleted() + (status.roundInProgress() ? 2 : 1);
            }
        }
    }

    /**
     * Told of the leader's answer to the first request.
     */
    @FunctionalInterface
    interface StartListener
    {
        /**
         * @param status the leader's status, its round requested.
         * @return true to wait for a healthy cluster, false to stop here.
         * @throws IOException to stop with an error (repair disabled, say).
         */
        boolean onStarted(RepairStatusView status) throws IOException;
    }

    /**
     * Finds the leader (asking each node, then the leader a node names) and asks it to start a round.
     *
     * @param deadlineNs on {@link System#nanoTime()}'s scale.
     * @return the leader's answer.
     * @throws IOException if no leader answered before the deadline.
     */
    RepairStatusView startOnLeader(final long deadlineNs) throws IOException
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
                    RepairStatusView status = control(nodeId, true, 0);
                    if (!status.leader() && status.leaderId() > 0 && status.leaderId() != nodeId)
                    {
                        status = control(status.leaderId(), true, 0);
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
            ClusterSubcommand.pause(POLL_MS, "the repair");
        }
    }

    /**
     * @param nodeId       the node asked.
     * @param start        whether to ask for a round (only a leader starts one).
     * @param newBandwidth a repair bandwidth to set on the node, or 0.
     * @return its status.
     * @throws IOException if it did not answer, or refused.
     */
    RepairStatusView control(final int nodeId, final boolean start, final long newBandwidth) throws IOException
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

    /**
     * What the rounds finished during the wait copied, each counted once, when it is seen finished (a round that
     * ends while the next one is already starting is not seen, so this is a lower bound).
     */
    static final class Totals
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

        long chunks()
        {
            return chunks;
        }

        long bytes()
        {
            return bytes;
        }

        long copyingNs()
        {
            return copyingNs;
        }

        String describe()
        {
            return chunks + " chunks (" + Format.bytes(bytes) + ") copied" +
                (bytes > 0 ? " at " + Format.rate(bytes, copyingNs) + " while copying" : "");
        }
    }
}
