package io.rfs.replication.cluster;

import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.fault.SimulatedNetwork;
import io.rfs.replication.transport.fault.SimulatedTransport;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

/**
 * Several nodes' {@link ClusterAgent}s on one {@link SimulatedNetwork}, one thread and one seed, stepped by hand a
 * millisecond at a time. Stopping a node stops stepping it and takes it off the network, as a crash does; starting
 * it again opens its agent on the same directory. Every step checks the safety properties and records any
 * violation: at most one leader per term, every committed entry the same at every node that applies it, applied in
 * index order with no gap, and every leader's log holding every entry committed before it.
 */
final class SimulatedCluster implements AutoCloseable
{
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    final long seed;
    final CachedNanoClock clock = new CachedNanoClock();
    final SimulatedNetwork network;
    final List<String> violations = new ArrayList<>();
    final Map<Long, Integer> leaderOfTerm = new TreeMap<>();
    final Map<Long, String> committed = new HashMap<>();

    private final Path root;
    private final int[] ids;
    private final UnaryOperator<ClusterContext> settings;
    private final Map<Integer, ClusterAgent> agents = new TreeMap<>();
    private final Map<Integer, SimulatedTransport> transports = new HashMap<>();
    private final Map<Integer, Long> lastApplied = new HashMap<>();
    private final java.util.Set<Integer> paused = new java.util.HashSet<>();
    private final SplittableRandom workload;
    private long globalCommit = -1;
    private int proposals;

    SimulatedCluster(final long seed, final Path root, final int size, final UnaryOperator<ClusterContext> settings)
    {
        this.seed = seed;
        this.root = root;
        this.settings = settings;
        this.workload = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.network = new SimulatedNetwork(new SimulatedNetwork.Context().seed(seed).nanoClock(clock));
        clock.update(TimeUnit.SECONDS.toNanos(1_000));
        ids = new int[size];
        for (int i = 0; i < size; i++)
        {
            ids[i] = i + 1;
        }
        for (final int id : ids)
        {
            start(id);
        }
    }

    int[] ids()
    {
        return ids;
    }

    void start(final int id)
    {
        if (agents.containsKey(id))
        {
            throw new IllegalStateException("node " + id + " is running");
        }
        final ClusterContext context = new ClusterContext().nodeId(id).directory(root.resolve("node-" + id))
            .nanoClock(clock).random(new SplittableRandom(seed * 31 + id + 1_000L * restarts(id)))
            .disk(new Disk()).errorHandler(ex -> violations.add("node " + id + " error: " + ex))
            .committedEntryListener((index, term, type, payload, offset, length) ->
            {
                final CRC32C crc = new CRC32C();
                for (int i = 0; i < length; i++)
                {
                    crc.update(payload.getByte(offset + i));
                }
                onApplied(id, index, term + ":" + LogEntryDescriptor.typeName(type) + ":" + crc.getValue());
            });
        for (final int member : ids)
        {
            context.member(member);
        }
        settings.apply(context);
        final SimulatedTransport transport = network.newTransport(id);
        try
        {
            agents.put(id, ClusterAgent.open(context, transport));
        }
        catch (final IOException ex)
        {
            transport.close();
            throw new UncheckedIOException(ex);
        }
        transports.put(id, transport);
        lastApplied.put(id, -1L);
    }

    private final Map<Integer, Integer> restartCounts = new HashMap<>();

    private int restarts(final int id)
    {
        return restartCounts.merge(id, 1, Integer::sum) - 1;
    }

    /**
     * A crash: no more steps, off the network, messages in flight to it lost; its files stay.
     */
    void stop(final int id)
    {
        final ClusterAgent agent = agents.remove(id);
        if (agent != null)
        {
            agent.close();
            transports.remove(id).close();
        }
    }

    /**
     * A stall, not a crash (a long GC, a stuck disk): the node is not stepped, but stays on the network and its
     * messages wait for it.
     */
    void pause(final int id, final boolean pause)
    {
        if (pause)
        {
            paused.add(id);
        }
        else
        {
            paused.remove(id);
        }
    }

    boolean isRunning(final int id)
    {
        return agents.containsKey(id);
    }

    ClusterAgent agent(final int id)
    {
        return agents.get(id);
    }

    /**
     * One millisecond: every running node takes its messages, then does its duty cycle; then the checks.
     */
    void step()
    {
        clock.advance(MS);
        for (final Map.Entry<Integer, ClusterAgent> entry : agents.entrySet())
        {
            if (paused.contains(entry.getKey()))
            {
                continue;
            }
            transports.get(entry.getKey()).poll(entry.getValue(), 64);
            entry.getValue().doWork();
        }
        check();
    }

    void runFor(final long millis)
    {
        for (long i = 0; i < millis; i++)
        {
            step();
        }
    }

    /**
     * Steps until the condition holds or the time runs out.
     *
     * @return simulated milliseconds taken, or -1 if it never held.
     */
    long runUntil(final java.util.function.BooleanSupplier condition, final long maxMillis)
    {
        for (long i = 0; i < maxMillis; i++)
        {
            if (condition.getAsBoolean())
            {
                return i;
            }
            step();
        }
        return condition.getAsBoolean() ? maxMillis : -1;
    }

