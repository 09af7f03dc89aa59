package io.rfs.tools;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.BalancerKind;
import io.rfs.replication.client.QuorumWriteException;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.Ring;
import io.rfs.store.UnknownFileException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster under faults, with real processes: five node JVMs on loopback started by {@code rfs cluster start
 * --nodes 5 --rf 3}, an {@link RfsClient} in the test JVM made from the cluster's {@code client.properties}, nodes
 * killed with SIGKILL, partitioned away with SIGSTOP (the process stays, its sockets stop answering) and brought
 * back with SIGCONT, chunk files corrupted on disk.
 */
@Timeout(300)
class ClusterFaultTest
{
    /** The chunk size of the kill test's client: small, so that a file of a few MiB is many chunks. */
    private static final int CHUNK_SIZE = 64 * 1024;
    private static final int MULTI_CHUNK_MAX_BYTES = 3 * 1024 * 1024;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;
    private final List<Long> stopped = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception
    {
        MultiProcessCluster.tearDown(cluster, stopped, client);
    }

    /**
     * Writers put small files at QUORUM continuously while one node, then a second, is SIGKILLed; then both are
     * restarted.
     * <p>
     * What the design promises, and so what is asserted. A put is acknowledged only when each of its chunks and then
     * its manifest were forced by W = 2 of their N = 3 owners (owners are fixed by the ring: the client's ring holds
     * all five nodes whatever is down). A SIGKILL loses nothing a node acknowledged (it forced before answering).
     * <ul>
     * <li>After one kill, every key still has at least 2 live owners, so every put still finds W and succeeds, and
     * every acknowledged file keeps at least one live acknowledged copy of each chunk; its manifest's 2 live owners
     * (R = 2) intersect its 2 acknowledging owners (2 + 2 > 3), so a QUORUM get returns the acknowledged version:
     * every acknowledged file reads back byte-identical at QUORUM.</li>
     * <li>After the second kill, a key with both killed nodes among its owners has one live owner: a QUORUM get of
     * it cannot gather R = 2 manifests, and a chunk of it may have had its only acknowledged copies on the two killed
     * nodes. So only the files whose manifest and every chunk have at most one killed owner are promised at QUORUM
     * (same argument as above); for the rest a get may fail, but it must never return other bytes.</li>
     * <li>Puts: after one kill every put succeeds (but one in flight at the kill per writer); after the second, the
     * puts that fail are those with a key (chunk or manifest) that has both killed nodes among its owners, the others
     * succeed; some fail (about 3 in 10 keys have both among their owners).</li>
     * <li>Once the killed nodes are restarted on their data, every acknowledged copy is back: every acknowledged
     * file reads back byte-identical at QUORUM.</li>
     * </ul>
     * The client cuts fixed chunks of 64 KiB. Three puts in four are of one chunk (at most 64 KiB); the fourth is of
     * 64 KiB to 3 MiB, up to 48 chunks, so that kills cut multi-chunk puts too. The test cuts each file as the client
     * does and knows every chunk's owners from the ring; a file is promised when its manifest and every one of its
     * chunks have at most one killed owner.
     * <ul>
     * <li>A put that was not acknowledged (failed) is, once every node is back, either absent or whole: its manifest
     * is written only after every chunk was acknowledged by W owners, so a QUORUM get of it finds no file or reads
     * back the bytes that were put. After the second kill some multi-chunk puts fail (a file of 16 chunks has some
     * chunk with both killed nodes among its owners but for 0.7^16 = 0.3% of the time).</li>
     * </ul>
     */
    @Test
    void shouldReadBackEveryAcknowledgedPutWhenTwoNodesAreKilledDuringPuts() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start();
        client = cluster.connect(context -> context.chunking(ChunkingPolicy.fixed(CHUNK_SIZE)));
        final Ring ring = client.ring();

