package io.rfs.replication.sim;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.node.Node;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.transport.fault.SimulatedNetwork;
import io.rfs.store.ConfigurationException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.manifest.Manifest;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One seed's run of the deterministic simulator: a {@link SimulationCluster} of real nodes, a
 * {@link SimulationClient} running a random workload, and a fault schedule, all on one thread and one virtual clock
 * that jumps to whatever comes next (a message due, a scheduled workload or fault action, or the nodes' next duty
 * cycle). Everything random derives from the seed, so a run replays exactly.
 * <p>
 * Invariants, checked as the run goes: a read never returns a chunk whose bytes fail their SHA-256, never returns
 * content other than what the version it names was written with, never a version older than the newest one
 * acknowledged before the read began (QUORUM writes and reads), never a version the workload did not write; at
 * most one node leads in a term. At the end, once faults stop (network mended, crashed nodes restarted), within
 * {@link Context#healTimeNs()} every file's newest acknowledged version must read back intact and every chunk of
 * every live file must verify on all N of its ring owners.
 */
public final class Simulation
{
    private static final int NAMES = 16;
    private static final String[] NAME_TEXT = new String[NAMES];
    private static final int MAX_OPERATIONS_IN_FLIGHT_PER_CLIENT = 2;
    private static final long OPERATION_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long PARTITION_INTERVAL_NS = TimeUnit.SECONDS.toNanos(6);
    private static final long CRASH_INTERVAL_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long ROT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(4);
    private static final long POWER_LOSS_INTERVAL_NS = TimeUnit.SECONDS.toNanos(30);
    private static final double FORCE_FAILURE_PROBABILITY = 0.001;
    private static final long QUIESCE_NS = TimeUnit.SECONDS.toNanos(30);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static
    {
        for (int i = 0; i < NAMES; i++)
        {
            NAME_TEXT[i] = String.format("file-%02d", i);
        }
    }

    private final Context context;
    private final SplittableRandom random;
    private final EventLog events;
    private final SimulationCluster cluster;
    private final SimulationClient[] clients;
    private final int[] clientOperationsInFlight;
    private final ClusterOperations operator;
    private final EnumMap<OperationKind, Long> operationCounts = new EnumMap<>(OperationKind.class);
    private final History history = new History();
    private final PriorityQueue<Action> actions = new PriorityQueue<>(Action.ORDER);
    private final Long2LongHashMap leaders = new Long2LongHashMap(-1);
    private final List<String> violations = new ArrayList<>();
    private final EnumMap<FaultKind, Long> faults = new EnumMap<>(FaultKind.class);
    private final boolean[] supervisorRestarting;
    /** The term each node was last seen leading in, already checked against {@link #leaders}. */
    private final long[] checkedLeaderTerm;
    private final int rotNode;
    private long actionSequence;
    private long operations;
    private long acknowledged;
    private long unavailable;
    private boolean faultPhase = true;

    private Simulation(final Context context, final Path directory) throws IOException
    {
        this.context = context;
        this.random = new SplittableRandom(context.seed());
        final SimulationCluster[] holder = new SimulationCluster[1];
        this.events = new EventLog(() -> holder[0] == null ? 0 : holder[0].nanoClock.nanoTime(),
            context.eventSink());
        this.cluster = new SimulationCluster(context.seed(), context.nodes(), directory, events,
            context.lyingForces(), () -> violation("a node agent threw (see trace)"));
        holder[0] = cluster;
        this.clients = new SimulationClient[context.clients()];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = new SimulationClient(cluster, SimulationCluster.CLIENT_ID + i, context.skipReadChecksum());
        }
        this.clientOperationsInFlight = new int[clients.length];
        this.supervisorRestarting = new boolean[context.nodes() + SimulationCluster.MAX_ADDED_NODES + 1];
        this.checkedLeaderTerm = new long[supervisorRestarting.length];
        Arrays.fill(checkedLeaderTerm, -1);
        this.rotNode = 1 + random.nextInt(context.nodes());
        this.operator = new ClusterOperations(cluster, events, random, rotNode, this::violation);
        for (final FaultKind kind : FaultKind.values())
        {
            faults.put(kind, 0L);
        }
        for (final OperationKind kind : OperationKind.values())
        {
            operationCounts.put(kind, 0L);
        }
        configureLinks();
    }

    /**
     * Runs one seed in a fresh directory under {@link Context#directory()}, deleted afterwards.
     *
     * @param context concluded here.
     * @return how it ended.
     */
    public static SimulationResult run(final Context context)
    {
        context.conclude();
        final long wallStart = System.nanoTime();
        final long cpuStart = THREADS.getCurrentThreadCpuTime();
        Path directory = null;
        try
        {
            directory = Files.createTempDirectory(context.directory(), "rfs-sim-" + context.seed() + "-");
            final Simulation simulation = new Simulation(context, directory);
            try
            {
                return simulation.run(wallStart, cpuStart);
            }
            finally
            {
                simulation.cluster.close();
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("seed " + context.seed() + ": " + ex.getMessage(), ex);
        }
        finally
        {
            deleteQuietly(directory);
        }
    }

    private SimulationResult run(final long wallStart, final long cpuStart)
    {
        final long faultsEndNs = now() + context.virtualTimeNs();
        schedule(0, this::startOperation);
        final EnumSet<FaultKind> kinds = context.faults();
        if (kinds.contains(FaultKind.PARTITION))
        {
            schedule(exponential(PARTITION_INTERVAL_NS), this::partition);
        }
        if (kinds.contains(FaultKind.CRASH))
        {
            schedule(exponential(CRASH_INTERVAL_NS), () -> crash(false));
            schedule(exponential(POWER_LOSS_INTERVAL_NS), () -> crash(true));
        }
        if (kinds.contains(FaultKind.ROT))
        {
            schedule(exponential(ROT_INTERVAL_NS), this::rot);
        }
        if (kinds.contains(FaultKind.FORCE_FAILURE))
        {
            cluster.forceFailureProbability(FORCE_FAILURE_PROBABILITY);
        }
        events.record("seed " + context.seed() + " faults " + kinds + " rot node " + rotNode);
        while (now() < faultsEndNs && violations.isEmpty())
        {
            cycle();
        }
        if (violations.isEmpty())
        {
            heal();
            converge();
        }
        faults.put(FaultKind.LOSS, cluster.network.droppedCount());
        faults.put(FaultKind.DUPLICATE, cluster.network.duplicatedCount());
        faults.put(FaultKind.REORDER, cluster.network.reorderedCount());
        long failedForces = 0;
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            failedForces += cluster.disk(id).failedForces();
        }
        faults.put(FaultKind.FORCE_FAILURE, failedForces);
        events.record("end: " + violations.size() + " violations, faults " + faults);
        return new SimulationResult(context.seed(), now(), faults, operationCounts, operator.outcomes(), operations,
            acknowledged, unavailable,
            violations, events.finish(), events.trace(), System.nanoTime() - wallStart,
            THREADS.getCurrentThreadCpuTime() - cpuStart);
    }

    private long now()
    {
        return cluster.nanoClock.nanoTime();
    }

    /**
     * One duty cycle of everything that has something to do (the nodes and clients that do: see
     * {@link SimulationCluster#stepDueNodes()}), then the clock jumps to the next thing due: a message, an agent's next
     * step, or a scheduled action.
     */
    private void cycle()
    {
        final int nodesStepped = cluster.stepDueNodes();
        final long nowNs = now();
        for (final SimulationClient client : clients)
        {
            if (client.isDue(nowNs))
            {
                client.doWork();
            }
        }
        if (nodesStepped > 0)
        {
            // a node changes (leads, fails its storage, applies a ring) only when stepped
            checkNodes();
        }
        Action action;
        while ((action = actions.peek()) != null && action.atNs <= now())
        {
            actions.poll();
            action.task.run();
        }
        long next = cluster.nextStepNs();
        for (final SimulationClient client : clients)
        {
            next = Math.min(next, client.nextStepNs());
        }
        if (!actions.isEmpty())
        {
            next = Math.min(next, actions.peek().atNs);
        }
        next = Math.max(next, nowNs + 1_000);
        cluster.nanoClock.update(next);
        cluster.epochClock.update(SimulationCluster.EPOCH_START_MS + TimeUnit.NANOSECONDS.toMillis(next));
    }

    /**
     * At most one leader per term; and a node whose storage failed (a force failed: it refuses everything and asks
     * to be restarted) is restarted a second later, as its supervisor would.
     */
    private void checkNodes()
    {
        operator.refreshRing();
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            final Node node = cluster.node(id);
            if (node != null && node.storageAgent().failure() != null && !supervisorRestarting[id])
            {
                final int failed = id;
                supervisorRestarting[id] = true;
                events.record("node " + id + " storage failed, supervisor restarts it");
                scheduleAlways(TimeUnit.SECONDS.toNanos(1), () ->
                {
                    supervisorRestarting[failed] = false;
                    if (cluster.isUp(failed) && !cluster.isRetired(failed))
                    {
                        io(() -> cluster.crash(failed));
                        io(() -> cluster.start(failed));
                    }
                });
            }
            // a leader keeps its term for many cycles: only a new (node, term) pair can break the rule
            if (node != null && node.clusterAgent().role() == Role.LEADER &&
                node.clusterAgent().term() != checkedLeaderTerm[id])
            {
                final long term = node.clusterAgent().term();
                checkedLeaderTerm[id] = term;
                final long leader = leaders.get(term);
                if (leader < 0)
                {
                    leaders.put(term, id);
                    events.record("node " + id + " leads term " + term);
                }
                else if (leader != id)
                {
                    violation("two leaders in term " + term + ": nodes " + leader + " and " + id);
                }
            }
        }
    }

    private void startOperation()
    {
        if (!faultPhase)
        {
            return;
        }
        schedule(exponential(OPERATION_INTERVAL_NS), this::startOperation);
        final int c = random.nextInt(clients.length);
        final SimulationClient client = clients[c];
        if (client.ring().version() != cluster.ring().version())
        {
            // a client connects afresh to take the new ring, once it has nothing in flight
            if (clientOperationsInFlight[c] > 0 || !client.isIdle())
            {
                return;
            }
            client.reconnect(cluster.ring());
            events.record("client " + client.id() + " reconnects: ring version " + cluster.ring().version());
        }
        if (clientOperationsInFlight[c] >= MAX_OPERATIONS_IN_FLIGHT_PER_CLIENT)
        {
            return;
        }
        final String name = NAME_TEXT[random.nextInt(NAMES)];
        final double kind = random.nextDouble();
        final OperationKind operation = kind < 0.43 ? OperationKind.PUT : kind < 0.53 ? OperationKind.DELETE :
            kind < 0.95 ? OperationKind.GET : kind < 0.985 ? OperationKind.VERIFY : kind < 0.993 ?
            OperationKind.REPAIR : kind < 0.9965 ? OperationKind.ADD_NODE : OperationKind.REMOVE_NODE;
        operations++;
        operationCounts.merge(operation, 1L, Long::sum);
        clientOperationsInFlight[c]++;
        final Runnable done = () -> clientOperationsInFlight[c]--;
        switch (operation)
        {
            case PUT -> put(client, name, done);
            case DELETE -> delete(client, name, done);
            case GET -> get(client, name, done);
            case VERIFY -> operator.verify(client, name, done);
            case REPAIR -> operator.repairNow(client, done);
            case ADD_NODE -> io(() -> operator.addNode(client, done));
            case REMOVE_NODE -> operator.removeNode(client, done);
        }
    }

    private void put(final SimulationClient client, final String name, final Runnable done)
    {
        final byte[] content = content();
        final History.Write write = history.started(name, client.nextVersion(), content, client.ring().version());
        events.record("put " + name + " " + write.version + " " + content.length + " bytes");
        client.put(name, write.version, content, ok -> written(write, ok, done));
    }

    private void delete(final SimulationClient client, final String name, final Runnable done)
    {
        final History.Write write = history.started(name, client.nextVersion(), null, client.ring().version());
        events.record("delete " + name + " " + write.version);
        client.delete(name, write.version, ok -> written(write, ok, done));
    }

    private void written(final History.Write write, final boolean ok, final Runnable done)
    {
        done.run();
        if (ok)
        {
            write.state = History.State.ACKNOWLEDGED;
            write.acknowledgedNs = now();
            acknowledged++;
        }
        else
        {
            write.state = History.State.FAILED;
            unavailable++;
        }
        events.record((write.isDelete() ? "delete " : "put ") + write.name + " " + write.version +
            (ok ? " acknowledged" : " failed"));
    }

    private void get(final SimulationClient client, final String name, final Runnable done)
    {
        final History.Write owed = history.owed(name, now(), client.ring().version());
        client.get(name, ConsistencyLevel.QUORUM, new SimulationClient.ReadListener()
        {
            @Override
            public void onRead(final Manifest manifest, final byte[] content)
            {
                done.run();
                events.record("get " + name + " by client " + client.id() + " -> " + describe(manifest));
                checkRead(name, owed, manifest, content);
            }

            @Override
            public void onUnavailable(final String why)
            {
                done.run();
                unavailable++;
                events.record("get " + name + " unavailable: " + why);
            }
        });
    }

    private void checkRead(final String name, final History.Write owed, final Manifest manifest, final byte[] content)
    {
        if (manifest == null)
        {
            if (owed != null && !owed.isDelete())
            {
                violation("get " + name + " found nothing, but put " + owed.version + " was acknowledged");
            }
            return;
        }
        final History.Write write = history.find(name, manifest.version());
        if (write == null)
        {
            violation("get " + name + " returned version " + manifest.version() + ", which was never written");
            return;
        }
        if (owed != null && manifest.version().compareTo(owed.version) < 0)
        {
            violation("get " + name + " returned " + manifest.version() + ", older than acknowledged " +
                owed.version);
            return;
        }
        if (manifest.isTombstone() != write.isDelete())
        {
            violation("get " + name + " " + manifest.version() + " returned a " +
                (manifest.isTombstone() ? "tombstone for a put" : "file for a delete"));
            return;
        }
        if (content == null)
        {
            return;
        }
        int offset = 0;
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            final int length = manifest.chunkLength(i);
            final ChunkId id = manifest.chunkId(i);
            if (!id.matches(Sha256.digest(Arrays.copyOfRange(content, offset, offset + length)), 0))
            {
                violation("get " + name + " " + manifest.version() + " returned chunk " + i + " (" +
                    id.toShortHex() + ") whose bytes fail its SHA-256");
                return;
            }
            offset += length;
        }
        if (!Arrays.equals(content, write.content))
        {
            violation("get " + name + " " + manifest.version() + " read back different bytes than were put");
        }
    }

    private void partition()
    {
        schedule(exponential(PARTITION_INTERVAL_NS), this::partition);
        final SimulatedNetwork network = cluster.network;
        final int a = 1 + random.nextInt(cluster.nodeCount());
        final int b = 1 + (a + random.nextInt(cluster.nodeCount() - 1)) % cluster.nodeCount();
        final long healAfter = TimeUnit.MILLISECONDS.toNanos(500 + random.nextInt(8_000));
        final double shape = random.nextDouble();
        count(FaultKind.PARTITION);
        if (shape < 0.4)
        {
            network.partition(a, b);
            events.record("partition " + a + " <-> " + b);
            schedule(healAfter, () -> heal(() -> network.heal(a, b), "heal " + a + " <-> " + b));
        }
        else if (shape < 0.6)
        {
            network.partitionOneWay(a, b);
            events.record("partition " + a + " -> " + b);
            schedule(healAfter, () -> heal(() -> network.healOneWay(a, b), "heal " + a + " -> " + b));
        }
        else if (shape < 0.8)
        {
            final int client = clients[random.nextInt(clients.length)].id();
            network.partition(a, client);
            events.record("partition client " + client + " <-> " + a);
            schedule(healAfter, () -> heal(() -> network.heal(a, client), "heal client " + client + " " + a));
        }
        else
        {
            network.isolate(a);
            events.record("isolate " + a);
            schedule(healAfter, () -> heal(() -> network.rejoin(a), "rejoin " + a));
        }
    }

    private void heal(final Runnable mend, final String what)
    {
        mend.run();
        events.record(what);
    }

    /**
     * @param powerLoss every node at once, rather than one.
     */
    private void crash(final boolean powerLoss)
    {
        schedule(exponential(powerLoss ? POWER_LOSS_INTERVAL_NS : CRASH_INTERVAL_NS), () -> crash(powerLoss));
        final int victim = 1 + random.nextInt(cluster.nodeCount());
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            if ((powerLoss || id == victim) && cluster.isUp(id) && !cluster.isRetired(id))
            {
                count(FaultKind.CRASH);
                final int crashed = id;
                io(() -> cluster.crash(crashed));
                final long downNs = TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(powerLoss ? 3_000 : 8_000));
                schedule(downNs, () -> restart(crashed));
            }
        }
        if (powerLoss)
        {
            events.record("power loss: every node crashed");
        }
    }

    private void restart(final int id)
    {
        if (!cluster.isUp(id) && !cluster.isRetired(id))
        {
            io(() -> cluster.start(id));
        }
    }

    private void rot()
    {
        schedule(exponential(ROT_INTERVAL_NS), this::rot);
        final int victim = context.rotOnAnyNode() ? 1 + random.nextInt(cluster.voterCount()) : rotNode;
        io(() ->
        {
            if (cluster.disk(victim).rotChunk(cluster.chunksDirectory(victim)))
            {
                count(FaultKind.ROT);
            }
        });
    }

    /**
     * Faults stop: links mended and clean, crashed nodes restarted, no more rot or failed forces. The workload stops
     * starting operations. Rotted chunks are left to the nodes' scrubbers and the leader's repair.
     */
    private void heal()
    {
        faultPhase = false;
        actions.removeIf(Action::fault);
        cluster.network.healAll();
        final int[] ids = new int[cluster.nodeCount() + clients.length];
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            ids[id - 1] = id;
        }
        for (int i = 0; i < clients.length; i++)
        {
            ids[cluster.nodeCount() + i] = clients[i].id();
        }
        for (final int a : ids)
        {
            for (final int b : ids)
            {
                if (a != b)
                {
                    cluster.network.faults(a, b).dropProbability(0).duplicateProbability(0).reorder(0, 0);
                }
            }
        }
        cluster.forceFailureProbability(0);
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            final int node = id;
            if (!cluster.isUp(id) && !cluster.isRetired(id))
            {
                io(() -> cluster.start(node));
            }
        }
        events.record("faults stop");
        final long quiesceEnd = now() + QUIESCE_NS;
        while (!clientsIdle() && now() < quiesceEnd && violations.isEmpty())
        {
            cycle();
        }
    }

    private boolean clientsIdle()
    {
        for (int i = 0; i < clients.length; i++)
        {
            if (clientOperationsInFlight[i] > 0 || !clients[i].isIdle())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Audits every name until the cluster has converged or {@link Context#healTimeNs()} has passed.
     */
    private void converge()
    {
        final long deadline = now() + context.healTimeNs();
        List<String> problems = List.of();
        while (violations.isEmpty())
        {
            problems = audit();
            if (problems.isEmpty() || now() >= deadline)
            {
                break;
            }
            final long wakeNs = now() + SimulationCluster.REPAIR_INTERVAL_NS;
            while (now() < wakeNs && violations.isEmpty())
            {
                cycle();
            }
        }
        if (violations.isEmpty() && !problems.isEmpty())
        {
            recordNodeStates();
            violation("not converged " + TimeUnit.NANOSECONDS.toSeconds(context.healTimeNs()) + " s after faults " +
                "stopped: " + problems.size() + " problems, first " + problems.subList(0, Math.min(3, problems.size())));
        }
        else if (violations.isEmpty())
        {
            events.record("converged");
        }
    }

    /**
     * What each live node believes (role, term, the ring it applied), for whoever replays a run that did not
     * converge: a node on another ring than the leader's is left out of every repair round.
     */
    private void recordNodeStates()
    {
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            if (cluster.isUp(id))
            {
                final Node node = cluster.node(id);
                events.record("node " + id + ": " + node.clusterAgent().role() + " in term " +
                    node.clusterAgent().term() + ", ring version " + node.clusterAgent().ringVersion() +
                    (cluster.ring().contains(id) ? "" : ", not in the ring"));
            }
        }
    }

    private List<String> audit()
    {
        final List<String> problems = new ArrayList<>();
        final ArrayDeque<Runnable> queue = new ArrayDeque<>();
        final int[] outstanding = { 0 };
        final SimulationClient client = clients[0];
        if (client.ring().version() != cluster.ring().version() && client.isIdle())
        {
            client.reconnect(cluster.ring());
        }
        final Ring ring = client.ring();
        for (final String name : history.names())
        {
            queue.add(() ->
            {
                outstanding[0]++;
                client.readManifest(name, ConsistencyLevel.ALL, manifest ->
                {
                    outstanding[0]--;
                    final History.Write owed = history.owed(name, Long.MAX_VALUE);
                    checkRead(name, owed, manifest, null);
                    if (manifest == null || manifest.isTombstone())
                    {
                        return;
                    }
                    queue.add(() ->
                    {
                        outstanding[0]++;
                        client.get(name, ConsistencyLevel.QUORUM, new SimulationClient.ReadListener()
                        {
                            @Override
                            public void onRead(final Manifest read, final byte[] content)
                            {
                                outstanding[0]--;
                                checkRead(name, owed, read, content);
                            }

                            @Override
                            public void onUnavailable(final String why)
                            {
                                outstanding[0]--;
                                problems.add(name + " unreadable: " + why);
                            }
                        });
                    });
                    queue.add(() ->
                    {
                        outstanding[0]++;
                        operator.verifyChunks(client, name, manifest, problems::add, healthy -> outstanding[0]--);
                    });
                    final int[] owners = new int[SimulationCluster.REPLICATION_FACTOR];
                    for (int i = 0; i < manifest.chunkCount(); i++)
                    {
                        final ChunkId id = manifest.chunkId(i);
                        final int length = manifest.chunkLength(i);
                        final int count = ring.replicas(Ring.chunkPosition(id), owners);
                        for (int r = 0; r < count; r++)
                        {
                            final int owner = owners[r];
                            queue.add(() ->
                            {
                                outstanding[0]++;
                                client.verifyReplica(owner, id, length, ok ->
                                {
                                    outstanding[0]--;
                                    if (!ok)
                                    {
                                        problems.add("chunk " + id.toShortHex() + " of " + name + " not healthy on " +
                                            "node " + owner);
                                    }
                                });
                            });
                        }
                    }
                }, why ->
                {
                    outstanding[0]--;
                    problems.add(name + " manifest unreadable at ALL: " + why);
                });
            });
        }
        while ((!queue.isEmpty() || outstanding[0] > 0) && violations.isEmpty())
        {
            while (!queue.isEmpty() && client.inFlight() < 32)
            {
                queue.poll().run();
            }
            cycle();
        }
        events.record("audit: " + problems.size() + " problems");
        return problems;
    }

    private byte[] content()
    {
        final int length = random.nextInt(3 * SimulationClient.CHUNK_SIZE + 1);
        final byte[] content = new byte[length];
        if (random.nextBoolean())
        {
            // random bytes: stored raw, so a flipped bit reaches a reader as a wrong byte, not a failed decompress
            random.nextBytes(content);
            return content;
        }
        int i = 0;
        while (i < length)
        {
            // runs of a few letters: compressible, stored LZ4-compressed
            final byte letter = (byte)('a' + random.nextInt(16));
            final int run = 1 + random.nextInt(12);
            for (int j = 0; j < run && i < length; j++)
            {
                content[i++] = letter;
            }
        }
        return content;
    }

    private void configureLinks()
    {
        final EnumSet<FaultKind> kinds = context.faults();
        cluster.network.context().defaultFaults()
            .latency(TimeUnit.MICROSECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(2))
            .dropProbability(kinds.contains(FaultKind.LOSS) ? 0.01 : 0)
            .duplicateProbability(kinds.contains(FaultKind.DUPLICATE) ? 0.01 : 0)
            .reorder(kinds.contains(FaultKind.REORDER) ? 0.02 : 0, TimeUnit.MILLISECONDS.toNanos(20));
    }

    private void count(final FaultKind kind)
    {
        faults.merge(kind, 1L, Long::sum);
    }

    private void violation(final String what)
    {
        events.record("VIOLATION " + what);
        violations.add(what);
    }

    private long exponential(final long meanNs)
    {
        return 1 + (long)(-Math.log(1.0 - random.nextDouble()) * meanNs);
    }

    /**
     * Schedules a fault or workload action: dropped when faults stop.
     */
    private void schedule(final long afterNs, final Runnable task)
    {
        actions.add(new Action(now() + afterNs, ++actionSequence, true, task));
    }

    private void scheduleAlways(final long afterNs, final Runnable task)
    {
        actions.add(new Action(now() + afterNs, ++actionSequence, false, task));
    }

    private void io(final IoTask task)
    {
        try
        {
            task.run();
        }
        catch (final IOException | RuntimeException ex)
        {
            violation("simulator could not " + cluster.relative(ex.toString()));
        }
    }

    private static String describe(final Manifest manifest)
    {
        return manifest == null ? "nothing" : manifest.version() + (manifest.isTombstone() ? " tombstone" :
            " " + manifest.size() + " bytes");
    }

    private static void deleteQuietly(final Path directory)
    {
        if (directory == null)
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ignore)
        {
            // a leftover temporary directory is harmless
        }
    }

    private interface IoTask
    {
        void run() throws IOException;
    }

    private record Action(long atNs, long sequence, boolean fault, Runnable task)
    {
        private static final Comparator<Action> ORDER =
            Comparator.comparingLong(Action::atNs).thenComparingLong(Action::sequence);
    }

    /**
     * Settings of one run.
     */
    public static final class Context
    {
        /** Default virtual time with faults: 60 s. */
        public static final long VIRTUAL_TIME_NS_DEFAULT = TimeUnit.SECONDS.toNanos(60);
        /** Default bound on convergence once faults stop: 120 s. */
        public static final long HEAL_TIME_NS_DEFAULT = TimeUnit.SECONDS.toNanos(120);
        /** Default number of nodes (N = 3 over them). */
        public static final int NODES_DEFAULT = 4;
        /** Default number of clients issuing operations at once. */
        public static final int CLIENTS_DEFAULT = 3;
        /** Most clients: their ids follow the first client's, below nothing else on the network. */
        public static final int MAX_CLIENTS = 16;

        private long seed;
        private long virtualTimeNs = VIRTUAL_TIME_NS_DEFAULT;
        private long healTimeNs = HEAL_TIME_NS_DEFAULT;
        private int nodes = NODES_DEFAULT;
        private int clients = CLIENTS_DEFAULT;
        private EnumSet<FaultKind> faults = EnumSet.allOf(FaultKind.class);
        private boolean skipReadChecksum;
        private boolean lyingForces;
        private boolean rotOnAnyNode;
        private Path directory;
        private Consumer<String> eventSink;

        /**
         * @return this, checked; the directory defaults to {@code /dev/shm} where it exists (a tmpfs), else the
         * system's temporary directory.
         * @throws ConfigurationException naming a wrong setting.
         */
        public Context conclude()
        {
            if (virtualTimeNs <= 0)
            {
                throw new ConfigurationException("virtualTimeNs", virtualTimeNs, "must be positive");
            }
            if (healTimeNs <= 0)
            {
                throw new ConfigurationException("healTimeNs", healTimeNs, "must be positive");
            }
            if (nodes < SimulationCluster.REPLICATION_FACTOR)
            {
                throw new ConfigurationException("nodes", nodes, "must be at least " +
                    SimulationCluster.REPLICATION_FACTOR);
            }
            if (clients < 1 || clients > MAX_CLIENTS)
            {
                throw new ConfigurationException("clients", clients, "must be 1.." + MAX_CLIENTS);
            }
            if (directory == null)
            {
                final Path shm = Path.of("/dev/shm");
                directory = Files.isDirectory(shm) && Files.isWritable(shm) ? shm :
                    Path.of(System.getProperty("java.io.tmpdir"));
            }
            return this;
        }

        public long seed()
        {
            return seed;
        }

        /**
         * @param seed everything random in the run derives from it.
         * @return this.
         */
        public Context seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        public long virtualTimeNs()
        {
            return virtualTimeNs;
        }

        /**
         * @param virtualTimeNs virtual time of workload and faults; default {@link #VIRTUAL_TIME_NS_DEFAULT}.
         * @return this.
         */
        public Context virtualTimeNs(final long virtualTimeNs)
        {
            this.virtualTimeNs = virtualTimeNs;
            return this;
        }

        public long healTimeNs()
        {
            return healTimeNs;
        }

        /**
         * @param healTimeNs how long after faults stop the cluster may take to converge; default
         *                   {@link #HEAL_TIME_NS_DEFAULT}.
         * @return this.
         */
        public Context healTimeNs(final long healTimeNs)
        {
            this.healTimeNs = healTimeNs;
            return this;
        }

        public int nodes()
        {
            return nodes;
        }

        /**
         * @param nodes nodes in the ring; default {@link #NODES_DEFAULT}.
         * @return this.
         */
        public Context nodes(final int nodes)
        {
            this.nodes = nodes;
            return this;
        }

        public int clients()
        {
            return clients;
        }

        /**
         * @param clients clients issuing operations at once, each with its own transport and id; default
         *                {@link #CLIENTS_DEFAULT}.
         * @return this.
         */
        public Context clients(final int clients)
        {
            this.clients = clients;
            return this;
        }

        public EnumSet<FaultKind> faults()
        {
            return EnumSet.copyOf(faults.isEmpty() ? EnumSet.noneOf(FaultKind.class) : faults);
        }

        /**
         * @param faults the fault kinds to inject; default all.
         * @return this.
         */
        public Context faults(final EnumSet<FaultKind> faults)
        {
            this.faults = EnumSet.noneOf(FaultKind.class);
            this.faults.addAll(faults);
            return this;
        }

        public boolean skipReadChecksum()
        {
            return skipReadChecksum;
        }

        /**
         * @param skip test only, a broken rule: the client returns chunks without checking their SHA-256.
         * @return this.
         */
        public Context skipReadChecksum(final boolean skip)
        {
            this.skipReadChecksum = skip;
            return this;
        }

        public boolean lyingForces()
        {
            return lyingForces;
        }

        /**
         * @param lying test only, a broken rule: forces return without making anything durable, so nodes
         *              acknowledge writes a crash can take.
         * @return this.
         */
        public Context lyingForces(final boolean lying)
        {
            this.lyingForces = lying;
            return this;
        }

        public boolean rotOnAnyNode()
        {
            return rotOnAnyNode;
        }

        /**
         * @param any test only, a broken rule of the model: bits are flipped on any initial node, while the checker
         *            still holds that only the run's rot node has flipped bits (so verify must blame another).
         * @return this.
         */
        public Context rotOnAnyNode(final boolean any)
        {
            this.rotOnAnyNode = any;
            return this;
        }

        public Consumer<String> eventSink()
        {
            return eventSink;
        }

        /**
         * @param eventSink told every line of the event log as it is written (to replay a seed in full); default
         *                  none: only the hash and the last lines are kept.
         * @return this.
         */
        public Context eventSink(final Consumer<String> eventSink)
        {
            this.eventSink = eventSink;
            return this;
        }

        public Path directory()
        {
            return directory;
        }

        /**
         * @param directory where each run makes (and deletes) its nodes' data directories.
         * @return this.
         */
        public Context directory(final Path directory)
        {
            this.directory = directory;
            return this;
        }
    }
}