    /**
     * @return the running leaders (of any term).
     */
    List<Integer> leaders()
    {
        final List<Integer> leaders = new ArrayList<>();
        for (final ClusterAgent agent : agents.values())
        {
            if (agent.role() == Role.LEADER)
            {
                leaders.add(agent.nodeId());
            }
        }
        return leaders;
    }

    /**
     * @return the only running leader, or -1 if there is none or more than one.
     */
    int soleLeader()
    {
        final List<Integer> leaders = leaders();
        return leaders.size() == 1 ? leaders.get(0) : -1;
    }

    /**
     * @param among the nodes to look at.
     * @return the leaders among them.
     */
    List<Integer> leadersAmong(final int... among)
    {
        final List<Integer> leaders = new ArrayList<>();
        for (final int id : among)
        {
            final ClusterAgent agent = agents.get(id);
            if (agent != null && agent.role() == Role.LEADER)
            {
                leaders.add(id);
            }
        }
        return leaders;
    }

    /**
     * Has the sole leader, if any, propose a ring change that keeps every node in the ring (a weight change, or the
     * return of a node an earlier change took out).
     *
     * @return the proposal's index, or -1 if there was no leader or its log was not all committed.
     */
    long propose()
    {
        return propose(false);
    }

    /**
     * Proposes at random moments, about once per {@code meanMillis}: weight changes, and voting members taken out
     * and put back one at a time (Raft's single-server changes) while the network misbehaves.
     */
    void maybePropose(final int meanMillis)
    {
        if (workload.nextInt(meanMillis) == 0)
        {
            propose(true);
        }
    }

    /**
     * As {@code MembershipService} does: one change at a time, from the newest ring in the leader's log, which must
     * be committed; every change adds or removes at most one voter.
     */
    private long propose(final boolean mayRemove)
    {
        final int leader = soleLeader();
        if (leader < 0)
        {
            return -1;
        }
        final ClusterAgent agent = agents.get(leader);
        if (agent.log().commitIndex() != agent.log().lastIndex())
        {
            return -1;
        }
        Ring base = agent.newestRing();
        if (base == null)
        {
            base = Ring.empty(1, 4);
            for (final int id : ids)
            {
                base = base.withNode(RingNode.of(id, "10.0.0." + id + ":7000"));
            }
        }
        final Ring next;
        final int type;
        final Ring current = base;
        final int missing = java.util.Arrays.stream(ids).filter(id -> !current.contains(id)).findFirst().orElse(-1);
        if (missing >= 0)
        {
            next = base.withNode(RingNode.of(missing, "10.0.0." + missing + ":7000"));
            type = LogEntryDescriptor.TYPE_ADD_NODE;
        }
        else if (mayRemove && ids.length > 2 && workload.nextBoolean())
        {
            next = base.withoutNode(ids[workload.nextInt(ids.length)]);
            type = LogEntryDescriptor.TYPE_REMOVE_NODE;
        }
        else
        {
            final int subject = ids[proposals % ids.length];
            next = base.withWeight(subject, RingNode.STANDARD_WEIGHT + 1 + proposals % 100);
            type = LogEntryDescriptor.TYPE_WEIGHT_CHANGE;
        }
        proposals++;
        if (!agent.isSingleVoterChange(next))
        {
            throw new AssertionError("not a single-voter change: " + next.nodes() + " " + this);
        }
        try
        {
            return agent.propose(type, next);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    long globalCommit()
    {
        return globalCommit;
    }

    private void onApplied(final int id, final long index, final String entry)
    {
        final long expected = lastApplied.get(id) + 1;
        if (index != expected)
        {
            violations.add("node " + id + " applied index " + index + " after " + (expected - 1));
        }
        lastApplied.put(id, index);
        final String known = committed.putIfAbsent(index, entry);
        if (known != null && !known.equals(entry))
        {
            violations.add("index " + index + " committed as " + known + " and applied by node " + id + " as " +
                entry);
        }
        globalCommit = Math.max(globalCommit, index);
    }

    private void check()
    {
        for (final ClusterAgent agent : agents.values())
        {
            if (agent.role() != Role.LEADER)
            {
                continue;
            }
            final Integer previous = leaderOfTerm.putIfAbsent(agent.term(), agent.nodeId());
            if (previous != null && previous != agent.nodeId())
            {
                violations.add("term " + agent.term() + " has two leaders: " + previous + " and " + agent.nodeId());
            }
            final ClusterLog log = agent.log();
            for (long i = 0; i <= globalCommit; i++)
            {
                final String entry = committed.get(i);
                final long term = Long.parseLong(entry.substring(0, entry.indexOf(':')));
                if (log.termAt(i) != term)
                {
                    violations.add("leader " + agent.nodeId() + " of term " + agent.term() + " lacks committed " +
                        "entry " + i + " (" + entry + "); its log has term " + log.termAt(i) + " there");
                    return;
                }
            }
        }
    }

    @Override
    public void close()
    {
        for (final int id : ids)
        {
            stop(id);
        }
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("seed=" + seed + " t=" +
            (clock.nanoTime() / MS - 1_000_000) + "ms");
        for (final ClusterAgent agent : agents.values())
        {
            text.append(" [").append(agent.nodeId()).append(' ').append(agent.role()).append(" term ")
                .append(agent.term()).append(" leader ").append(agent.leaderId()).append(" log ")
                .append(agent.log().lastIndex()).append(" commit ").append(agent.log().commitIndex()).append(']');
        }
        return text.toString();
    }
}
