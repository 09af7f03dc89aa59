package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.ClientProperties;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.ring.Ring;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture of the tests of a cluster of processes: a 5-node, N=3 {@link LocalCluster} started by the real
 * {@code rfs cluster start}, with node pids, SIGKILL / SIGSTOP / SIGCONT of one node, a node's chunks deleted or
 * flipped on its disk, owners of a key by the client's ring, {@code rfs --store cluster ...} commands, the lines of
 * the nodes' logs, an {@link RfsClient} in the test JVM made from the cluster's {@code client.properties}, and the
 * teardown ({@link #tearDown}). Waiting is {@link Await#await}'s.
 */
final class MultiProcessCluster
{
    static final int NODES = 5;
    static final int REPLICATION_FACTOR = 3;

    private final LocalCluster cluster;
    private JsonNode started;

    MultiProcessCluster(final Path dir) throws IOException
    {
        this.cluster = new LocalCluster(dir);
    }

    /**
     * Starts the cluster: {@code rfs cluster start --nodes 5 --rf 3} with {@link LocalCluster#SMALL_NODES} and the
     * given extra options.
     */
    MultiProcessCluster start(final String... extra) throws Exception
    {
        final List<String> args = new ArrayList<>(List.of("--nodes", String.valueOf(NODES),
            "--rf", String.valueOf(REPLICATION_FACTOR)));
        args.addAll(List.of(extra));
        cluster.start(args.toArray(String[]::new)).expectExit(0);
        started = cluster.status();
        assertThat(started.get("nodesUp").asInt()).isEqualTo(NODES);
        return this;
    }

    /**
     * Runs {@code rfs cluster start} again, which restarts the nodes that are not running, on their data.
     */
    void restartDownNodes() throws Exception
    {
        cluster.run("cluster", "start", "--no-gateway").expectExit(0);
        assertThat(cluster.status().get("nodesUp").asInt()).isEqualTo(NODES);
    }

    LocalCluster local()
    {
        return cluster;
    }

    /**
     * @return a client of the cluster, its request timeout shortened so that an unreachable owner fails a request
     * in seconds.
     */
    RfsClient connect(final Consumer<ClientContext> settings) throws IOException
    {
        return connect(cluster.directory().resolve("client.properties"), settings);
    }

    /**
     * @return {@link #connect(Consumer)}'s client made from another client properties file (one that reaches the
     * nodes through {@link ProxiedNetwork} links, say).
     */
    static RfsClient connect(final Path clientProperties, final Consumer<ClientContext> settings) throws IOException
    {
        final ClientContext context = ClientProperties.load(clientProperties)
            .requestTimeoutNs(TimeUnit.SECONDS.toNanos(3));
        settings.accept(context);
        return RfsClient.connect(context);
    }

    /**
     * @return the pid of a node as {@code rfs cluster status --json} reports it now.
     */
    long pid(final int nodeId) throws Exception
    {
        return LocalCluster.node(cluster.status(), nodeId).get("pid").asLong();
    }

    /**
     * @return the pid of a node when {@link #start} returned (no {@code rfs} process to run: quick).
     */
    long startedPid(final int nodeId)
    {
        return LocalCluster.node(started, nodeId).get("pid").asLong();
    }

    /**
     * SIGKILLs a node started by {@link #start} and waits until its process is gone.
     */
    void kill(final int nodeId) throws Exception
    {
        final ProcessHandle node = ProcessHandle.of(startedPid(nodeId)).orElseThrow();
        node.destroyForcibly();
        node.onExit().get(30, TimeUnit.SECONDS);
    }

    /**
     * Sends a signal ({@code STOP}, {@code CONT}) to a node's process with {@code kill}.
     */
    static void signal(final long pid, final String signal) throws Exception
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    }

    /**
     * A test's teardown: closes its clients, then SIGKILLs the processes it stopped and every node left.
     *
     * @param cluster null if none was started.
     * @param stopped pids of nodes still SIGSTOPped.
     * @param clients the test's clients, null for one not connected.
     */
    static void tearDown(final MultiProcessCluster cluster, final Collection<Long> stopped,
        final AutoCloseable... clients) throws Exception
    {
        try
        {
            for (final AutoCloseable client : clients)
            {
                if (client != null)
                {
                    client.close();
                }
            }
        }
        finally
        {
            if (cluster != null)
            {
                for (final long pid : stopped)
                {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                cluster.killAll();
            }
        }
    }

    /**
     * @return a client of single chunks on chosen nodes, made from the cluster's {@code client.properties}.
     */
    ClusterChunkClient chunkClient() throws Exception
    {
        return new ClusterChunkClient(cluster.directory().resolve("client.properties"));
    }

    /**
     * Runs {@code rfs --store cluster ARGS...}: a command as a client of the running nodes.
     */
    RfsCli.Result rfs(final String... args) throws Exception
    {
        final List<String> all = new ArrayList<>(List.of("--store", "cluster"));
        all.addAll(List.of(args));
        return cluster.run(all.toArray(String[]::new));
    }

    /**
     * Deletes a (stopped) node's chunk segments, as a lost disk would.
     */
    void deleteChunks(final int nodeId) throws IOException
    {
        try (Stream<Path> paths = Files.walk(cluster.directory().resolve("node-" + nodeId).resolve("chunks")))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    /**
     * A line of a node's log.
     *
     * @param node the node whose log holds it.
     * @param line the line.
     */
    record LogLine(int node, String line)
    {
        @Override
        public String toString()
        {
            return "node " + node + ": " + line;
        }
    }

    /**
     * @return every line of every node's log (those added by {@code add-node} included), node by node.
     */
    List<LogLine> logLines() throws IOException
    {
        final List<LogLine> lines = new ArrayList<>();
        for (int node = 1; ; node++)
        {
            final Path log = cluster.directory().resolve("node-" + node + ".log");
            if (!Files.exists(log))
            {
                return lines;
            }
            for (final String line : Files.readAllLines(log))
            {
                lines.add(new LogLine(node, line));
            }
        }
    }

    /**
     * @return the first line of any node's log that contains the text, or null if there is none yet.
     */
    LogLine findLogLine(final String text) throws IOException
    {
        return logLines().stream().filter(l -> l.line().contains(text)).findFirst().orElse(null);
    }

    /**
     * @return the first line of any node's log that contains the text, once there is one; fails after the timeout.
     */
    LogLine awaitLogLine(final String text, final Duration timeout) throws InterruptedException
    {
        return Await.await(() -> findLogLine(text), timeout, "a node to log \"" + text + "\"");
    }

    /**
     * SIGKILLs every node left; for teardown.
     */
    void killAll() throws Exception
    {
        cluster.killAll();
    }

    /**
     * @return the ids of the N owners of a file's manifest, most preferred first.
     */
    static List<Integer> manifestOwners(final Ring ring, final String name)
    {
        return owners(ring, Ring.manifestPosition(name));
    }

    /**
     * @return the ids of the N owners of a chunk, most preferred first.
     */
    static List<Integer> chunkOwners(final Ring ring, final ChunkId id)
    {
        return owners(ring, Ring.chunkPosition(id));
    }

    private static List<Integer> owners(final Ring ring, final long position)
    {
        final int[] ids = new int[ring.replicaCount()];
        final int count = ring.replicas(position, ids);
        final List<Integer> owners = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            owners.add(ids[i]);
        }
        return owners;
    }

    /**
     * @return the first name {@code <prefix><i>} whose manifest the node owns.
     */
    static String nameOwnedBy(final Ring ring, final int node, final String prefix)
    {
        return nameWithOwners(ring, owners -> owners.contains(node), prefix);
    }

    /**
     * @return the first name {@code <prefix><i>} whose manifest's owners pass the test.
     */
    static String nameWithOwners(final Ring ring, final Predicate<List<Integer>> test, final String prefix)
    {
        for (int i = 0; ; i++)
        {
            final String name = prefix + i;
            if (test.test(manifestOwners(ring, name)))
            {
                return name;
            }
        }
    }

    /**
     * @return the first name {@code partitioned/<i>} whose manifest the node owns.
     */
    static String nameOwnedBy(final Ring ring, final int node)
    {
        return nameOwnedBy(ring, node, "partitioned/");
    }

    /**
     * @return 10,000 random bytes, one chunk (below the smallest chunk size), that the node owns.
     */
    static byte[] contentOwnedBy(final Ring ring, final int node, final SplittableRandom random)
    {
        return contentWithOwners(ring, owners -> owners.contains(node), random);
    }

    /**
     * @return 10,000 random bytes, one chunk (below the smallest chunk size), whose owners pass the test.
     */
    static byte[] contentWithOwners(final Ring ring, final Predicate<List<Integer>> test,
        final SplittableRandom random)
    {
        final ChunkCodec codec = new ChunkCodec();
        while (true)
        {
            final byte[] content = new byte[10_000];
            random.nextBytes(content);
            if (test.test(chunkOwners(ring, codec.hash(content, content.length))))
            {
                return content;
            }
        }
    }

    /**
     * Puts bytes under a name.
     */
    static void put(final RfsClient client, final String name, final byte[] content, final ConsistencyLevel level)
        throws IOException
    {
        client.put(name, new ByteArrayInputStream(content), level, TransferListener.NONE);
    }

    /**
     * @return the bytes of a file, read at a consistency level.
     */
    static byte[] get(final RfsClient client, final String name, final ConsistencyLevel level) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.get(name, out, level, TransferListener.NONE);
        return out.toByteArray();
    }

    /**
     * Finds the stored bytes of a chunk (stored raw: random bytes do not compress) in a node's chunk segments and
     * flips 16 of them in the middle of the payload, through the file, which the node's mapping sees.
     *
     * @return whether the chunk was found.
     */
    boolean flipInChunkRecord(final int node, final byte[] content) throws IOException
    {
        final Path chunks = local().directory().resolve("node-" + node).resolve("chunks");
        final byte[] probe = Arrays.copyOfRange(content, content.length / 2, content.length / 2 + 64);
        final List<Path> segments;
        try (Stream<Path> files = Files.list(chunks))
        {
            segments = files.filter(f -> f.toString().endsWith(".seg")).sorted().toList();
        }
        for (final Path segment : segments)
        {
            final byte[] bytes = Files.readAllBytes(segment);
            final int at = indexOf(bytes, probe);
            if (at >= 0)
            {
                final byte[] flipped = Arrays.copyOf(probe, 16);
                for (int i = 0; i < flipped.length; i++)
                {
                    flipped[i] ^= (byte)0xFF;
                }
                try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE))
                {
                    assertThat(channel.write(ByteBuffer.wrap(flipped), at)).isEqualTo(flipped.length);
                    channel.force(false);
                }
                return true;
            }
        }
        return false;
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
