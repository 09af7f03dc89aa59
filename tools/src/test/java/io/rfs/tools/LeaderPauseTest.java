package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.MembershipClient;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.protocol.DropChunksRequestDecoder;
import io.rfs.replication.protocol.DropManifestsRequestDecoder;
import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.MembershipRequestEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.ring.Ring;
import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6's promise that a paused old leader that wakes up changes nothing, on a 5-node, N = 3 cluster of processes
 * on {@link ProxiedNetwork} links: the leader, rebalancing to a ring that gives one node more weight, has drop orders
 * on their way to the old owners when it is SIGSTOPped; the other four elect a leader in a higher term, and then the
 * orders arrive: they must be refused. The new leader commits the weight back while puts go on, the old leader gets
 * SIGCONT and follows, and once repair settles every file reads back, {@code rfs verify} is clean and every node is
 * on the new leader's ring.
 * <p>
 * Why the links: a stopped process sends nothing, and what it wrote before the stop reaches its peers at once, in
 * its own term; once woken, it stepped down before it ordered anything again in every run here (no refusal beyond
 * the held orders), so a bare SIGSTOP leaves no order to arrive late. The links hold back the old leader's drop orders
 * (its other messages pass, so it leads until the stop) and let them through once the others have a new leader:
 * orders in flight through a pause. They must arrive within the transport's idle timeout (10 s), since a peer closes
 * a connection it has heard nothing on for that long and the orders in it are lost rather than refused; so they are
 * let through while the old leader is still stopped, and what it sends once woken is counted too.
 */
@Tag("slow")
@Timeout(600)
class LeaderPauseTest
{
    private static final Duration ELECTION_WAIT = Duration.ofSeconds(60);
    private static final Duration REBALANCE_WAIT = Duration.ofSeconds(180);
    private static final int FILES = 120;
    private static final int FILE_LENGTH = 64 * 1024;
    private static final int PUT_CHUNK_SIZE = 16 * 1024;
    private static final int PUT_MAX_BYTES = 100 * 1024;
    private static final long PUT_WAIT_S = 30;
    private static final int REQUEST_TIMEOUT_S = 30;
    /** A loaded machine can hold up a node that is electing or rebalancing for seconds. */
    private static final long PUT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(15);
    private static final int RAISED_WEIGHT = 300;
    private static final int STANDARD_WEIGHT = 100;
    private static final IntPredicate DROP_ORDERS =
        type -> type == MessageTypes.DROP_CHUNKS_REQUEST || type == MessageTypes.DROP_MANIFESTS_REQUEST;
    private static final String DROPS_REFUSED = "rfs_node_drop_orders_refused_total";
    private static final String DROPS_TAKEN = "rfs_node_drop_orders_total";
    private static final String COPIES_REFUSED = "rfs_node_copy_orders_refused_total";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private ProxiedNetwork network;
    private RfsClient client;
    private ClusterChunkClient chunks;
    private PutStream puts;
    private final List<Long> stopped = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception
    {
        if (network != null)
        {
            network.close();
        }
        MultiProcessCluster.tearDown(cluster, stopped, puts, client, chunks);
    }

    @Test
    void shouldRefuseTheDropOrdersOfAPausedLeaderThatWakesInANewTerm() throws Exception
    {
        final long seed = System.nanoTime();
        // slow copies, so that the leader is still rebalancing (and ordering) some seconds after the change; a long
        // request timeout, so that the new leader's first round waits for the stopped node's digests instead of
        // dropping, by the old ring, copies that the new ring gives back to their nodes (assertLateDropsChangedNothing)
        // and elections that the links' and the puts' load on a shared machine do not set off
        cluster = new MultiProcessCluster(dir).start("--set", "repair.bandwidth=2M",
            "--set", "repair.request.timeout=" + REQUEST_TIMEOUT_S + "s", "--set", "election.timeout=1500ms");
        network = ProxiedNetwork.route(cluster);
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
        final List<Integer> all = IntStream.rangeClosed(1, MultiProcessCluster.NODES).boxed().toList();
        // puts go on through the pause: a put waits up to this long for each replica, the stopped one included
        client = cluster.connect(context -> context.requestTimeoutNs(PUT_TIMEOUT_NS));
        chunks = cluster.chunkClient();
        final Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < FILES; i++)
        {
            files.put("pause/" + i, TestData.random(FILE_LENGTH, seed + i));
            MultiProcessCluster.put(client, "pause/" + i, files.get("pause/" + i), ConsistencyLevel.ALL);
        }

