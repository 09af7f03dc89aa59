package io.rfs.replication.client;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.replication.node.MappedFileTransportFactory;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.node.NodeProperties;
import io.rfs.replication.node.TransportKind;
import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.tcp.TcpTransport;
import io.rfs.replication.transport.tcp.TcpTransportContext;
import io.rfs.store.ConfigurationException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Reads a client's settings from a properties file, as {@code rfs cluster start} writes it to
 * {@code $RFS_HOME/cluster/client.properties}, and opens the client's transport. Every key is one of
 * {@link #keys()}, documented in {@code docs/CONFIGURATION.md} ("Client"); an unknown key is refused.
 * <pre>{@code
 * try (RfsClient client = RfsClient.connect(ClientProperties.load(Path.of(home, "cluster", "client.properties"))))
 * {
 *     client.put("a", Path.of("a.bin"), TransferListener.NONE);
 * }
 * }</pre>
 * The keys the nodes share ({@code cluster.seeds}, {@code replication.factor}, {@code transport},
 * {@code client.secret}, {@code write.consistency}, {@code read.consistency}, {@code partition.mode}) are parsed by
 * {@link NodeProperties}, so a value means the same to a client as to a node. The ring is built from the seeds, zones
 * and weights by {@link Settings#ring()}: deterministically, so every client (and anything else that builds it from
 * the same settings) places every key on the same owners. {@link #load} then asks the nodes for the ring they
 * committed ({@link CommittedRing}) and uses it when there is one: after a membership change the committed ring wins.
 */
public final class ClientProperties
{
    /** The {@code client.id} used when none is set: this value plus the process id modulo it. */
    public static final int CLIENT_ID_DEFAULT_BASE = 1 << 30;
    /** Name of the shared-memory inbox directory, beside the properties file (as the nodes' beside their data). */
    public static final String SHM_DIRECTORY_NAME = NodeContext.SHM_DIRECTORY_DEFAULT_NAME;

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of(
        ClientContext.CLUSTER_SEEDS_PROP,
        ClientContext.REPLICATION_FACTOR_PROP,
        ClientContext.TRANSPORT_PROP,
        ClientContext.CLIENT_SECRET_PROP,
        ClientContext.CLUSTER_ZONES_PROP,
        ClientContext.CLUSTER_WEIGHTS_PROP,
        ClientContext.WRITE_CONSISTENCY_PROP,
        ClientContext.READ_CONSISTENCY_PROP,
        ClientContext.PARTITION_MODE_PROP,
        ClientContext.BALANCER_PROP,
        ClientContext.CLIENT_ID_PROP));

    private ClientProperties()
    {
    }

    /**
     * @return every key a client properties file may hold, in the order {@code docs/CONFIGURATION.md} lists them.
     */
    public static Set<String> keys()
    {
        return Collections.unmodifiableSet(KEYS);
    }

    /**
     * What a client properties file says.
     *
     * @param seeds            node id to {@code host:port}, in id order.
     * @param replicationFactor N.
     * @param transport        how to reach the nodes.
     * @param clientSecret     the secret proven to the nodes over TCP, or null.
     * @param zones            node id to zone, for the nodes that name one.
     * @param weights          node id to weight, for the nodes that name one.
     * @param writeConsistency default W.
     * @param readConsistency  default R.
     * @param partitionMode    what a put does when fewer than W owners are reachable.
     * @param balancer         how each chunk's replica is picked for a read.
     * @param clientId         this client's id.
     */
    public record Settings(
        SortedMap<Integer, String> seeds,
        int replicationFactor,
        TransportKind transport,
        byte[] clientSecret,
        Map<Integer, String> zones,
        Map<Integer, Integer> weights,
        ConsistencyLevel writeConsistency,
        ConsistencyLevel readConsistency,
        PartitionMode partitionMode,
        BalancerKind balancer,
        int clientId)
    {
        /**
         * @return the ring of the seeds with their zones and weights: N = {@link #replicationFactor()},
         * {@link Ring#DEFAULT_VNODES} virtual nodes per standard weight, nodes added in id order.
         * @throws ConfigurationException if a value breaks a ring rule.
         */
        public Ring ring()
        {
            final List<RingNode> nodes = new ArrayList<>();
            try
            {
                for (final Map.Entry<Integer, String> seed : seeds.entrySet())
                {
                    final int id = seed.getKey();
                    nodes.add(new RingNode(id, seed.getValue(), weights.getOrDefault(id, RingNode.STANDARD_WEIGHT),
                        zones.getOrDefault(id, RingNode.DEFAULT_ZONE)));
                }
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException(ClientContext.CLUSTER_SEEDS_PROP, seeds, ex.getMessage());
            }
            final Ring empty;
            try
            {
                empty = Ring.empty(replicationFactor, Ring.DEFAULT_VNODES);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new ConfigurationException(ClientContext.REPLICATION_FACTOR_PROP, replicationFactor,
                    "must be 1.." + Ring.MAX_REPLICATION_FACTOR);
            }
            return empty.withNodes(nodes);
        }
    }

    /**
     * Reads a properties file, opens the transport it names and returns a concluded context for
     * {@link RfsClient#connect(ClientContext)}.
     *
     * @param file the client properties file (UTF-8).
     * @return the context, owning an open transport.
     * @throws ConfigurationException if the file is missing or a key or value is wrong, naming it.
     * @throws IOException            if the file cannot be read or the transport cannot be opened.
     */
    public static ClientContext load(final Path file) throws IOException
    {
        return load(file, Map.of());
    }

    /**
     * As {@link #load(Path)}, with settings that replace the file's.
     *
     * @param file      the client properties file.
     * @param overrides key to value, possibly empty.
     * @return the context, owning an open transport.
     * @throws IOException as {@link #load(Path)}.
     */
    public static ClientContext load(final Path file, final Map<String, String> overrides) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigurationException("config", file, "no such file");
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            values.put(key, properties.getProperty(key));
        }
        values.putAll(overrides);
        final Settings settings = parse(values);
        final Ring ring = settings.ring();
        final Transport transport = openTransport(settings, file.toAbsolutePath().getParent());
        try
        {
            return new ClientContext()
                .ring(CommittedRing.fetch(transport, settings.seeds().keySet(), ring, SystemNanoClock.INSTANCE,
                    CommittedRing.TIMEOUT_NS_DEFAULT))
                .transport(transport)
                .clientId(settings.clientId())
                .writeConsistency(settings.writeConsistency())
                .readConsistency(settings.readConsistency())
                .partitionMode(settings.partitionMode())
                .balancer(settings.balancer())
                .conclude();
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(transport);
            throw ex;
        }
    }

    /**
     * Parses and checks settings without opening anything.
     *
     * @param values key to value.
     * @return the settings.
     * @throws ConfigurationException naming the first key that is unknown, missing or wrong.
     */
    public static Settings parse(final Map<String, String> values)
    {
        final Map<String, String> shared = new LinkedHashMap<>();
        for (final Map.Entry<String, String> value : values.entrySet())
        {
            if (!KEYS.contains(value.getKey()))
            {
                throw new ConfigurationException("setting", value.getKey(),
                    "unknown (its value is not shown, it may be a secret); the client settings are listed in " +
                    "docs/CONFIGURATION.md: " + String.join(", ", KEYS));
            }
            if (!value.getKey().equals(ClientContext.CLUSTER_ZONES_PROP) &&
                !value.getKey().equals(ClientContext.CLUSTER_WEIGHTS_PROP) &&
                !value.getKey().equals(ClientContext.BALANCER_PROP) &&
                !value.getKey().equals(ClientContext.CLIENT_ID_PROP))
            {
                shared.put(value.getKey(), value.getValue());
            }
        }
        final NodeContext node = NodeProperties.parse(shared);
        if (node.seeds().isEmpty())
        {
            throw new ConfigurationException(ClientContext.CLUSTER_SEEDS_PROP, "", "is required: id=host:port,...");
        }
        final TransportKind transport = node.transport();
        final byte[] secret = node.clientSecret();
        if (transport == TransportKind.TCP && secret == null)
        {
            throw new ConfigurationException(ClientContext.CLIENT_SECRET_PROP, "(not set)",
                "is required with transport=tcp: the nodes admit no client without it");
        }
        if (secret != null && secret.length < NodeContext.MIN_SECRET_LENGTH)
        {
            throw new ConfigurationException(ClientContext.CLIENT_SECRET_PROP + ".length", secret.length,
                "must be at least " + NodeContext.MIN_SECRET_LENGTH + " bytes (use 32 random characters)");
        }
        final Map<Integer, String> zones = new TreeMap<>();
        final String zonesValue = values.get(ClientContext.CLUSTER_ZONES_PROP);
        for (final Map.Entry<Integer, String> entry :
            NodeProperties.idMap(ClientContext.CLUSTER_ZONES_PROP, zonesValue).entrySet())
        {
            checkMember(ClientContext.CLUSTER_ZONES_PROP, entry.getKey(), node.seeds());
            zones.put(entry.getKey(), entry.getValue());
        }
        final Map<Integer, Integer> weights = new TreeMap<>();
        final String weightsValue = values.get(ClientContext.CLUSTER_WEIGHTS_PROP);
        for (final Map.Entry<Integer, String> entry :
            NodeProperties.idMap(ClientContext.CLUSTER_WEIGHTS_PROP, weightsValue).entrySet())
        {
            checkMember(ClientContext.CLUSTER_WEIGHTS_PROP, entry.getKey(), node.seeds());
            weights.put(entry.getKey(), parseInt(ClientContext.CLUSTER_WEIGHTS_PROP, entry.getValue()));
        }
        final String clientIdValue = values.get(ClientContext.CLIENT_ID_PROP);
        final int clientId = clientIdValue == null ?
            CLIENT_ID_DEFAULT_BASE + (int)(ProcessHandle.current().pid() % CLIENT_ID_DEFAULT_BASE) :
            parseInt(ClientContext.CLIENT_ID_PROP, clientIdValue.trim());
        if (clientId < 0)
        {
            throw new ConfigurationException(ClientContext.CLIENT_ID_PROP, clientId, "must be 0 or more");
        }
        if (node.seeds().containsKey(clientId))
        {
            throw new ConfigurationException(ClientContext.CLIENT_ID_PROP, clientId, "is the id of a node");
        }
        return new Settings(node.seeds(), node.replicationFactor(), transport, secret, zones, weights,
            node.writeConsistency(), node.readConsistency(), node.partitionMode(),
            balancer(values.get(ClientContext.BALANCER_PROP)), clientId);
    }

    /**
     * Draws the identity a client's TCP connections authenticate as: one per client instance, not its
     * {@code client.id}. A node keeps one connection per identity and lets a newer one replace an older one (a peer
     * that restarted); two clients opened from one properties file, or two processes that happen to share a
     * {@code client.id}, would otherwise take each other's connections, and each other's responses, for as long as
     * both are open. The {@code client.id} stays the writer id of the versions the client writes.
     *
     * @param seeds  the cluster's nodes, whose ids the identity must not take.
     * @param random where the identity is drawn from.
     * @return an id in {@code [CLIENT_ID_DEFAULT_BASE, Integer.MAX_VALUE)} that is no node's.
     */
    static int connectionId(final Map<Integer, String> seeds, final RandomGenerator random)
    {
        int id;
        do
        {
            id = random.nextInt(CLIENT_ID_DEFAULT_BASE, Integer.MAX_VALUE);
        }
        while (seeds.containsKey(id));
        return id;
    }

    private static BalancerKind balancer(final String value)
    {
        if (value == null || value.isBlank())
        {
            return ClientContext.BALANCER_DEFAULT;
        }
        try
        {
            return BalancerKind.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(ClientContext.BALANCER_PROP, value,
                "must be one of " + Arrays.stream(BalancerKind.values())
                    .map(kind -> kind.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }

    private static void checkMember(final String name, final int id, final Map<Integer, String> seeds)
    {
        if (!seeds.containsKey(id))
        {
            throw new ConfigurationException(name, id, "names a node that is not in " +
                ClientContext.CLUSTER_SEEDS_PROP);
        }
    }

    private static int parseInt(final String name, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigurationException(name, value, "must be a whole number");
        }
    }

    /**
     * Opens the client's endpoint: TCP to every seed with the client role and secret, or this host's shared-memory
     * network in {@value #SHM_DIRECTORY_NAME} beside the properties file.
     *
     * @param settings  the parsed settings.
     * @param directory the properties file's directory.
     * @return the open transport.
     * @throws IOException if it cannot be opened.
     */
    public static Transport openTransport(final Settings settings, final Path directory) throws IOException
    {
        if (settings.transport() == TransportKind.SHM)
        {
            return MappedFileTransportFactory.newEndpoint(directory.resolve(SHM_DIRECTORY_NAME),
                NodeContext.SHM_INBOX_CAPACITY_DEFAULT, SystemNanoClock.INSTANCE, settings.clientId());
        }
        final TcpTransportContext tcp = new TcpTransportContext()
            .nodeId(connectionId(settings.seeds(), ThreadLocalRandom.current()))
            .role(PeerRole.CLIENT)
            .clientSecret(settings.clientSecret());
        for (final Map.Entry<Integer, String> seed : settings.seeds().entrySet())
        {
            tcp.peer(seed.getKey(), TcpTransportContext.parseAddress(
                ClientContext.CLUSTER_SEEDS_PROP + "[" + seed.getKey() + "]", seed.getValue()));
        }
        return new TcpTransport(tcp);
    }
}
