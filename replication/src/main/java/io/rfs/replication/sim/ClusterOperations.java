package io.rfs.replication.sim;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MembershipResponseDecoder;
import io.rfs.replication.protocol.MembershipResponseDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.RepairControlRequestDescriptor;
import io.rfs.replication.protocol.RepairControlRequestEncoder;
import io.rfs.replication.protocol.RepairStatusDecoder;
import io.rfs.replication.protocol.VerifyChunksResponseDescriptor;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.manifest.Manifest;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The operator's operations of the workload, beside puts, deletes and gets: {@code rfs verify} of a file, a repair
 * round started now, and adding or removing a node, each sent by a client as the command sends it, each outcome
 * counted. What they must not do is checked here:
 * <ul>
 *     <li><b>Verify</b> must never find a copy corrupt on a node other than the run's rot node: nothing else flips
 *     bits, recovery drops torn records, and repair copies only verified bytes. A copy missing or a node not
 *     answering is normal while faults run; at the end the audit wants every owner healthy.</li>
 *     <li><b>Membership.</b> A committed ring never has fewer than N nodes; the simulator asks to remove a node only
 *     while the ring has more than N + 1, and never the rot node. A learner taken out of the ring is stopped for
 *     good; a voter taken out keeps running (it stops voting once it holds its removal).</li>
 * </ul>
 * The ring in force is read from the nodes (the highest committed version any live node applied), so that a change
 * whose answer was lost but which committed anyway is seen too.
 */
final class ClusterOperations
{
    private static final int MAX_LEADER_HOPS = 4;

    private final SimulationCluster cluster;
    private final EventLog events;
    private final SplittableRandom random;
    private final int rotNode;
    private final Consumer<String> violation;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final MembershipResponseDecoder membershipDecoder = new MembershipResponseDecoder();
    private final RepairStatusDecoder repairDecoder = new RepairStatusDecoder();
    private int pendingAdd;

    ClusterOperations(final SimulationCluster cluster, final EventLog events, final SplittableRandom random,
        final int rotNode, final Consumer<String> violation)
    {
        this.cluster = cluster;
        this.events = events;
        this.random = random;
        this.rotNode = rotNode;
        this.violation = violation;
    }

    /**
     * @return how the operator's operations ended, by "operation outcome", e.g. {@code add-node committed}.
     */
    Map<String, Long> outcomes()
    {
        return outcomes;
    }

    /**
     * Verifies one file as {@code rfs verify NAME} does: its manifest at QUORUM, then every owner of every chunk
     * re-hashes its copy.
     */
    void verify(final SimulationClient client, final String name, final Runnable done)
    {
        client.readManifest(name, ConsistencyLevel.QUORUM, manifest ->
        {
            if (manifest == null || manifest.isTombstone())
            {
                outcome(OperationKind.VERIFY, "no file");
                done.run();
                return;
            }
            verifyChunks(client, name, manifest, problem -> { }, healthy ->
            {
                outcome(OperationKind.VERIFY, healthy ? "healthy" : "not healthy");
                done.run();
            });
        }, why ->
        {
            outcome(OperationKind.VERIFY, "unavailable");
            done.run();
        });
    }