        final NodeHealthWatch.Leader first = watch.awaitLeader(all, 1, ELECTION_WAIT);
        final int old = first.leaderId();
        final int heavier = old == 1 ? 2 : 1;
        final List<Integer> others = all.stream().filter(id -> id != old).toList();
        final long pid = cluster.pid(old);
        // held before the change: its rebalance can copy and drop within a second or two of the commit
        network.holdFrom(old, DROP_ORDERS);
        final MembershipClient.Answer raised = chunks.changeRing(List.of(old), weight(heavier, RAISED_WEIGHT));
        assertThat(raised.isCommitted()).as("%s", raised).isTrue();
        assertThat(raised.nodeId()).as("the leader that committed the change, whose drops are held").isEqualTo(old);
        puts = new PutStream(client, 1, seed, PUT_CHUNK_SIZE, PUT_MAX_BYTES);
        // the old owners' surplus copies are dropped once the heavier node holds them: the rebalance's last step
        Await.await(() -> !network.heldFrom(old).isEmpty(), REBALANCE_WAIT,
            "leader " + old + " to send a drop order of ring version " + raised.ringVersion());
        // a client's connections that carried nothing for 10 s are closed by the nodes: the pause needs fresh ones
        chunks.close();
        chunks = cluster.chunkClient();
        MultiProcessCluster.signal(pid, "STOP");
        stopped.add(pid);
        final long stoppedNs = System.nanoTime();
        final int putsAtStop = puts.acknowledged().size();

        final NodeHealthWatch.Leader second = watch.awaitLeader(others, first.term() + 1, ELECTION_WAIT);
        final long electedMs = msSince(stoppedNs);
        // taken now, past anything the kernel still passed on from the stopped node's sockets
        final List<FrameHold.HeldFrame> held = network.heldFrom(old);
        final List<Integer> targets = held.stream().map(FrameHold.HeldFrame::destination).distinct().toList();
        final Map<Integer, Long> refusedBefore = counters(watch, others, DROPS_REFUSED);
        final Map<Integer, Long> takenBefore = counters(watch, others, DROPS_TAKEN);
        final Map<Integer, Long> copiesRefusedBefore = counters(watch, others, COPIES_REFUSED);
        final int delivered = network.releaseFrom(old);
        final long releasedMs = msSince(stoppedNs);
        assertThat(delivered).as("held drop orders delivered %d ms after the stop (a connection silent for 10 s " +
            "closes, losing them)", releasedMs).isEqualTo(held.size());
        // every late order is answered, refused or (were the term not checked) carried out
        Await.await(() -> sinceBefore(watch, targets, DROPS_REFUSED, refusedBefore) >= held.size() ||
                sinceBefore(watch, targets, DROPS_TAKEN, takenBefore) >= held.size(), ELECTION_WAIT,
            held.size() + " late drop orders to be answered by nodes " + targets);
        final long refused = sinceBefore(watch, targets, DROPS_REFUSED, refusedBefore);
        final long taken = sinceBefore(watch, targets, DROPS_TAKEN, takenBefore);
        System.out.printf("leader %d (term %d) stopped with %d drop orders %s held; leader %d (term %d) agreed " +
                "%d ms after the stop; the late orders, let through at %d ms: %d refused, %d taken (seed %d)%n", old,
            first.term(), held.size(), describe(held), second.leaderId(), second.term(), electedMs, releasedMs,
            refused, taken, seed);
        assertThat(refused).as("late drop orders refused by nodes %s (%d taken); seed %d", targets, taken, seed)
            .isEqualTo(held.size());

