package io.rfs.tools;

import io.rfs.replication.client.ClientContext;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import io.rfs.replication.transport.tcp.TcpTransportContext;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The network of a {@link MultiProcessCluster} made of {@link LinkProxy} links, so that a test can partition real
 * node processes on loopback: every connection a node dials to a peer, and every connection a test client made by
 * {@link #clientProperties} dials to a node, goes through a link of its own, which the test cuts and heals.
 * <p>
 * No product code knows of it: each node is started with its own {@code cluster.seeds}, in which the peers it dials
 * have their link's address instead of their own (a node dials only the peers above its id, docs/TRANSPORT.md "Who
 * dials", so one link per pair carries both directions of that pair's traffic), and a client gets a copy of
 * {@code client.properties} whose seeds are all links. The nodes' {@code /health} HTTP addresses are not proxied, so
 * the test watches every node throughout. Besides cutting, a test can hold back the frames of chosen types that a
 * node sends, on all its links, and deliver them later ({@link #holdFrom}).
 */
final class ProxiedNetwork implements AutoCloseable
{
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String NODE_PREFIX = "node-";

    /**
     * A link: {@code from} (a node's or a client's endpoint name) dials node {@code to} through it.
     */
    private record Link(String from, int to)
    {
    }

    private final Path directory;
    private final Map<Link, LinkProxy> links = new LinkedHashMap<>();
    private final List<FrameHold> directions = new ArrayList<>();

    private ProxiedNetwork(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * @return the endpoint name of a node, for {@link #isolate}.
     */
    static String node(final int id)
    {
        return NODE_PREFIX + id;
    }

    /**
     * Stops the started cluster's nodes ({@code rfs cluster stop}) and starts each again, as {@code rfs cluster
     * start} would but with the peers it dials reached through links; waits until every node is ready.
     *
     * @param cluster a cluster {@link MultiProcessCluster#start started} with every node up.
     * @return the network, every link open.
     */
    static ProxiedNetwork route(final MultiProcessCluster cluster) throws Exception
    {
        final Path root = cluster.local().directory();
        final ClusterDirectory directory = new ClusterDirectory(root.getParent());
        final ClusterSpec spec = ClusterSpec.load(directory.clusterProperties());
        final Path jar = Path.of(System.getProperty("rfs.jar"));
        cluster.local().run("cluster", "stop").expectExit(0);

        final ProxiedNetwork network = new ProxiedNetwork(root);
        final List<LocalNode.Start> starts = new ArrayList<>();
        try
        {
            for (final int id : spec.addresses().keySet())
            {
                final LocalNode node = new LocalNode(id, directory);
                network.rewriteSeeds(node.config(), node.config(), node(id), peer -> peer > id);
                final NodeContext context = NodeProperties.load(node.config(), Map.of());
                starts.add(node.start(jar, ClusterStartCommand.jvmOptions(spec, context)));
            }
            for (final LocalNode.Start start : starts)
            {
                Await.await(() -> start.isReady() || !start.process().isAlive(), READY_TIMEOUT,
                    "node " + start.node().id() + " to be ready");
                if (!start.isReady())
                {
                    throw new AssertionError("node " + start.node().id() + " exited:\n" + start.logTail());
                }
            }
        }
        catch (final Exception | AssertionError ex)
        {
            network.close();
            throw ex;
        }
        return network;
    }

    /**
     * Writes {@code <client>.properties} beside it, the cluster's {@code client.properties} with every node reached
     * through a link from {@code client}.
     *
     * @param client the client's endpoint name, for {@link #isolate}.
     * @return the file, for {@link MultiProcessCluster#connect(Path, java.util.function.Consumer)}.
     */
    Path clientProperties(final String client) throws IOException
    {
        final Path file = directory.resolve(client + ".properties");
        rewriteSeeds(directory.resolve("client.properties"), file, client, peer -> true);
        return file;
    }

    /**
     * Cuts every link between {@code side} and the rest, both ways, and heals every other link.
     *
     * @param side endpoint names: {@link #node(int)}s and clients.
     */
    void isolate(final Collection<String> side)
    {
        links.forEach((link, proxy) ->
        {
            if (side.contains(link.from()) != side.contains(node(link.to())))
            {
                proxy.cut();
            }
            else
            {
                proxy.heal();
            }
        });
    }

    /**
     * Heals every link.
     */
    void healAll()
    {
        links.values().forEach(LinkProxy::heal);
    }

    /**
     * Holds back, from now on, the frames of the chosen message types that a node sends to any other, on every link
     * it dialled or was dialled through; its other frames, and everything it receives, pass.
     */
    void holdFrom(final int nodeId, final IntPredicate messageTypes)
    {
        directions.stream().filter(d -> d.source() == nodeId).forEach(d -> d.hold(messageTypes));
    }

    /**
     * @return the frames held back from a node so far.
     */
    List<FrameHold.HeldFrame> heldFrom(final int nodeId)
    {
        return directions.stream().filter(d -> d.source() == nodeId).flatMap(d -> d.held().stream()).toList();
    }

    /**
     * Stops holding a node's frames and delivers those held.
     *
     * @return how many were delivered (not lost with a connection that closed meanwhile).
     */
    int releaseFrom(final int nodeId)
    {
        return directions.stream().filter(d -> d.source() == nodeId).mapToInt(FrameHold::release).sum();
    }

    @Override
    public void close()
    {
        links.values().forEach(LinkProxy::close);
    }

    /**
     * Copies a properties file, replacing in its {@code cluster.seeds} the address of each node the test accepts by
     * a new link's from {@code from}.
     */
    private void rewriteSeeds(final Path source, final Path target, final String from, final IntPredicate proxied)
        throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        final String seedsKey = ClientContext.CLUSTER_SEEDS_PROP;
        final StringJoiner seeds = new StringJoiner(",");
        for (final Map.Entry<Integer, String> seed :
            NodeProperties.idMap(seedsKey, properties.getProperty(seedsKey)).entrySet())
        {
            final int to = seed.getKey();
            String address = seed.getValue();
            if (proxied.test(to))
            {
                final int fromId = from.startsWith(NODE_PREFIX) ?
                    Integer.parseInt(from.substring(NODE_PREFIX.length())) : -1;
                final FrameHold forward = new FrameHold(fromId, to);
                final FrameHold backward = new FrameHold(to, fromId);
                directions.add(forward);
                directions.add(backward);
                final LinkProxy proxy = new LinkProxy(from + "->" + node(to),
                    TcpTransportContext.parseAddress(seedsKey + "[" + to + "]", address), forward, backward);
                links.put(new Link(from, to), proxy);
                address = proxy.address();
            }
            seeds.add(to + "=" + address);
        }
        properties.setProperty(seedsKey, seeds.toString());
        final Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
        ClusterDirectory.writePrivate(target, ClusterSpec.toPropertiesText(settings));
    }
}
