package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterAgent;
import io.rfs.replication.cluster.ClusterLog;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MembershipRequestDecoder;
import io.rfs.replication.protocol.MembershipRequestDescriptor;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.protocol.MembershipResponseEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.repair.RepairContext;
import io.rfs.replication.repair.RepairScheduler;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Ring membership on one node: the operator's {@code MembershipRequest}s (add or remove a node, or change its
 * weight; the leader commits the new ring through the cluster log and answers once a majority holds it, any other
 * node names the leader), the leader's verdict on nodes unheard for
 * {@code repair.node.gone.after} (committed {@code NODE_GONE}), and what every node does when a new ring is applied:
 * it learns the ring's new nodes as peers and, on the leader, starts a repair round at once, which copies to the new
 * owners exactly the ranges they lack (PROTOCOL.md 5.30 and 5.31, NODE.md "Membership changes"; the cluster agent
 * answers {@code RingRequest}s).
 * <p>
 * <b>One change at a time.</b> The leader refuses a change while an entry of its log is uncommitted, so every
 * change is computed from the ring in force and the rings form one history.
 * <p>
 * <b>Threads.</b> The network agent's thread, which owns the transport and the cluster agent.
 */
public final class MembershipService implements Agent, MessageHandler
{
    /** How often the leader looks for nodes gone. */
    private static final long GONE_CHECK_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ClusterAgent cluster;
    private final Transport transport;
    private final RepairContext repair;
    private final RepairScheduler scheduler;
    private final IntConsumer memberAdded;
    private final Supplier<Ring> ringInForce;
    private final NanoClock clock;
    private final ErrorHandler errorHandler;
    private final PrintStream out;
    private final NodeCounters counters;
    private final long settleNs;
    private final MembershipRequestDecoder requestDecoder = new MembershipRequestDecoder();
    private final MembershipResponseEncoder responseEncoder = new MembershipResponseEncoder();
    private final UnsafeBuffer responseBuffer = new UnsafeBuffer(
        new byte[MembershipResponseDescriptor.BLOCK_LENGTH + MembershipResponseDescriptor.MAX_TEXT_LENGTH]);
    private final List<PendingChange> pending = new ArrayList<>();

    private long appliedRingVersion = -1;
    private long dialledRingVersion = -1;
    private long leaderTerm = -1;
    private long leaderSinceNs;
    private long nextGoneCheckNs;
    private long rebalanceVersion = -1;
    private long rebalanceDueNs;
    private long rebalanceStartNs;
    private long roundsBefore;
    private long differentBefore;
    private long missedBefore;
    private int rebalanceRounds;

    /** A change proposed for a requester, answered when it commits or its term ends. */
    private record PendingChange(int source, long correlationId, long index, long term, long ringVersion)
    {
    }

    /**
     * @param cluster     the node's cluster agent.
     * @param transport   the node's transport.
     * @param repair      repair settings: the configured ring, {@code repair.node.gone.after}.
     * @param scheduler   the leader's repair, started at once after a ring change.
     * @param memberAdded told of every node id a new ring adds, so the node treats it as a member.
     * @param ringInForce the ring in force: the committed one, else the configured one.
     * @param clock       the node's clock.
     * @param errorHandler where a failed proposal is reported.
     * @param out         where the leader's one-line notes go (a node committed gone, a rebalance done).
     * @param counters    the node's counters, whose repair figures tell when a rebalance is done.
     * @param settleNs    how long after a commit the leader starts rebalancing, so that the other nodes have
     *                    applied the ring (two heartbeat intervals: the next append carries the commit).
     */
    public MembershipService(
        final ClusterAgent cluster,
        final Transport transport,
        final RepairContext repair,
        final RepairScheduler scheduler,
        final IntConsumer memberAdded,
        final Supplier<Ring> ringInForce,
        final NanoClock clock,
        final ErrorHandler errorHandler,
        final PrintStream out,
        final NodeCounters counters,
        final long settleNs)
    {
        this.counters = counters;
        this.settleNs = settleNs;
        this.cluster = cluster;
        this.transport = transport;
        this.repair = repair;
        this.scheduler = scheduler;
        this.memberAdded = memberAdded;
        this.ringInForce = ringInForce;
        this.clock = clock;
        this.errorHandler = errorHandler;
        this.out = out;
    }

    @Override
    public String roleName()
    {
        return "rfs-membership";
    }

