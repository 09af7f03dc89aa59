package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.Ring;
import io.rfs.store.FileStat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leader election on a 5-node cluster of real processes ({@code rfs cluster start}), watched through each node's
 * {@code /health}: the leader SIGKILLed while a client puts and gets, and every node restarted.
 */
@Timeout(300)
class LeaderFailoverTest
{
    private static final Duration ELECTION_WAIT = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private MultiProcessCluster cluster;

    @AfterEach
    void killLeftovers() throws Exception
    {
        if (cluster != null)
        {
            cluster.killAll();
        }
    }

    /**
     * Puts and gets do not go through the leader (the leader only orders membership and repair), so losing it must
     * not fail one of them; the survivors elect a new leader at a higher term within a few election timeouts, and
     * the killed node, restarted, follows it.
     */
    @Test
    void shouldElectANewLeaderWhenTheLeaderIsKilledWithoutFailingAPutOrGet() throws Exception
    {
        cluster = new MultiProcessCluster(dir).start();
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
        final List<Integer> all = IntStream.rangeClosed(1, MultiProcessCluster.NODES).boxed().toList();
        final NodeHealthWatch.Leader first = watch.awaitLeader(all, 1, ELECTION_WAIT);

        try (RfsClient client = cluster.connect(context -> { }))
        {
            final Traffic traffic = new Traffic(client, System.nanoTime());
            traffic.start();
            try
            {
                traffic.awaitOperations(20);
                final long killedNs = System.nanoTime();
                cluster.kill(first.leaderId());
                final List<Integer> survivors = all.stream().filter(id -> id != first.leaderId()).toList();
                final NodeHealthWatch.Leader second = watch.awaitLeader(survivors, first.term() + 1, ELECTION_WAIT);
                final long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
                System.out.printf("leader %d (term %d) killed; leader %d (term %d) agreed by the survivors after %d ms%n",
                    first.leaderId(), first.term(), second.leaderId(), second.term(), failoverMs);
                final int atNewLeader = traffic.operations();
                traffic.awaitOperations(atNewLeader + 20);
            }
            finally
            {
                traffic.stop();
            }
            assertThat(traffic.failures).as("puts and gets that failed").isEmpty();
            assertThat(traffic.written).hasSizeGreaterThanOrEqualTo(20);

            cluster.restartDownNodes();
            final NodeHealthWatch.Leader rejoined = watch.awaitLeader(all, first.term() + 1, ELECTION_WAIT);
            assertThat(watch.health(first.leaderId()).get("status").asText()).isEqualTo("ok");
            assertThat(rejoined.leaderId()).as("the survivors' leader or a newer one").isNotNegative();
            for (final Map.Entry<String, byte[]> file : traffic.written.entrySet())
            {
                assertThat(TestData.sha256(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.QUORUM)))
                    .as(file.getKey()).isEqualTo(TestData.sha256(file.getValue()));
            }
        }
    }

    /**
     * A full stop and start keeps the data, the ring (the same owners serve every file) and elects a leader again,
     * at a higher term than before: terms are durable. The ring is a committed one (a weight changed, its moves
     * done), not only the configured one every node would rebuild anyway: after the restart every node, and a new
     * client, must be back on that ring, same version, members, weights and tokens.
     */
    @Test
    @Timeout(480)
    void shouldKeepTheDataAndElectALeaderAgainAfterEveryNodeRestarts() throws Exception
    {
        cluster = new MultiProcessCluster(dir).start("--set", "repair.bandwidth=64M");
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
        final List<Integer> all = IntStream.rangeClosed(1, MultiProcessCluster.NODES).boxed().toList();
        final NodeHealthWatch.Leader before = watch.awaitLeader(all, 1, ELECTION_WAIT);
        final Map<String, byte[]> files = new ConcurrentHashMap<>();
        final SplittableRandom random = new SplittableRandom(before.term());
        try (RfsClient client = cluster.connect(context -> { }))
        {
            for (int i = 0; i < 30; i++)
            {
                final byte[] content = new byte[1 + random.nextInt(300_000)];
                random.nextBytes(content);
                MultiProcessCluster.put(client, "restart/" + i, content, ConsistencyLevel.QUORUM);
                files.put("restart/" + i, content);
            }
        }

        final RfsCli.Result reweighed = cluster.local().run("cluster", "set-weight", "--json", "3", "200");
        final JsonNode change = JsonOutput.object(reweighed.expectExit(0));
        assertThat(change.get("committed").asBoolean()).as(reweighed.toString()).isTrue();
        final long ringVersion = change.get("ringVersion").asLong();
        cluster.awaitLogLine("rfs membership: ring version " + ringVersion + " in place", Duration.ofSeconds(180));
        final JsonNode ringBefore = awaitEveryNodeOnRing(ringVersion);
        final String fingerprint = ringBefore.get("ringFingerprint").asText();
        final Ring clientRingBefore;
        try (RfsClient client = cluster.connect(context -> { }))
        {
            clientRingBefore = client.ring();
        }
        assertThat(clientRingBefore.version()).isEqualTo(ringVersion);
        assertThat(clientRingBefore.node(3).weight()).isEqualTo(200);

        cluster.local().run("cluster", "stop").expectExit(0);
        cluster.local().run("cluster", "start", "--no-gateway").expectExit(0);
        final NodeHealthWatch.Leader after = watch.awaitLeader(all, before.term() + 1, ELECTION_WAIT);
        assertThat(after.term()).isGreaterThan(before.term());

        // a restarted node places keys by its configured ring until the new leader commits its first entry
        final JsonNode ringAfter = awaitEveryNodeOnRing(ringVersion);
        assertThat(ringAfter.get("ringVersion").asLong()).as("the cluster's ring version").isEqualTo(ringVersion);
        assertThat(ringAfter.get("ringFingerprint").asText()).as("the cluster's ring").isEqualTo(fingerprint);
        for (final int id : all)
        {
            final JsonNode node = LocalCluster.node(ringAfter, id);
            assertThat(node.get("ringVersion").asLong()).as("node %d's ring version", id).isEqualTo(ringVersion);
            assertThat(node.get("ringFingerprint").asText()).as("node %d's ring", id).isEqualTo(fingerprint);
        }
        try (RfsClient client = cluster.connect(context -> { }))
        {
            assertThat(client.ring()).as("the committed ring a client is given").isEqualTo(clientRingBefore);
            for (final Map.Entry<String, byte[]> file : files.entrySet())
            {
                assertThat(TestData.sha256(MultiProcessCluster.get(client, file.getKey(), ConsistencyLevel.ALL)))
                    .as("%s from all three owners", file.getKey()).isEqualTo(TestData.sha256(file.getValue()));
            }
            assertThat(client.list("restart/").stream().map(FileStat::name).collect(Collectors.toSet()))
                .isEqualTo(files.keySet());
        }
    }

    /**
     * @return the first {@code rfs cluster status --json} in which the leader and every node report a ring of at
     * least {@code version}; fails after {@link #ELECTION_WAIT}.
     */
    private JsonNode awaitEveryNodeOnRing(final long version) throws Exception
    {
        return Await.await(() ->
        {
            final JsonNode status = cluster.local().status();
            if (status.get("ringVersion").asLong(-1) < version)
            {
                return null;
            }
            for (final JsonNode node : status.get("nodes"))
            {
                if (node.get("ringVersion").asLong(-1) < version)
                {
                    return null;
                }
            }
            return status;
        }, ELECTION_WAIT, "every node to report ring version " + version + " or later");
    }

    /**
     * One client thread: put a new file at QUORUM, read it back at QUORUM, again and again; every failure noted.
     */
    private static final class Traffic
    {
        private final RfsClient client;
        private final long seed;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicInteger operations = new AtomicInteger();
        private final Object progress = new Object();
        final Map<String, byte[]> written = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private Thread thread;

        Traffic(final RfsClient client, final long seed)
        {
            this.client = client;
            this.seed = seed;
        }

        void start()
        {
            thread = new Thread(this::run, "traffic");
            thread.start();
        }

        private void run()
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; !stop.get(); i++)
            {
                final String name = "traffic/" + i;
                final byte[] content = new byte[1 + random.nextInt(64 * 1024)];
                random.nextBytes(content);
                try
                {
                    MultiProcessCluster.put(client, name, content, ConsistencyLevel.QUORUM);
                    written.put(name, content);
                    final byte[] read = MultiProcessCluster.get(client, name, ConsistencyLevel.QUORUM);
                    if (!TestData.sha256(read).equals(TestData.sha256(content)))
                    {
                        failures.add(name + ": read back different bytes (seed " + seed + ")");
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    failures.add(name + ": " + ex + " (seed " + seed + ")");
                }
                synchronized (progress)
                {
                    operations.incrementAndGet();
                    progress.notifyAll();
                }
            }
        }

        int operations()
        {
            return operations.get();
        }

        void awaitOperations(final int count) throws InterruptedException
        {
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (progress)
            {
                while (operations.get() < count)
                {
                    assertThat(System.nanoTime() - deadlineNs).as("operations %d of %d; failures %s",
                        operations.get(), count, failures).isNegative();
                    progress.wait(100);
                }
            }
        }

        void stop() throws InterruptedException
        {
            stop.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(120));
            assertThat(thread.isAlive()).isFalse();
        }
    }
}