        final MembershipClient.Answer lowered =
            chunks.changeRing(List.of(second.leaderId()), weight(heavier, STANDARD_WEIGHT));
        assertThat(lowered.isCommitted()).as("%s", lowered).isTrue();
        final long committedMs = msSince(stoppedNs);
        assertThat(puts.awaitMoreAcknowledged(1, PUT_WAIT_S)).as("a put through the majority").isTrue();
        MultiProcessCluster.signal(pid, "CONT");
        stopped.remove(pid);
        final long pausedMs = msSince(stoppedNs);
        final int putsDuringPause = puts.acknowledged().size() - putsAtStop;

        Await.await(() -> watch.agreedLeader(all, second.term()) != null && isFollowerOf(watch.health(old), second),
            ELECTION_WAIT, "node " + old + " to follow leader " + second.leaderId() + " of term " + second.term());
        final long followingMs = msSince(stoppedNs);
        puts.close();
        assertThat(puts.failures()).as("puts that failed").isEmpty();
        System.out.printf("leader %d lowered the weight of node %d (ring version %d) %d ms after the stop; %d puts " +
                "acknowledged during the pause; node %d continued at %d ms and followed at %d ms; since the " +
                "stop the others refused %d drop orders and %d copy orders%n", second.leaderId(), heavier,
            lowered.ringVersion(), committedMs, putsDuringPause, old, pausedMs, followingMs,
            sinceBefore(watch, others, DROPS_REFUSED, refusedBefore),
            sinceBefore(watch, others, COPIES_REFUSED, copiesRefusedBefore));

        client.close();
        client = cluster.connect(context -> context.requestTimeoutNs(PUT_TIMEOUT_NS));
        final Ring ring = client.ring();
        assertThat(ring.version()).as("the ring the new leader committed").isEqualTo(lowered.ringVersion());
        assertLateDropsChangedNothing(held, ring, seed);

