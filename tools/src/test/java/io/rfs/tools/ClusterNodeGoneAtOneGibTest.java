package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.RfsClient;
import io.rfs.store.FileStat;
import io.rfs.store.TransferListener;
import io.rfs.tools.bench.RandomInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 at full size, with real processes ({@link MultiProcessCluster}: 5 nodes, N = 3, puts at QUORUM): a node
 * holding at least 1 GiB of chunks ({@code /health} {@code chunkBytesHeld}) is SIGKILLed; after
 * {@code repair.node.gone.after} the leader commits it gone, and its rebalance rounds put every chunk back on N
 * replicas ("ring version V in place"); {@code rfs repair --wait} then reports healthy, {@code rfs verify} exits 0
 * with every chunk on N healthy replicas, and every file reads back with its SHA-256. Done twice: a first node at
 * the default {@code repair.bandwidth}, then (bandwidth raised on the running cluster with
 * {@code rfs repair --bandwidth}) a second one, which leaves the ring at N nodes, each holding everything.
 * <p>
 * Each time the repair throughput is printed: the bytes the leader's repair copied
 * ({@code rfs_node_repair_bytes_copied_total}, summed over the nodes should the leadership move) over the leader's
 * own time from applying the ring without the node to "in place" (the test's time between the two log lines if the
 * leadership moved), against the durable write bandwidth measured just before as limits.sh's {@code disk} group does
 * ({@link DurableWriteBandwidth}). The victim is never the leader, so that the figure is of a repair, not an
 * election.
 * <p>
 * Tagged slow (4 to 6 minutes at load 24 to 30; some 16 GiB written, up to about 11 GiB on disk at once); run it with
 * {@code -Drfs.test.excludedGroups=none}. The test JVM holds only each file's name and digest: the failsafe heap
 * (1 GiB) is ample. The temporary directory is deleted even when the test fails, as it holds gigabytes; the nodes'
 * logs are copied to {@code target/ClusterNodeGoneAtOneGibTest-logs} first.
 */
@Tag("slow")
@Timeout(1800)
class ClusterNodeGoneAtOneGibTest
{
    private static final long VICTIM_MIN_BYTES = 1L << 30;
    /** 64 chunks of the client's default 1 MiB. */
    private static final long FILE_LENGTH = 64L << 20;
    /** A bound on the writes should two nodes' shares of them stay far below 3/5. */
    private static final int MAX_FILES = 80;
    private static final String GONE_AFTER = "5s";
    /** Far above what the disk can take: the bandwidth then throttles nothing. */
    private static final long RAISED_BANDWIDTH = 1L << 30;
    private static final int DD_MEBIBYTES = 1024;
    private static final Pattern IN_PLACE = Pattern.compile("after (\\d+) repair rounds in (\\d+) ms");
    private static final Duration REPAIR_TIMEOUT = Duration.ofMinutes(10);
    /** Generous: a 1 MiB chunk's forced write shares two cores with five nodes and the test's other work. */
    private static final long REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @TempDir(cleanup = CleanupMode.ALWAYS)
    Path dir;

    private MultiProcessCluster cluster;
    private RfsClient client;

    @AfterEach
    void stopEverything() throws Exception
    {
        try
        {
            keepNodeLogs();
        }
        finally
        {
            MultiProcessCluster.tearDown(cluster, List.of(), client);
        }
    }