    /**
     * Asks each owner (by the client's ring) of each chunk of a file to re-hash its copies.
     *
     * @param problems told each copy not healthy (missing, corrupt, or its owner not answering).
     * @param done     told whether every copy was healthy.
     */
    void verifyChunks(final SimulationClient client, final String name, final Manifest manifest,
        final Consumer<String> problems, final Consumer<Boolean> done)
    {
        final Ring ring = client.ring();
        final Map<Integer, List<ChunkId>> byOwner = new TreeMap<>();
        final int[] owners = new int[ring.replicationFactor()];
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            final ChunkId id = manifest.chunkId(i);
            final int count = ring.replicas(Ring.chunkPosition(id), owners);
            for (int r = 0; r < count; r++)
            {
                byOwner.computeIfAbsent(owners[r], owner -> new ArrayList<>()).add(id);
            }
        }
        if (byOwner.isEmpty())
        {
            done.accept(true);
            return;
        }
        final int[] outstanding = { byOwner.size() };
        final boolean[] healthy = { true };
        for (final Map.Entry<Integer, List<ChunkId>> entry : byOwner.entrySet())
        {
            final int owner = entry.getKey();
            final ChunkId[] ids = entry.getValue().toArray(new ChunkId[0]);
            client.verifyChunks(owner, ids, states ->
            {
                for (int i = 0; i < states.length; i++)
                {
                    if (states[i] == VerifyChunksResponseDescriptor.STATE_HEALTHY)
                    {
                        continue;
                    }
                    healthy[0] = false;
                    final String what = "chunk " + ids[i].toShortHex() + " of " + name + " " +
                        (states[i] == VerifyChunksResponseDescriptor.STATE_CORRUPT ? "corrupt" : "missing") +
                        " on node " + owner;
                    problems.accept(what);
                    if (states[i] == VerifyChunksResponseDescriptor.STATE_CORRUPT && owner != rotNode)
                    {
                        violation.accept("verify found " + what + ", but bits are flipped only on node " + rotNode);
                    }
                }
                if (--outstanding[0] == 0)
                {
                    done.accept(healthy[0]);
                }
            }, why ->
            {
                healthy[0] = false;
                problems.accept("chunks of " + name + " not verified on node " + owner + ": " + why);
                if (--outstanding[0] == 0)
                {
                    done.accept(false);
                }
            });
        }
    }

    /**
     * Asks the leader to start a repair round now, as {@code rfs repair} does.
     */
    void repairNow(final SimulationClient client, final Runnable done)
    {
        final int leader = cluster.leader();
        if (leader == 0)
        {
            outcome(OperationKind.REPAIR, "no leader");
            done.run();
            return;
        }
        final UnsafeBuffer body = new UnsafeBuffer(new byte[RepairControlRequestDescriptor.BLOCK_LENGTH]);
        final RepairControlRequestEncoder encoder = new RepairControlRequestEncoder().wrap(body, 0).startRound();
        client.request(leader, MessageTypes.REPAIR_CONTROL_REQUEST, body, encoder.encodedLength(),
            (type, buffer, offset, length) ->
            {
                if (type == MessageTypes.REPAIR_STATUS_RESPONSE)
                {
                    repairDecoder.wrap(buffer, offset, length);
                    outcome(OperationKind.REPAIR, repairDecoder.isLeader() ? "started" : "not leader");
                }
                else
                {
                    outcome(OperationKind.REPAIR, "answered " + MessageTypes.name(type));
                }
                done.run();
            }, why ->
            {
                outcome(OperationKind.REPAIR, "unanswered");
                done.run();
            });
    }

    /**
     * Starts a new node and asks the leader to add it to the ring; a node started before whose change did not
     * commit is asked for again instead.
     */
    void addNode(final SimulationClient client, final Runnable done) throws IOException
    {
        if (pendingAdd == 0)
        {
            pendingAdd = cluster.addNode();
            if (pendingAdd == 0)
            {
                outcome(OperationKind.ADD_NODE, "skipped: as many nodes added as a run may");
                done.run();
                return;
            }
        }
        final int id = pendingAdd;
        events.record("add node " + id);
        final MembershipRequestEncoder request = new MembershipRequestEncoder()
            .wrap(new UnsafeBuffer(new byte[1024]), 0)
            .add(id, RingNode.STANDARD_WEIGHT, RingNode.DEFAULT_ZONE, SimulationCluster.address(id));
        change(client, OperationKind.ADD_NODE, request, firstTarget(), 0, done);
    }

    /**
     * Asks the leader to take a node (not the rot node) out of the ring, while it has more than N + 1 nodes.
     */
    void removeNode(final SimulationClient client, final Runnable done)
    {
        final Ring ring = cluster.ring();
        final List<Integer> candidates = new ArrayList<>();
        for (final RingNode node : ring.nodes())
        {
            if (node.id() != rotNode)
            {
                candidates.add(node.id());
            }
        }
        if (ring.nodeCount() <= ring.replicationFactor() + 1 || candidates.isEmpty())
        {
            outcome(OperationKind.REMOVE_NODE, "skipped: the ring has N + 1 nodes");
            done.run();
            return;
        }
        final int id = candidates.get(random.nextInt(candidates.size()));
        events.record("remove node " + id);
        final MembershipRequestEncoder request = new MembershipRequestEncoder()
            .wrap(new UnsafeBuffer(new byte[1024]), 0).remove(id);
        change(client, OperationKind.REMOVE_NODE, request, firstTarget(), 0, done);
    }

    /**
     * Adopts a newer committed ring if a live node has applied one: checks it, stops a learner it no longer holds,
     * and forgets a pending add it holds.
     *
     * @return true if the ring in force changed.
     */
    boolean refreshRing()
    {
        Ring newest = cluster.ring();
        for (int id = 1; id <= cluster.nodeCount(); id++)
        {
            if (cluster.isUp(id))
            {
                final Ring applied = cluster.node(id).clusterAgent().ring();
                if (applied != null && applied.version() > newest.version())
                {
                    newest = applied;
                }
            }
        }
        if (newest == cluster.ring())
        {
            return false;
        }
        final Ring old = cluster.ring();
        cluster.ring(newest);
        final List<Integer> members = new ArrayList<>();
        for (final RingNode node : newest.nodes())
        {
            members.add(node.id());
        }
        events.record("ring version " + newest.version() + " in force: nodes " + members);
        if (newest.nodeCount() < newest.replicationFactor())
        {
            violation.accept("ring version " + newest.version() + " committed with " + newest.nodeCount() +
                " nodes, fewer than N = " + newest.replicationFactor());
        }
        if (pendingAdd != 0 && newest.contains(pendingAdd))
        {
            pendingAdd = 0;
        }
        for (final RingNode node : old.nodes())
        {
            if (!newest.contains(node.id()) && !cluster.isVoter(node.id()))
            {
                cluster.retire(node.id());
            }
        }
        return true;
    }

    private int firstTarget()
    {
        final int leader = cluster.leader();
        return leader != 0 ? leader : 1 + random.nextInt(cluster.voterCount());
    }

    /**
     * Sends a membership request and follows {@code NOT_LEADER} to the leader named, as the command does; any other
     * answer (or none) ends it.
     */
    private void change(final SimulationClient client, final OperationKind kind,
        final MembershipRequestEncoder request, final int target, final int hops, final Runnable done)
    {
        client.request(target, MessageTypes.MEMBERSHIP_REQUEST, request.buffer(), request.encodedLength(),
            (type, buffer, offset, length) ->
            {
                if (type != MessageTypes.MEMBERSHIP_RESPONSE)
                {
                    outcome(kind, "answered " + MessageTypes.name(type));
                    done.run();
                    return;
                }
                membershipDecoder.wrap(buffer, offset, length);
                final int status = membershipDecoder.status();
                final int leader = membershipDecoder.leaderId();
                events.record(kind.label() + " answered by node " + target + ": " + statusName(status) + ", ring " +
                    "version " + membershipDecoder.ringVersion());
                if (status == MembershipResponseDescriptor.NOT_LEADER && leader > 0 && leader != target &&
                    hops < MAX_LEADER_HOPS)
                {
                    change(client, kind, request, leader, hops + 1, done);
                    return;
                }
                outcome(kind, statusName(status));
                done.run();
            }, why ->
            {
                outcome(kind, "unanswered");
                done.run();
            });
    }

    private void outcome(final OperationKind kind, final String outcome)
    {
        outcomes.merge(kind.label() + " " + outcome, 1L, Long::sum);
    }

    private static String statusName(final int status)
    {
        return switch (status)
        {
            case MembershipResponseDescriptor.COMMITTED -> "committed";
            case MembershipResponseDescriptor.NOT_LEADER -> "not leader";
            case MembershipResponseDescriptor.REFUSED -> "refused";
            case MembershipResponseDescriptor.LOST -> "lost";
            case MembershipResponseDescriptor.BUSY -> "busy";
            default -> "status " + status;
        };
    }
}