    @Override
    public int doWork()
    {
        int work = 0;
        final Ring newest = cluster.newestRing();
        if (newest != null && newest.version() != dialledRingVersion)
        {
            // a node added votes from the moment the change is in the log, before it commits: the transport must
            // reach it by then (a two-voter cluster cannot commit the change without its acknowledgement)
            dialledRingVersion = newest.version();
            for (final RingNode node : newest.nodes())
            {
                transport.learnPeer(node.id(), node.address());
            }
            work++;
        }
        final Ring ring = ringInForce.get();
        if (ring != null && ring.version() != appliedRingVersion)
        {
            appliedRingVersion = ring.version();
            for (final RingNode node : ring.nodes())
            {
                transport.learnPeer(node.id(), node.address());
                memberAdded.accept(node.id());
            }
            if (cluster.role() == Role.LEADER && cluster.ring() != null)
            {
                startRebalance(ring);
            }
            work++;
        }
        else if (ring != null && cluster.role() == Role.LEADER && cluster.term() != leaderTerm &&
            cluster.ring() != null)
        {
            // a leader elected after the ring changed takes over its rebalance: the old leader's rounds and its
            // "in place" line ended with its term, and the interval's rounds alone would leave the new owners short
            // for up to repair.interval
            startRebalance(ring);
            work++;
        }
        if (rebalanceVersion >= 0)
        {
            work += rebalance();
        }
        if (!pending.isEmpty())
        {
            work += answerPending();
        }
        final long now = clock.nanoTime();
        if (cluster.role() != Role.LEADER)
        {
            leaderTerm = -1;
        }
        else if (cluster.term() != leaderTerm)
        {
            leaderTerm = cluster.term();
            leaderSinceNs = now;
        }
        else if (repair.nodeGoneAfterNs() > 0 && now - nextGoneCheckNs >= 0)
        {
            nextGoneCheckNs = now + GONE_CHECK_INTERVAL_NS;
            work += commitGone(ring, now);
        }
        return work;
    }

    private void startRebalance(final Ring ring)
    {
        rebalanceVersion = ring.version();
        rebalanceStartNs = clock.nanoTime();
        rebalanceDueNs = rebalanceStartNs + settleNs;
        rebalanceRounds = 0;
        roundsBefore = Long.MAX_VALUE;
    }

    /**
     * Runs repair rounds against the new ring until one finds every range's replicas in agreement with all of them
     * answering: that round proves the new owners hold verified copies of everything they own.
     */
    private int rebalance()
    {
        final long now = clock.nanoTime();
        if (cluster.role() != Role.LEADER || ringInForce.get().version() != rebalanceVersion)
        {
            rebalanceVersion = -1;
            return 0;
        }
        if (now - rebalanceDueNs < 0 || scheduler.isRoundInProgress())
        {
            return 0;
        }
        final long rounds = counters.get(NodeCounter.REPAIR_ROUNDS);
        if (rounds > roundsBefore)
        {
            rebalanceRounds++;
            if (counters.get(NodeCounter.REPAIR_RANGES_DIFFERENT) == differentBefore &&
                counters.get(NodeCounter.REPAIR_ANSWERS_MISSED) == missedBefore)
            {
                out.println("rfs membership: ring version " + rebalanceVersion + " in place: every range's " +
                    "replicas agree after " + rebalanceRounds + " repair rounds in " +
                    TimeUnit.NANOSECONDS.toMillis(now - rebalanceStartNs) + " ms");
                rebalanceVersion = -1;
                return 1;
            }
        }
        roundsBefore = rounds;
        differentBefore = counters.get(NodeCounter.REPAIR_RANGES_DIFFERENT);
        missedBefore = counters.get(NodeCounter.REPAIR_ANSWERS_MISSED);
        scheduler.runNow();
        rebalanceDueNs = now + settleNs;
        return 1;
    }

    /**
     * @return the ring version being rebalanced to, or -1 if none (this node does not lead, or it is done).
     */
    public long rebalancingVersion()
    {
        return rebalanceVersion;
    }

    private int answerPending()
    {
        final ClusterLog log = cluster.log();
        int work = 0;
        for (int i = pending.size() - 1; i >= 0; i--)
        {
            final PendingChange change = pending.get(i);
            if (log.commitIndex() >= change.index() && log.termAt(change.index()) == change.term())
            {
                respond(change.source(), change.correlationId(), MembershipResponseDescriptor.COMMITTED,
                    change.ringVersion(), "committed at index " + change.index());
            }
            else if (cluster.role() != Role.LEADER || cluster.term() != change.term())
            {
                respond(change.source(), change.correlationId(), MembershipResponseDescriptor.LOST,
                    change.ringVersion(), "leadership of term " + change.term() + " ended before the change " +
                    "committed; it may still commit under the next leader: check the ring version");
            }
            else
            {
                continue;
            }
            pending.remove(i);
            work++;
        }
        return work;
    }

    /**
     * Commits gone the first node of the ring unheard for {@code repair.node.gone.after} (counted from when this
     * node began to lead at the earliest), while the ring keeps more than N nodes.
     */
    private int commitGone(final Ring ring, final long now)
    {
        if (ring == null || ring.nodeCount() <= ring.replicationFactor() || changeInProgress())
        {
            return 0;
        }
        for (final RingNode node : ring.nodes())
        {
            final int id = node.id();
            if (id == cluster.nodeId())
            {
                continue;
            }
            final long heardNs = Math.max(cluster.lastHeardNs(id), leaderSinceNs);
            if (now - heardNs > repair.nodeGoneAfterNs() && cluster.isSingleVoterChange(ring.withoutNode(id)))
            {
                final long index = propose(LogEntryDescriptor.TYPE_NODE_GONE, ring.withoutNode(id));
                if (index > 0)
                {
                    out.println("rfs membership: node " + id + " unheard for " +
                        TimeUnit.NANOSECONDS.toSeconds(now - heardNs) + " s: committing it gone (log index " +
                        index + "); repair re-replicates its data");
                }
                return 1;
            }
        }
        return 0;
    }