    private void keepNodeLogs() throws Exception
    {
        if (cluster == null || !Files.isDirectory(cluster.local().directory()))
        {
            return;
        }
        final Path kept = Files.createDirectories(Path.of(System.getProperty("rfs.jar")).resolveSibling(
            getClass().getSimpleName() + "-logs"));
        try (Stream<Path> logs = Files.list(cluster.local().directory()))
        {
            for (final Path log : (Iterable<Path>)logs.filter(f -> f.toString().endsWith(".log"))::iterator)
            {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * What one node's loss cost the repair.
     *
     * @param victim      the node killed.
     * @param heldBytes   its {@code chunkBytesHeld} before the kill.
     * @param copiedBytes bytes the leaders' repair copied from the kill to "in place".
     * @param elapsedMs   the leader's time from applying the ring without the node to "in place", or the test's
     *                    from seeing the node committed gone to seeing "in place" if the leadership changed.
     * @param rounds      the repair rounds that took, as the line says.
     */
    private record Repair(int victim, long heldBytes, long copiedBytes, long elapsedMs, int rounds)
    {
        double mebibytesPerSecond()
        {
            return copiedBytes / (1024.0 * 1024) / (elapsedMs / 1000.0);
        }
    }

    @Test
    void shouldPutEveryChunkOfAKilledNodeHoldingOneGibBackOnNReplicasWithVerifyClean() throws Exception
    {
        final long seed = System.nanoTime();
        cluster = new MultiProcessCluster(dir.resolve("cluster")).start(
            "--set", "repair.node.gone.after=" + GONE_AFTER,
            // the default: SMALL_NODES' 4 MiB segments would make some 400 files per node
            "--set", "storage.chunk.segment.capacity=256M");
        client = cluster.connect(context -> context.requestTimeoutNs(REQUEST_TIMEOUT_NS));
        final NodeHealthWatch watch = new NodeHealthWatch(cluster.local().status());
        final List<Integer> live = new ArrayList<>(List.of(1, 2, 3, 4, 5));

        // Two nodes over 1 GiB, so that one is not the leader when the first is killed (a loaded machine can
        // move the leadership during the puts).
        final Map<String, String> digests = putUntilHeldByTwo(watch, live, seed);
        final DurableWriteBandwidth disk = new DurableWriteBandwidth(dir.resolve("dd"), DD_MEBIBYTES, seed);

        final JsonNode defaults = JsonOutput.object(cluster.rfs("repair", "--status", "--json").expectExit(0));
        final long defaultBandwidth = defaults.get("nodes").get(0).get("bandwidth").asLong();
        final Repair atDefault = loseNode(watch, live, disk, "default " + defaultBandwidth);

        final JsonNode raised = JsonOutput.object(
            cluster.rfs("repair", "--bandwidth", String.valueOf(RAISED_BANDWIDTH), "--json"));
        for (final JsonNode node : raised.get("nodes"))
        {
            if (live.contains(node.get("id").asInt()))
            {
                assertThat(node.get("bandwidth").asLong()).as("node %s: %s", node.get("id"), raised)
                    .isEqualTo(RAISED_BANDWIDTH);
            }
        }
        // Every node left holds 3/4 of the data now: whichever is not the leader holds over 1 GiB.
        final Repair atRaised = loseNode(watch, live, disk, "raised " + RAISED_BANDWIDTH);

        final JsonNode verified = JsonOutput.object(cluster.rfs("verify", "--json").expectExit(0));
        assertThat(verified.get("files").asLong()).isEqualTo(digests.size());
        assertThat(verified.get("healthy").asLong()).as("%s", verified).isEqualTo(verified.get("chunks").asLong());
        assertThat(verified.get("chunks").asLong()).isEqualTo(digests.size() * (FILE_LENGTH >> 20));
        // A client takes the committed ring when it connects (NODE.md): the first one still places keys on the
        // two nodes gone, so that two of a manifest's three owners time out. It is closed first: a second client
        // of the same client.id (client.properties') would replace its connections on every node, and the two
        // would take each other's answers.
        client.close();
        client = cluster.connect(context -> context.requestTimeoutNs(REQUEST_TIMEOUT_NS));
        assertThat(client.ring().contains(atDefault.victim()) || client.ring().contains(atRaised.victim())).isFalse();
        for (final Map.Entry<String, String> file : digests.entrySet())
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest))
            {
                client.get(file.getKey(), out, ConsistencyLevel.QUORUM, TransferListener.NONE);
            }
            assertThat(HexFormat.of().formatHex(digest.digest())).as("%s (seed %d)", file.getKey(), seed)
                .isEqualTo(file.getValue());
        }
        System.out.printf("node gone at 1 GiB: %d files of %d MiB read back; repair at default bandwidth %.1f " +
            "MiB/s, raised %.1f MiB/s (seed %d)%n", digests.size(), FILE_LENGTH >> 20,
            atDefault.mebibytesPerSecond(), atRaised.mebibytesPerSecond(), seed);
    }