        final Map<String, Content> acknowledged = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        final Semaphore acks = new Semaphore(0);
        final Semaphore ends = new Semaphore(0);
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final Map<String, Content> failed = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final int writers = 4;
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(writers);
        for (int w = 0; w < writers; w++)
        {
            final int writer = w;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    final SplittableRandom random = new SplittableRandom(seed + writer);
                    for (int i = 0; !stop.get(); i++)
                    {
                        final String name = "stream/" + writer + "/" + i;
                        final Content content = new Content(random.nextLong(), i % 4 == 3 ?
                            random.nextInt(CHUNK_SIZE + 1, MULTI_CHUNK_MAX_BYTES) : 1 + random.nextInt(CHUNK_SIZE));
                        attempts.incrementAndGet();
                        try
                        {
                            MultiProcessCluster.put(client, name, content.bytes(), ConsistencyLevel.QUORUM);
                            acknowledged.put(name, content);
                            acks.release();
                        }
                        catch (final IOException | RuntimeException ex)
                        {
                            failures.add(name + ": " + ex);
                            failed.put(name, content);
                        }
                        ends.release();
                    }
                }
                finally
                {
                    done.countDown();
                }
            }, "writer-" + w);
            thread.start();
            threads.add(thread);
        }

        try
        {
            assertThat(acks.tryAcquire(40, 120, TimeUnit.SECONDS)).as("seed %d", seed).isTrue();
            final int firstKilled = 2;
            cluster.kill(firstKilled);
            final int acknowledgedAtFirstKill = acknowledged.size();
            acks.drainPermits();
            assertThat(acks.tryAcquire(60, 120, TimeUnit.SECONDS))
                .as("puts acknowledged with node %d dead (seed %d): failures %s", firstKilled, seed, failures).isTrue();
            final int failuresBeforeSecondKill = failures.size();
            // Reads while the writers go on, with one node dead: every acknowledged file, at QUORUM.
            for (final Map.Entry<String, Content> file : Map.copyOf(acknowledged).entrySet())
            {
                assertThat(TestData.sha256(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.QUORUM)))
                    .as("%s with node %d dead (seed %d)", file.getKey(), firstKilled, seed)
                    .isEqualTo(TestData.sha256(file.getValue().bytes()));
            }

            final int secondKilled = 4;
            cluster.kill(secondKilled);
            ends.drainPermits();
            assertThat(ends.tryAcquire(40, 120, TimeUnit.SECONDS)).as("seed %d", seed).isTrue();
            stop.set(true);
            assertThat(done.await(120, TimeUnit.SECONDS)).isTrue();
            assertThat(failuresBeforeSecondKill)
                .as("puts failed with one node dead (seed %d): %s", seed, failures)
                // A put in flight when the node died may fail with it; none after.
                .isLessThanOrEqualTo(writers);
            assertThat(failures.size()).as("puts failed with two nodes dead (seed %d)", seed)
                .isGreaterThan(failuresBeforeSecondKill);

            final Set<Integer> dead = Set.of(firstKilled, secondKilled);
            int failedWithAQuorumOfOwners = 0;
            for (final Map.Entry<String, Content> put : failed.entrySet())
            {
                if (mostDeadOwners(ring, put.getKey(), put.getValue().bytes(), dead) <= 1)
                {
                    failedWithAQuorumOfOwners++;
                }
            }
            assertThat(failedWithAQuorumOfOwners)
                .as("failed puts whose every key had 2 live owners (seed %d): %s", seed, failures)
                // Only a put in flight when a node died may fail with it, one per writer and kill.
                .isLessThanOrEqualTo(2 * writers);
            int promised = 0;
            int unpromisedRead = 0;
            for (final Map.Entry<String, Content> file : acknowledged.entrySet())
            {
                final String name = file.getKey();
                final byte[] content = file.getValue().bytes();
                if (mostDeadOwners(ring, name, content, dead) <= 1)
                {
                    promised++;
                    assertThat(TestData.sha256(MultiProcessCluster.get(client, name, ConsistencyLevel.QUORUM)))
                        .as("%s with nodes %s dead (seed %d)", name, dead, seed)
                        .isEqualTo(TestData.sha256(content));
                }
                else
                {
                    try
                    {
                        assertThat(TestData.sha256(MultiProcessCluster.get(client, name, ConsistencyLevel.ONE)))
                            .as("%s read at ONE with two of its owners dead (seed %d)", name, seed)
                            .isEqualTo(TestData.sha256(content));
                        unpromisedRead++;
                    }
                    catch (final IOException ex)
                    {
                        // Allowed: the design does not promise this file while two of its owners are dead.
                    }
                }
            }
            assertThat(promised).as("files promised with two nodes dead (seed %d)", seed).isPositive();

            cluster.restartDownNodes();
            for (final Map.Entry<String, Content> file : acknowledged.entrySet())
            {
                assertThat(TestData.sha256(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.QUORUM)))
                    .as("%s after the restart (seed %d)", file.getKey(), seed)
                    .isEqualTo(TestData.sha256(file.getValue().bytes()));
            }
            int failedWhole = 0;
            int failedAbsent = 0;
            int failedMultiChunk = 0;
            for (final Map.Entry<String, Content> put : failed.entrySet())
            {
                final byte[] content = put.getValue().bytes();
                failedMultiChunk += content.length > CHUNK_SIZE ? 1 : 0;
                try
                {
                    assertThat(TestData.sha256(MultiProcessCluster.get(client, put.getKey(), ConsistencyLevel.QUORUM)))
                        .as("failed put %s of %d bytes after the restart (seed %d)", put.getKey(), content.length, seed)
                        .isEqualTo(TestData.sha256(content));
                    failedWhole++;
                }
                catch (final UnknownFileException ex)
                {
                    failedAbsent++;
                }
            }
            assertThat(failedMultiChunk).as("failed multi-chunk puts (seed %d): %s", seed, failures).isPositive();
            assertThat(client.agentErrors()).as("client agent errors (seed %d)", seed).isZero();
            System.out.printf("seed %d: %d puts, %d acknowledged (%d at the first kill), %d failed (%d of them " +
                "multi-chunk); with 2 dead %d promised files read at QUORUM, %d others read at ONE; all read after " +
                "the restart; of the failed puts %d read back whole, %d absent%n",
                seed, attempts.get(), acknowledged.size(), acknowledgedAtFirstKill, failures.size(), failedMultiChunk,
                promised, unpromisedRead, failedWhole, failedAbsent);
        }
        finally
        {
            stop.set(true);
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
    }

    /**
     * @return the most dead owners any key of a file has: its manifest, or one of its chunks as the client cuts them.
     */
    /**
     * A put's content, kept as the seed that makes it rather than its bytes: the writers are not throttled, and on an
     * idle machine the files they put (up to {@link #MULTI_CHUNK_MAX_BYTES} each) outgrow the test JVM's heap.
     */
    private record Content(long seed, int length)
    {
        byte[] bytes()
        {
            final byte[] bytes = new byte[length];
            new SplittableRandom(seed).nextBytes(bytes);
            return bytes;
        }
    }

    private static int mostDeadOwners(final Ring ring, final String name, final byte[] content, final Set<Integer> dead)
    {
        final ChunkCodec codec = new ChunkCodec();
        int most = deadOwners(MultiProcessCluster.manifestOwners(ring, name), dead);
        for (int offset = 0; offset < content.length; offset += CHUNK_SIZE)
        {
            final byte[] chunk = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + CHUNK_SIZE));
            final ChunkId id = codec.hash(chunk, chunk.length);
            most = Math.max(most, deadOwners(MultiProcessCluster.chunkOwners(ring, id), dead));
        }
        return most;
    }

    private static int deadOwners(final List<Integer> owners, final Set<Integer> dead)
    {
        int count = 0;
        for (final int owner : owners)
        {
            if (dead.contains(owner))
            {
                count++;
            }
        }
        return count;
    }

    /**
     * A chunk's bytes are flipped inside its record on two of its three owners while they run. Every get returns
     * the file's own bytes, taken from the one good replica, and the client reports the bad replicas, naming only
     * the corrupted nodes; before that, {@code rfs verify} names the two corrupted nodes and only them. Round robin makes each of three consecutive gets start at a different replica, so at
     * least one starts at a corrupted one.
     */
    @Test
    void shouldNeverReturnACorruptedChunkAndReportTheBadReplica() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start();
        final Set<Integer> reported = ConcurrentHashMap.newKeySet();
        client = cluster.connect(context -> context.balancer(BalancerKind.ROUND_ROBIN)
            .badReplicaListener((nodeId, chunkId, reason) -> reported.add(nodeId)));

        final byte[] content = TestData.random(200_000, seed);
        final ChunkId chunk = new ChunkCodec().hash(content, content.length);
        MultiProcessCluster.put(client, "corrupt/me", content, ConsistencyLevel.ALL);
        final List<Integer> owners = MultiProcessCluster.chunkOwners(client.ring(), chunk);
        final Set<Integer> corrupted = new HashSet<>(owners.subList(0, 2));
        for (final int node : corrupted)
        {
            assertThat(cluster.flipInChunkRecord(node, content))
                .as("chunk %s found in node %d's segments (seed %d)", chunk, node, seed).isTrue();
        }

        final RfsCli.Result verify = cluster.local().run("--store", "cluster", "verify", "corrupt/me").expectExit(1);
        for (final int node : owners)
        {
            if (corrupted.contains(node))
            {
                assertThat(verify.out()).as("rfs verify (seed %d)", seed).contains("node " + node + ": ");
            }
            else
            {
                assertThat(verify.out()).as("rfs verify (seed %d)", seed).doesNotContain("node " + node + ": ");
            }
        }

        for (int i = 0; i < 3; i++)
        {
            assertThat(TestData.sha256(MultiProcessCluster.get(client, "corrupt/me", ConsistencyLevel.QUORUM)))
                .as("get %d (seed %d)", i, seed).isEqualTo(TestData.sha256(content));
        }
        assertThat(client.badReplicaReports()).as("seed %d", seed).isPositive();
        assertThat(reported).as("nodes reported (seed %d); corrupted %s", seed, corrupted)
            .isNotEmpty().isSubsetOf(corrupted);
    }

    /**
     * Under {@code partition.mode=consistency}, one node is partitioned away (SIGSTOP: its process and sockets stay,
     * nothing answers). A put whose chunk and manifest both have that node as an owner succeeds at QUORUM (the two
     * other owners are W), and fails at ALL with a {@link QuorumWriteException} that names the node, leaving the
     * previous version readable; after SIGCONT the same put at ALL succeeds.
     */
    @Test
    void shouldRefuseAPutAtAllWhileAnOwnerIsPartitionedAwayUnderConsistency() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir).start("--set", "partition.mode=consistency");
        client = cluster.connect(context -> { });
        final Ring ring = client.ring();
        final int partitioned = 3;
        final SplittableRandom random = new SplittableRandom(seed);

        final String name = MultiProcessCluster.nameOwnedBy(ring, partitioned);
        final byte[] before = MultiProcessCluster.contentOwnedBy(ring, partitioned, random);
        MultiProcessCluster.put(client, name, before, ConsistencyLevel.ALL);

        final long pid = cluster.pid(partitioned);
        MultiProcessCluster.signal(pid, "STOP");
        stopped.add(pid);
        try
        {
            final byte[] atQuorum = MultiProcessCluster.contentOwnedBy(ring, partitioned, random);
            MultiProcessCluster.put(client, name, atQuorum, ConsistencyLevel.QUORUM);
            assertThat(TestData.sha256(MultiProcessCluster.get(client, name, ConsistencyLevel.QUORUM)))
                .as("seed %d", seed).isEqualTo(TestData.sha256(atQuorum));

            final byte[] atAll = MultiProcessCluster.contentOwnedBy(ring, partitioned, random);
            assertThatThrownBy(() -> MultiProcessCluster.put(client, name, atAll, ConsistencyLevel.ALL))
                .as("seed %d", seed)
                .isInstanceOfSatisfying(QuorumWriteException.class, ex ->
                {
                    assertThat(ex.required()).isEqualTo(3);
                    assertThat(ex.acknowledgements()).isEqualTo(2);
                    assertThat(ex.failures()).containsOnlyKeys(partitioned);
                })
                .hasMessageContaining("node " + partitioned + " ");
            assertThat(TestData.sha256(MultiProcessCluster.get(client, name, ConsistencyLevel.QUORUM)))
                .as("the previous version stays (seed %d)", seed).isEqualTo(TestData.sha256(atQuorum));

            MultiProcessCluster.signal(pid, "CONT");
            stopped.remove(pid);
            MultiProcessCluster.put(client, name, atAll, ConsistencyLevel.ALL);
            assertThat(TestData.sha256(MultiProcessCluster.get(client, name, ConsistencyLevel.ALL)))
                .as("seed %d", seed).isEqualTo(TestData.sha256(atAll));
        }
        finally
        {
            if (stopped.contains(pid))
            {
                MultiProcessCluster.signal(pid, "CONT");
                stopped.remove(pid);
            }
        }
    }
}