    private boolean changeInProgress()
    {
        final ClusterLog log = cluster.log();
        return log.lastIndex() > log.commitIndex();
    }

    private long propose(final int type, final Ring next)
    {
        try
        {
            return cluster.propose(type, next);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return -1;
        }
    }

    @Override
    public void onMessage(
        final int source, final int type, final long correlationId, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final MembershipRequestDecoder request;
        try
        {
            request = requestDecoder.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            respond(source, correlationId, MembershipResponseDescriptor.REFUSED, 0, ex.getMessage());
            return;
        }
        if (cluster.role() != Role.LEADER)
        {
            respond(source, correlationId, MembershipResponseDescriptor.NOT_LEADER, 0,
                "node " + cluster.nodeId() + " does not lead; leader is " + cluster.leaderId());
            return;
        }
        final Ring ring = ringInForce.get();
        if (changeInProgress())
        {
            respond(source, correlationId, MembershipResponseDescriptor.BUSY, ring.version(),
                "an earlier change is not committed yet; try again");
            return;
        }
        final int id = request.nodeId();
        final Ring next;
        final int entryType;
        if (request.operation() == MembershipRequestDescriptor.ADD)
        {
            if (ring.contains(id))
            {
                final RingNode node = ring.node(id);
                final boolean same = cluster.ring() != null && node.address().equals(request.address()) &&
                    node.zone().equals(request.zone()) && node.weight() == request.weight();
                respond(source, correlationId, same ? MembershipResponseDescriptor.COMMITTED :
                    MembershipResponseDescriptor.REFUSED, ring.version(), same ?
                    "node " + id + " is in the committed ring as asked (a repeated request)" :
                    "node " + id + " is in the ring already");
                return;
            }
            try
            {
                next = ring.withNode(new RingNode(id, request.address(), request.weight(), request.zone()));
            }
            catch (final IllegalArgumentException ex)
            {
                respond(source, correlationId, MembershipResponseDescriptor.REFUSED, ring.version(), ex.getMessage());
                return;
            }
            entryType = LogEntryDescriptor.TYPE_ADD_NODE;
        }
        else if (request.operation() == MembershipRequestDescriptor.WEIGHT)
        {
            if (!ring.contains(id))
            {
                respond(source, correlationId, MembershipResponseDescriptor.REFUSED, ring.version(),
                    "node " + id + " is not in the ring");
                return;
            }
            if (ring.node(id).weight() == request.weight())
            {
                // a request repeated after a lost answer, or one that changes nothing: both already hold
                respond(source, correlationId, MembershipResponseDescriptor.COMMITTED, ring.version(),
                    "node " + id + " has weight " + request.weight() + " in the ring in force");
                return;
            }
            try
            {
                next = ring.withWeight(id, request.weight());
            }
            catch (final IllegalArgumentException ex)
            {
                respond(source, correlationId, MembershipResponseDescriptor.REFUSED, ring.version(), ex.getMessage());
                return;
            }
            entryType = LogEntryDescriptor.TYPE_WEIGHT_CHANGE;
        }
        else
        {
            if (!ring.contains(id))
            {
                // a request repeated after a lost answer finds the node gone: what it asked for holds
                respond(source, correlationId, MembershipResponseDescriptor.COMMITTED, ring.version(),
                    "node " + id + " is not in the ring in force (removed already, or never added)");
                return;
            }
            if (ring.nodeCount() <= ring.replicationFactor())
            {
                respond(source, correlationId, MembershipResponseDescriptor.REFUSED, ring.version(),
                    "the ring has " + ring.nodeCount() + " nodes; removing one would leave fewer than N = " +
                    ring.replicationFactor() + " copies of the data");
                return;
            }
            next = ring.withoutNode(id);
            entryType = LogEntryDescriptor.TYPE_REMOVE_NODE;
        }
        if (!cluster.isSingleVoterChange(next))
        {
            respond(source, correlationId, MembershipResponseDescriptor.REFUSED, ring.version(),
                "the voting members differ from the ring's nodes (cluster.voters names others): a change would " +
                "add or remove more than one voter at once");
            return;
        }
        final long index = propose(entryType, next);
        if (index < 0)
        {
            respond(source, correlationId, MembershipResponseDescriptor.LOST, ring.version(),
                "the change could not be appended to the leader's log");
            return;
        }
        pending.add(new PendingChange(source, correlationId, index, cluster.term(), next.version()));
    }

    private void respond(
        final int destination, final long correlationId, final int status, final long ringVersion, final String text)
    {
        responseEncoder.wrap(responseBuffer, 0).status(status).leaderId(cluster.leaderId()).ringVersion(ringVersion)
            .text(text);
        transport.offer(destination, MessageTypes.MEMBERSHIP_RESPONSE, correlationId, responseBuffer, 0,
            responseEncoder.encodedLength());
    }
}