        cluster.awaitLogLine("rfs membership: ring version " + lowered.ringVersion() + " in place", REBALANCE_WAIT);
        System.out.printf("ring version %d in place %d ms after the stop%n", lowered.ringVersion(), msSince(stoppedNs));
        cluster.rfs("repair", "--wait", "--timeout", "120s", "--json").expectExit(0);
        final JsonNode verify = JsonOutput.object(cluster.rfs("verify", "--json").expectExit(0));
        assertThat(verify.get("files").asLong()).as("%s", verify).isEqualTo(files.size() + puts.acknowledged().size());
        assertThat(verify.get("healthy").asLong()).as("%s", verify).isEqualTo(verify.get("chunks").asLong());
        assertThat(verify.get("underReplicated").asLong() + verify.get("lost").asLong() +
            verify.get("corrupt").asLong() + verify.get("missing").asLong() + verify.get("misplaced").asLong() +
            verify.get("manifestProblems").asLong()).as("%s", verify).isZero();
        for (final Map.Entry<String, byte[]> file : files.entrySet())
        {
            assertThat(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.ALL)).as(file.getKey())
                .isEqualTo(file.getValue());
        }
        for (final Map.Entry<String, String> put : puts.acknowledged().entrySet())
        {
            assertThat(TestData.sha256(MultiProcessCluster.get(client, put.getKey(), ConsistencyLevel.QUORUM)))
                .as(put.getKey()).isEqualTo(put.getValue());
        }
        assertEveryNodeOnRing(cluster.local().status(), ring, second.leaderId());
    }

    /**
     * Each late drop named chunks and names that its target owns by the ring now in force, held since before the
     * old leader ordered them away: no order of the new leader drops them, so if one is gone, a late order did it.
     */
    private void assertLateDropsChangedNothing(final List<FrameHold.HeldFrame> held, final Ring ring, final long seed)
        throws Exception
    {
        int owned = 0;
        for (final FrameHold.HeldFrame frame : held)
        {
            final int target = frame.destination();
            if (frame.messageType() == MessageTypes.DROP_CHUNKS_REQUEST)
            {
                final DropChunksRequestDecoder drop = new DropChunksRequestDecoder()
                    .wrap(frame.buffer(), FrameDescriptor.HEADER_LENGTH, frame.bodyLength());
                for (int i = 0; i < drop.count(); i++)
                {
                    final ChunkId id = drop.chunkId(i);
                    if (MultiProcessCluster.chunkOwners(ring, id).contains(target))
                    {
                        owned++;
                        assertThat(chunks.chunkStatus(target, id)).as("chunk %s on node %d, its owner, after a " +
                            "late order to drop it (seed %d)", id, target, seed).isEqualTo(Status.OK);
                    }
                }
            }
            else
            {
                final DropManifestsRequestDecoder drop = new DropManifestsRequestDecoder()
                    .wrap(frame.buffer(), FrameDescriptor.HEADER_LENGTH, frame.bodyLength());
                for (int i = 0; i < drop.count(); i++)
                {
                    final String name = drop.name(i);
                    if (MultiProcessCluster.manifestOwners(ring, name).contains(target))
                    {
                        owned++;
                        assertThat(chunks.manifestVersion(target, name)).as("manifest %s on node %d, its owner, " +
                            "after a late order to drop it (seed %d)", name, target, seed).isNotNull();
                    }
                }
            }
        }
        System.out.printf("the late drop orders named %d chunks and names their targets own by ring version %d: " +
            "all still held%n", owned, ring.version());
    }

    /**
     * Every node, the old leader included, places keys by the ring the client was given, at the new leader's version
     * and with its fingerprint.
     */
    private static void assertEveryNodeOnRing(final JsonNode status, final Ring ring, final int leaderId)
    {
        final String fingerprint = LocalCluster.node(status, leaderId).get("ringFingerprint").asText();
        assertThat(status.get("nodesUp").asInt()).as("%s", status).isEqualTo(MultiProcessCluster.NODES);
        for (final JsonNode node : status.get("nodes"))
        {
            assertThat(node.get("ringVersion").asLong()).as("%s", node).isEqualTo(ring.version());
            assertThat(node.get("ringFingerprint").asText()).as("%s", node).isEqualTo(fingerprint);
        }
        assertThat(fingerprint).isEqualTo(String.format("%016x", ring.fingerprint()));
    }

    private static boolean isFollowerOf(final JsonNode health, final NodeHealthWatch.Leader leader)
    {
        return health != null && "FOLLOWER".equals(health.get("role").asText()) &&
            health.get("term").asLong() >= leader.term() && health.get("leaderId").asInt() >= 0;
    }

    private static MembershipRequestEncoder weight(final int node, final int weight)
    {
        return new MembershipRequestEncoder().wrap(new UnsafeBuffer(new byte[64]), 0).weight(node, weight);
    }

    private static Map<Integer, Long> counters(final NodeHealthWatch watch, final List<Integer> nodes,
        final String counter)
    {
        final Map<Integer, Long> values = new TreeMap<>();
        for (final int node : nodes)
        {
            final long value = watch.counter(node, counter);
            assertThat(value).as("%s of node %d", counter, node).isNotNegative();
            values.put(node, value);
        }
        return values;
    }

    /**
     * @return how much a counter grew on the nodes since {@code before}.
     */
    private static long sinceBefore(final NodeHealthWatch watch, final List<Integer> nodes, final String counter,
        final Map<Integer, Long> before)
    {
        long grown = 0;
        for (final int node : nodes)
        {
            grown += Math.max(0, watch.counter(node, counter)) - before.get(node);
        }
        return grown;
    }

    private static String describe(final List<FrameHold.HeldFrame> held)
    {
        final Map<String, Integer> byTarget = new TreeMap<>();
        for (final FrameHold.HeldFrame frame : held)
        {
            byTarget.merge((frame.messageType() == MessageTypes.DROP_CHUNKS_REQUEST ? "chunks to " : "names to ") +
                frame.destination(), 1, Integer::sum);
        }
        return byTarget.toString();
    }

    private static long msSince(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