    /**
     * Puts files of {@link #FILE_LENGTH} seeded random bytes, streamed, until two nodes hold at least
     * {@link #VICTIM_MIN_BYTES} of chunks each.
     *
     * @return each file's name and SHA-256, in the order put.
     */
    private Map<String, String> putUntilHeldByTwo(final NodeHealthWatch watch, final List<Integer> nodes,
        final long seed) throws Exception
    {
        final Map<String, String> digests = new LinkedHashMap<>();
        final long startNs = System.nanoTime();
        for (int i = 0; holdingOneGib(watch, nodes).size() < 2; i++)
        {
            assertThat(i).as("files put before two nodes held %d bytes", VICTIM_MIN_BYTES).isLessThan(MAX_FILES);
            final String name = "gone/" + i;
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final FileStat stat = client.put(name,
                new DigestInputStream(new RandomInputStream(FILE_LENGTH, seed + i), digest), ConsistencyLevel.QUORUM,
                TransferListener.NONE);
            final String sha256 = HexFormat.of().formatHex(digest.digest());
            assertThat(stat.sha256()).as(name).isEqualTo(sha256);
            digests.put(name, sha256);
        }
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        System.out.printf("put %d files of %d MiB at QUORUM in %.1f s (%.1f MiB/s); load average %s%n",
            digests.size(), FILE_LENGTH >> 20, seconds, digests.size() * (FILE_LENGTH >> 20) / seconds,
            loadAverage());
        return digests;
    }

    private static List<Integer> holdingOneGib(final NodeHealthWatch watch, final List<Integer> nodes)
    {
        return nodes.stream().filter(id -> watch.health(id).get("chunkBytesHeld").asLong() >= VICTIM_MIN_BYTES)
            .toList();
    }

