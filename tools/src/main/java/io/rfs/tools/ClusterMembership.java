package io.rfs.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.ClientProperties;
import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.repair.RepairContext;
import io.rfs.replication.ring.Ring;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code rfs cluster add-node}, {@code remove-node} and {@code set-weight} share: the ring the cluster runs on
 * (the committed one a node answers, else the one the client settings build), the plan of a change, and sending the
 * change to the leader.
 */
final class ClusterMembership implements AutoCloseable
{
    private final ClusterDirectory directory;
    private final ClusterSpec spec;
    private final ClientContext client;

    /**
     * Connects as a client of the cluster and learns the ring in force.
     */
    ClusterMembership(final ClusterDirectory directory, final ClusterSpec spec) throws IOException
    {
        this.directory = directory;
        this.spec = spec;
        this.client = ClientProperties.load(directory.clientProperties());
    }

    /**
     * @return the ring the cluster runs on.
     */
    Ring ring()
    {
        return client.ring();
    }

    /**
     * @param id a node the change is about.
     * @return the ring the cluster runs on, which holds that node.
     * @throws ClusterException with {@link Rfs#EXIT_FAILED} if it does not.
     */
    Ring ringHolding(final int id) throws ClusterException
    {
        final Ring ring = ring();
        if (!ring.contains(id))
        {
            throw new ClusterException("node " + id + " is not in the ring (version " + ring.version() +
                ", nodes " + ring.nodes().stream().map(n -> Integer.toString(n.id())).toList() + ")",
                Rfs.EXIT_FAILED);
        }
        return ring;
    }

    /**
     * @param after the ring after the change.
     * @return the plan, from the bytes of chunk records each running node reports in its {@code /health}
     * ({@code chunkBytesHeld}); for a node that does not (down, or serving no HTTP), from its data directory's disk
     * usage, which overstates them (segment space reserved ahead of writes, garbage, manifests, logs).
     */
    RebalancePlan plan(final Ring after) throws IOException
    {
        final Map<Integer, Long> held = new TreeMap<>();
        final Set<Integer> fromDiskUsage = new HashSet<>();
        final Set<Integer> up = new HashSet<>();
        final HealthProbe probe = new HealthProbe();
        for (final LocalNode node : ClusterSubcommand.nodes(spec, directory))
        {
            final boolean running = node.running().isPresent();
            final long reported = running ? chunkBytesHeld(probe, spec.httpAddresses().get(node.id())) : -1;
            if (reported >= 0)
            {
                held.put(node.id(), reported);
            }
            else
            {
                held.put(node.id(), node.diskBytes());
                fromDiskUsage.add(node.id());
            }
            if (running)
            {
                up.add(node.id());
            }
        }
        return RebalancePlan.of(ring(), after, held, fromDiskUsage, id -> !up.contains(id), bandwidth());
    }

    /**
     * @return the {@code chunkBytesHeld} of the node's {@code /health}, or -1 if it does not say (no HTTP, not
     * answering, older than this rfs).
     */
    private static long chunkBytesHeld(final HealthProbe probe, final String http)
    {
        if (http == null)
        {
            return -1;
        }
        final HealthProbe.Answer answer = probe.probe(http);
        return answer.reachable() && answer.body().has("chunkBytesHeld") ?
            answer.body().path("chunkBytesHeld").asLong() : -1;
    }

    /**
     * @return the cluster's {@code repair.bandwidth}, as node 1 reads its settings.
     */
    private long bandwidth()
    {
        try
        {
            final NodeContext node = NodeProperties.parse(spec.nodeSettings(1, directory.root(),
                "x".repeat(ClusterDirectory.SECRET_LENGTH), "x".repeat(ClusterDirectory.SECRET_LENGTH)));
            return node.repairContext().bandwidth();
        }
        catch (final RuntimeException ex)
        {
            return RepairContext.BANDWIDTH_DEFAULT;
        }
    }

    /**
     * Sends a change to the leader and waits for its answer.
     *
     * @param request  the change.
     * @param timeoutS how long to wait in all.
     * @return the answer.
     * @throws ClusterException if no node answered, or none knew a leader in time.
     */
    MembershipClient.Answer change(final MembershipRequestEncoder request, final int timeoutS)
        throws ClusterException
    {
        final MembershipClient.Answer answer = new MembershipClient(client.transport(), spec.addresses().keySet(),
            SystemNanoClock.INSTANCE).change(request, TimeUnit.SECONDS.toNanos(timeoutS));
        if (answer == null)
        {
            throw new ClusterException("no node answered within " + timeoutS + " s; is the cluster running " +
                "(rfs cluster status)?", Rfs.EXIT_FAILED);
        }
        if (answer.status() == MembershipResponseDescriptor.NOT_LEADER)
        {
            throw new ClusterException("no leader within " + timeoutS + " s: " + answer.text(), Rfs.EXIT_FAILED);
        }
        return answer;
    }

    /**
     * Prints a plan, as text or JSON, with the outcome when there is one.
     *
     * @param out    where.
     * @param plan   the plan.
     * @param json   whether as JSON.
     * @param answer the leader's answer, or null for a dry run.
     */
    static void print(final PrintWriter out, final RebalancePlan plan, final boolean json,
        final MembershipClient.Answer answer) throws IOException
    {
        if (json)
        {
            Json.print(out, toJson(plan, answer));
            return;
        }
        printText(out, plan, answer);
    }

    /**
     * @param plan   the plan.
     * @param answer the leader's answer, or null for a dry run.
     * @return the plan and the outcome as {@link #print} prints them with {@code --json}.
     */
    static ObjectNode toJson(final RebalancePlan plan, final MembershipClient.Answer answer)
    {
        final ObjectNode node = Json.rebalancePlan(plan).put("dryRun", answer == null);
        if (answer != null)
        {
            node.put("status", MembershipResponseDescriptor.statusName(answer.status()))
                .put("committed", answer.isCommitted())
                .put("ringVersion", answer.ringVersion())
                .put("leaderId", answer.leaderId())
                .put("text", answer.text());
        }
        return node;
    }

    /**
     * Prints a plan as text, with the outcome when there is one.
     */
    static void printText(final PrintWriter out, final RebalancePlan plan, final MembershipClient.Answer answer)
    {
        out.print(plan.toText());
        if (answer == null)
        {
            out.println("dry run: nothing changed");
        }
        else if (answer.isCommitted())
        {
            out.printf("committed by leader %d: ring version %d; the leader now copies the ranges above to their " +
                "new owners (its log says when every range is in place)%n", answer.leaderId(), answer.ringVersion());
        }
        else
        {
            out.printf("not changed: %s: %s%n", MembershipResponseDescriptor.statusName(answer.status()),
                answer.text());
        }
        out.flush();
    }

    @Override
    public void close()
    {
        CloseHelper.quietClose(client.transport());
    }
}
