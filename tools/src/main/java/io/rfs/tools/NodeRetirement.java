package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.client.ClientProperties;
import io.rfs.replication.client.ClusterVerifyReport;
import io.rfs.replication.client.ReplicaProblem;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.Ring;
import io.rfs.store.RfsException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The end of {@code rfs cluster remove-node} for a node of the local cluster, once the ring without it is committed:
 * waits until the cluster proves every file's chunks and manifests are on their N owners of that ring (a cluster
 * verify finds nothing under-replicated, missing, corrupt, lost or unreachable), then until the node holds no chunk
 * and no manifest (the leader has it drop what every owner holds, {@link #awaitEmptied}), then stops the node's process
 * gracefully (SIGTERM, SIGKILL only past its {@code shutdown.timeout}), records it removed in
 * {@code cluster.properties} (so that {@code rfs cluster start} does not start it and {@code status} does not count
 * it) and rewrites the others' seeds without it. Its data directory is kept unless purging was asked for.
 * <p>
 * The command waits, rather than the node retiring itself, because only the command knows the node is a local
 * process it may stop, and only a check from outside the node (every owner re-hashing its copies) shows that the
 * node's data no longer depends on it; a node that exited on its own would also be restarted by a supervisor that
 * does not know it was removed. While the check fails the node keeps running, so a copy found nowhere else can still
 * be read from it.
 */
final class NodeRetirement
{
    /** Time between two checks: each is a whole cluster verify, so the wait is mostly the check itself. */
    static final long CHECK_INTERVAL_MS = 1_000;
    /** How long a node may take to re-hash one batch of chunks, as {@code rfs verify} allows by default. */
    static final long VERIFY_REQUEST_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);

    private final ClusterDirectory directory;
    private final int id;
    private final String http;
    private final HealthProbe probe = new HealthProbe();
    private final PrintWriter progress;
    private final PrintWriter err;

    /**
     * @param directory the local cluster.
     * @param id        the node taken out of the ring, a member of the local cluster.
     * @param http      its {@code http.address}, or null if it serves none.
     * @param progress  told of each check and step.
     * @param err       warned of a SIGKILL.
     */
    NodeRetirement(
        final ClusterDirectory directory, final int id, final String http, final PrintWriter progress,
        final PrintWriter err)
    {
        this.directory = directory;
        this.id = id;
        this.http = http;
        this.progress = progress;
        this.err = err;
    }

    /**
     * Checks, until clean or the time is up, that the data is on N replicas of a committed ring without the node.
     *
     * @param ringVersion the version of the ring without the node, at least.
     * @param timeoutNs   how long to keep checking.
     * @return the report of the clean check.
     * @throws ClusterException with {@link Rfs#EXIT_FAILED} if no check was clean in time; the node is left as it is.
     */
    ClusterVerifyReport awaitReplicated(final long ringVersion, final long timeoutNs) throws IOException
    {
        final long startNs = System.nanoTime();
        String last = "no check finished";
        for (int attempt = 1; ; attempt++)
        {
            final Map<ReplicaProblem.Kind, Long> blocking = new EnumMap<>(ReplicaProblem.Kind.class);
            // connected afresh each time: a client takes the committed ring when it connects
            try (RfsClient client = RfsClient.connect(ClientProperties.load(directory.clientProperties())))
            {
                final Ring ring = client.ring();
                if (ring.contains(id) || ring.version() < ringVersion)
                {
                    last = "the node asked for the ring answered version " + ring.version() + ", which holds node " +
                        id + " or is older than " + ringVersion;
                }
                else
                {
                    final ClusterVerifyReport report = client.verifyReplicas(
                        List.of(), VERIFY_REQUEST_TIMEOUT_NS, problem -> count(blocking, problem));
                    if (blocking.isEmpty() && report.underReplicated() == 0 && report.unreachable() == 0)
                    {
                        progress.printf("node %d's data is on its N other replicas: %d files, %d chunks healthy on " +
                            "every owner of ring version %d (check %d, %.1f s)%n", id, report.files(),
                            report.healthy(), ring.version(), attempt, seconds(startNs));
                        progress.flush();
                        return report;
                    }
                    last = report.underReplicated() + " chunks under-replicated, " + blocking;
                }
            }
            progress.printf("waiting for node %d's data to be on N other replicas: %s (check %d, %.1f s)%n", id, last,
                attempt, seconds(startNs));
            progress.flush();
            if (System.nanoTime() - startNs + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS) > timeoutNs)
            {
                throw new ClusterException("node " + id + " is out of the ring but its data was not on N other " +
                    "replicas within " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s (" + last + "); it is " +
                    "left running with its data: see rfs verify and rfs repair --wait, then run rfs cluster " +
                    "remove-node " + id + " again to retire it", Rfs.EXIT_FAILED);
            }
            ClusterSubcommand.pause(CHECK_INTERVAL_MS, "node " + id + "'s data to be on N other replicas");
        }
    }

    /**
     * What a node holds, as its {@code /health} says ({@code chunksHeld}, {@code manifestsHeld}).
     *
     * @param chunks    chunks held.
     * @param manifests names held, tombstones included.
     */
    record Holdings(long chunks, long manifests)
    {
        boolean isEmpty()
        {
            return chunks == 0 && manifests == 0;
        }
    }

    /**
     * How the wait for the node's drops ended.
     *
     * @param checked whether its holdings could be read (it runs and serves {@code /health}).
     * @param before  what it held when its retirement began (before the removal was asked, where it was), or null.
     * @param why     when not checked, why.
     */
    record Emptied(boolean checked, Holdings before, String why)
    {
    }

    /**
     * @return what the node holds now, or null if it does not say (not running, no HTTP, older than this rfs).
     */
    Holdings holdings()
    {
        if (http == null)
        {
            return null;
        }
        final HealthProbe.Answer answer = probe.probe(http);
        final JsonNode body = answer.body();
        return answer.reachable() && body.has("chunksHeld") && body.has("manifestsHeld") ?
            new Holdings(body.path("chunksHeld").asLong(), body.path("manifestsHeld").asLong()) : null;
    }

    /**
     * Waits until the node, out of the ring and its data verified on the N owners, holds no chunk and no manifest:
     * the leader orders a retired node it reaches to drop whatever every owner holds (NODE.md "Membership changes").
     * Asks the leader for a repair round at each check, since a copy made to an owner from the node is dropped only
     * by a later round.
     *
     * @param before    what the node held when its retirement began, or null to take the first check's reading.
     * @param timeoutNs how long to keep checking.
     * @return how it ended; not checked if the node serves no {@code /health}.
     * @throws ClusterException with {@link Rfs#EXIT_FAILED} if it still held data when the time was up; it is left
     *                          running with that data.
     */
    Emptied awaitEmptied(final Holdings before, final long timeoutNs) throws IOException
    {
        if (http == null)
        {
            return new Emptied(false, null, "node " + id + " serves no /health, so its drops are not awaited");
        }
        final long startNs = System.nanoTime();
        Holdings first = before;
        String last = "no check answered";
        for (int attempt = 1; ; attempt++)
        {
            final Holdings now = holdings();
            if (now != null)
            {
                first = first == null ? now : first;
                if (now.isEmpty())
                {
                    progress.printf("node %d holds no chunk and no manifest; it held %d chunks and %d manifests when " +
                        "its retirement began, dropped by the leader's orders once their owners held them (check %d, " +
                        "%.1f s)%n", id, first.chunks(), first.manifests(), attempt, seconds(startNs));
                    progress.flush();
                    return new Emptied(true, first, null);
                }
                last = now.chunks() + " chunks and " + now.manifests() + " manifests left";
            }
            else
            {
                last = "its /health did not say what it holds";
            }
            progress.printf("waiting for node %d to drop what its new owners hold: %s (check %d, %.1f s)%n", id, last,
                attempt, seconds(startNs));
            progress.flush();
            if (System.nanoTime() - startNs + TimeUnit.MILLISECONDS.toNanos(CHECK_INTERVAL_MS) > timeoutNs)
            {
                throw new ClusterException("node " + id + " is out of the ring and its data is on N other replicas, " +
                    "but it still held data after " + TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s (" + last +
                    "); it is left running: run rfs repair --wait, then rfs cluster remove-node " + id + " again",
                    Rfs.EXIT_FAILED);
            }
            askForRound(startNs + timeoutNs);
            ClusterSubcommand.pause(CHECK_INTERVAL_MS, "node " + id + " to drop its data");
        }
    }

    private void askForRound(final long deadlineNs) throws IOException
    {
        try (RfsClient client = RfsClient.connect(ClientProperties.load(directory.clientProperties())))
        {
            new ClusterRepair(client).startOnLeader(deadlineNs);
        }
        catch (final RfsException ex)
        {
            // no leader now: the next check asks again
            progress.printf("no repair round started: %s%n", ex.getMessage());
        }
    }

    /**
     * Stops the node (SIGTERM, then SIGKILL past its shutdown timeout), records it removed, rewrites the other nodes'
     * and the clients' settings without it, and deletes its data directory if asked.
     *
     * @param purge whether to delete its data directory.
     * @return the data directory, kept or deleted.
     */
    Path retire(final boolean purge) throws IOException
    {
        final FileChannel lock = directory.lock();
        try
        {
            final LocalNode node = new LocalNode(id, directory);
            final Optional<ProcessHandle> process = node.running();
            if (process.isPresent())
            {
                final long waitNs = ClusterSubcommand.shutdownTimeoutNs(node) + ClusterStopCommand.STOP_MARGIN_NS;
                progress.printf("stopping node %d (pid %d) with SIGTERM%n", id, process.get().pid());
                process.get().destroy();
                ClusterStopCommand.awaitStopped(node, process.get(), System.nanoTime() + waitNs, waitNs, progress,
                    err);
            }
            else
            {
                progress.printf("node %d was not running%n", id);
                node.clearPid();
            }
            final ClusterSpec next = ClusterSpec.load(directory.clusterProperties()).withRemoved(id);
            ClusterDirectory.writePrivate(directory.clusterProperties(), next.toProperties());
            ClusterSubcommand.rewriteSettings(next, directory, directory.secret(directory.clusterSecret()),
                directory.secret(directory.clientSecret()), -1, "remove-node");
            if (purge)
            {
                deleteTree(node.dataDirectory());
                Files.deleteIfExists(node.config());
            }
            progress.flush();
            return node.dataDirectory();
        }
        finally
        {
            lock.close();
        }
    }

    private static void count(final Map<ReplicaProblem.Kind, Long> blocking, final ReplicaProblem problem)
    {
        // copies and manifests left on nodes that no longer own them take nothing away from the N owners
        if (problem.kind() != ReplicaProblem.Kind.MISPLACED && problem.kind() != ReplicaProblem.Kind.MANIFEST_MISPLACED)
        {
            blocking.merge(problem.kind(), 1L, Long::sum);
        }
    }

    private static double seconds(final long sinceNs)
    {
        return (System.nanoTime() - sinceNs) / 1e9;
    }

    static void deleteTree(final Path root) throws IOException
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