    /**
     * Kills a node that holds at least 1 GiB and does not lead, waits for the leader to commit it gone and to
     * report the new ring in place, checks that {@code rfs repair --wait} finds the cluster healthy, and prints the
     * repair's throughput against the durable write bandwidth measured just before the kill.
     *
     * @param live the nodes running; the victim is taken out.
     */
    private Repair loseNode(final NodeHealthWatch watch, final List<Integer> live, final DurableWriteBandwidth disk,
        final String bandwidth) throws Exception
    {
        final double oneWriter = disk.oneWriter();
        final double threeWriters = disk.threeParallelWriters();
        final String loadBefore = loadAverage();

        final int leader = watch.awaitLeader(live, 1, Duration.ofSeconds(60)).leaderId();
        final int victim = holdingOneGib(watch, live).stream().filter(id -> id != leader).findFirst()
            .orElseThrow(() -> new AssertionError("no node but the leader " + leader + " holds 1 GiB"));
        final long held = watch.health(victim).get("chunkBytesHeld").asLong();
        live.remove(Integer.valueOf(victim));
        // Only a leader counts the bytes its orders copied: sum them over the nodes left, should another take over.
        final long copiedBefore = copiedBytes(watch, live);
        final Map<Integer, Integer> marks = logMarks();

        cluster.kill(victim);
        final long killedNs = System.nanoTime();
        final MultiProcessCluster.LogLine gone = Await.await(
            () -> firstNewLine(marks, "rfs membership: node " + victim + " unheard"), Duration.ofSeconds(120),
            "the leader to commit node " + victim + " gone");
        final long goneSeenNs = System.nanoTime();
        final MultiProcessCluster.LogLine inPlace = Await.await(() -> firstNewLine(marks, " in place: "),
            REPAIR_TIMEOUT, "the ring without node " + victim + " in place");
        final long inPlaceSeenNs = System.nanoTime();
        final String loadAfter = loadAverage();
        final long copied = copiedBytes(watch, live) - copiedBefore;
        final Matcher matcher = IN_PLACE.matcher(inPlace.line());
        assertThat(matcher.find()).as(inPlace.toString()).isTrue();
        final boolean sameLeader = gone.node() == inPlace.node();
        final Repair repair = new Repair(victim, held, copied, sameLeader ? Long.parseLong(matcher.group(2)) :
            TimeUnit.NANOSECONDS.toMillis(inPlaceSeenNs - goneSeenNs), Integer.parseInt(matcher.group(1)));

        final JsonNode healthy = JsonOutput.object(
            cluster.rfs("repair", "--wait", "--timeout", "100s", "--json").expectExit(0));
        assertThat(healthy.get("healthy").asBoolean()).isTrue();

        newLines(marks).stream()
            .filter(l -> l.line().startsWith("rfs repair: round") || l.line().startsWith("rfs membership"))
            .forEach(System.out::println);
        System.out.printf("node %d (held %d bytes) gone at bandwidth %s: %d bytes re-replicated in %d ms (%d rounds," +
            " %s) = %.1f MiB/s; %.1f s from SIGKILL to in place seen; after it rfs repair --wait copied %d more;" +
            " durable write (dd %d MiB conv=fdatasync) one writer %.1f MiB/s, three in parallel %.1f MiB/s; ratio" +
            " %.3f of one writer, %.3f of three; load average before %s, after %s%n",
            victim, held, bandwidth, copied, repair.elapsedMs(), repair.rounds(),
            sameLeader ? "leader " + inPlace.node() + "'s time from applying the ring to in place" :
                "the leadership moved from node " + gone.node() + " to " + inPlace.node() + ": the test's time",
            repair.mebibytesPerSecond(), (inPlaceSeenNs - killedNs) / 1e9, healthy.get("totalBytesCopied").asLong(),
            DD_MEBIBYTES, oneWriter, threeWriters, repair.mebibytesPerSecond() / oneWriter,
            repair.mebibytesPerSecond() / threeWriters, loadBefore, loadAfter);
        assertThat(copied).as("bytes re-replicated for node %d", victim).isPositive();
        return repair;
    }

    private static long copiedBytes(final NodeHealthWatch watch, final List<Integer> nodes)
    {
        long sum = 0;
        for (final int id : nodes)
        {
            final long copied = watch.counter(id, "rfs_node_repair_bytes_copied_total");
            assertThat(copied).as("node %d's rfs_node_repair_bytes_copied_total", id).isNotNegative();
            sum += copied;
        }
        return sum;
    }

    /**
     * @return how many lines each node's log has now.
     */
    private Map<Integer, Integer> logMarks() throws Exception
    {
        final Map<Integer, Integer> marks = new HashMap<>();
        cluster.logLines().forEach(l -> marks.merge(l.node(), 1, Integer::sum));
        return marks;
    }

    /**
     * @return the lines the nodes logged after {@link #logMarks()}, node by node.
     */
    private List<MultiProcessCluster.LogLine> newLines(final Map<Integer, Integer> marks) throws Exception
    {
        final Map<Integer, Integer> seen = new HashMap<>();
        return cluster.logLines().stream()
            .filter(l -> seen.merge(l.node(), 1, Integer::sum) > marks.getOrDefault(l.node(), 0))
            .toList();
    }

    private MultiProcessCluster.LogLine firstNewLine(final Map<Integer, Integer> marks, final String text)
        throws Exception
    {
        return newLines(marks).stream().filter(l -> l.line().contains(text)).findFirst().orElse(null);
    }

    private static String loadAverage() throws Exception
    {
        final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
        return String.join(" ", new ArrayList<>(List.of(fields)).subList(0, 3));
    }
}
