package io.rfs.tools;

import io.rfs.replication.node.NodeContext;
import io.rfs.replication.ring.RingNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * What {@code rfs cluster start} started, as {@code cluster.properties} records it: how many nodes (ids 1..nodes),
 * the replication factor, each node's loopback address (ports picked once and kept), the heap of each node's JVM,
 * and the {@code --set} settings every node gets. From it follow every node's properties file and the clients'
 * {@code client.properties}, so a restart rebuilds exactly the same cluster.
 *
 * @param nodes             how many nodes, ids 1 to {@code nodes}.
 * @param replicationFactor N.
 * @param heap              the {@code -Xmx} of each node's JVM, e.g. {@code 128m}.
 * @param addresses         node id to {@code 127.0.0.1:port}.
 * @param httpAddresses     node id to the {@code 127.0.0.1:port} of its {@code /health} and {@code /metrics}; empty
 *                          for a cluster started before nodes served HTTP.
 * @param settings          node settings given with {@code --set}, key to value.
 * @param voters            the voting members; empty: every node (a cluster no node was ever added to).
 * @param zones             node id to the {@code --zone} it was added with.
 * @param weights           node id to the {@code --weight} it was added with.
 * @param removed           nodes {@code rfs cluster remove-node} retired: out of the ring, stopped, their data kept
 *                          (unless purged); no command starts, stops or lists them as members again, and no seed
 *                          names them. Their ids are not reused.
 */
record ClusterSpec(
    int nodes, int replicationFactor, String heap, SortedMap<Integer, String> addresses,
    SortedMap<Integer, String> httpAddresses, SortedMap<String, String> settings, SortedSet<Integer> voters,
    SortedMap<Integer, String> zones, SortedMap<Integer, Integer> weights, SortedSet<Integer> removed)
{
    static final String NODES_KEY = "nodes";
    static final String REPLICATION_FACTOR_KEY = "replication.factor";
    static final String HEAP_KEY = "node.heap";
    static final String ADDRESS_KEY_PREFIX = "node.address.";
    static final String HTTP_ADDRESS_KEY_PREFIX = "node.http.address.";
    static final String SETTING_KEY_PREFIX = "set.";
    static final String VOTERS_KEY = "voters";
    static final String ZONE_KEY_PREFIX = "node.zone.";
    static final String WEIGHT_KEY_PREFIX = "node.weight.";
    static final String REMOVED_KEY = "removed";

    /** The client keys; {@code io.rfs.replication} clients read them. */
    static final String CLIENT_SEEDS_KEY = NodeContext.SEEDS_PROP;
    static final String CLIENT_REPLICATION_FACTOR_KEY = NodeContext.REPLICATION_FACTOR_PROP;
    static final String CLIENT_TRANSPORT_KEY = NodeContext.TRANSPORT_PROP;
    static final String CLIENT_SECRET_KEY = NodeContext.CLIENT_SECRET_PROP;
    static final String CLIENT_ZONES_KEY = "cluster.zones";
    static final String CLIENT_WEIGHTS_KEY = "cluster.weights";

    /**
     * Node settings that the coordinator reads, not the node server: a {@code --set} of one goes into
     * {@code client.properties} as well, under the same key, so that the clients do what the cluster was started
     * with.
     */
    static final Set<String> COORDINATOR_SETTINGS = new LinkedHashSet<>(List.of(
        NodeContext.WRITE_CONSISTENCY_PROP,
        NodeContext.READ_CONSISTENCY_PROP,
        NodeContext.PARTITION_MODE_PROP));

    /**
     * Settings {@code rfs cluster start} writes itself, which {@code --set} may not change.
     */
    static final Set<String> MANAGED_SETTINGS = Set.of(
        NodeContext.NODE_ID_PROP,
        NodeContext.NODE_ADDRESS_PROP,
        NodeContext.HTTP_ADDRESS_PROP,
        NodeContext.DATA_DIRECTORY_PROP,
        NodeContext.SEEDS_PROP,
        NodeContext.VOTERS_PROP,
        NodeContext.ZONES_PROP,
        NodeContext.WEIGHTS_PROP,
        NodeContext.CLUSTER_SECRET_PROP,
        NodeContext.CLIENT_SECRET_PROP,
        NodeContext.REPLICATION_FACTOR_PROP);

    ClusterSpec
    {
        addresses = Collections.unmodifiableSortedMap(new TreeMap<>(addresses));
        httpAddresses = Collections.unmodifiableSortedMap(new TreeMap<>(httpAddresses));
        settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        zones = Collections.unmodifiableSortedMap(new TreeMap<>(zones));
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
        removed = Collections.unmodifiableSortedSet(new TreeSet<>(removed));
    }

    /**
     * A cluster as {@code rfs cluster start} makes it: every node votes, none was added.
     */
    ClusterSpec(
        final int nodes, final int replicationFactor, final String heap, final SortedMap<Integer, String> addresses,
        final SortedMap<Integer, String> httpAddresses, final SortedMap<String, String> settings)
    {
        this(nodes, replicationFactor, heap, addresses, httpAddresses, settings, new TreeSet<>(), new TreeMap<>(),
            new TreeMap<>(), new TreeSet<>());
    }

    /**
     * @return the ids of the nodes that are members: 1 to {@link #nodes()} but the {@link #removed()} ones.
     */
    List<Integer> members()
    {
        return addresses.keySet().stream().filter(id -> !removed.contains(id)).toList();
    }

    /**
     * @param id a node id.
     * @return whether it is a member of this local cluster (recorded and not removed).
     */
    boolean isMember(final int id)
    {
        return addresses.containsKey(id) && !removed.contains(id);
    }

    /**
     * @param id a member.
     * @return this cluster with that node retired: no longer a seed, a voter or a node to start, its address kept
     * on record (its id is not reused).
     */
    ClusterSpec withRemoved(final int id)
    {
        final SortedSet<Integer> newRemoved = new TreeSet<>(removed);
        newRemoved.add(id);
        final SortedSet<Integer> newVoters = new TreeSet<>(voters);
        newVoters.remove(id);
        return new ClusterSpec(nodes, replicationFactor, heap, addresses, httpAddresses, settings, newVoters, zones,
            weights, newRemoved);
    }

    /**
     * @param address     the new node's address.
     * @param httpAddress its HTTP address, or null if the cluster serves none.
     * @param zone        its zone, or null for the cluster's.
     * @param weight      its weight, or null for the cluster's.
     * @return this cluster with node {@code nodes + 1} added as a learner: the voters stay those there are.
     */
    ClusterSpec withNode(final String address, final String httpAddress, final String zone, final Integer weight)
    {
        final int id = nodes + 1;
        final SortedMap<Integer, String> newAddresses = new TreeMap<>(addresses);
        newAddresses.put(id, address);
        final SortedMap<Integer, String> newHttp = new TreeMap<>(httpAddresses);
        if (httpAddress != null && !httpAddresses.isEmpty())
        {
            newHttp.put(id, httpAddress);
        }
        final SortedSet<Integer> newVoters = new TreeSet<>(voters);
        if (newVoters.isEmpty())
        {
            newVoters.addAll(members());
        }
        final SortedMap<Integer, String> newZones = new TreeMap<>(zones);
        if (zone != null)
        {
            newZones.put(id, zone);
        }
        final SortedMap<Integer, Integer> newWeights = new TreeMap<>(weights);
        if (weight != null)
        {
            newWeights.put(id, weight);
        }
        return new ClusterSpec(id, replicationFactor, heap, newAddresses, newHttp, settings, newVoters, newZones,
            newWeights, removed);
    }

    /**
     * @param id     a node of the cluster.
     * @param weight its new weight.
     * @return this cluster with that node's weight changed, so that a restart builds the ring it was given.
     */
    ClusterSpec withWeight(final int id, final int weight)
    {
        final SortedMap<Integer, Integer> newWeights = new TreeMap<>(weights);
        newWeights.put(id, weight);
        return new ClusterSpec(nodes, replicationFactor, heap, addresses, httpAddresses, settings, voters, zones,
            newWeights, removed);
    }

    /**
     * @param id a node id.
     * @return its zone as its settings give it.
     */
    String zone(final int id)
    {
        return zones.getOrDefault(id, settings.getOrDefault(NodeContext.NODE_ZONE_PROP, RingNode.DEFAULT_ZONE));
    }

    /**
     * @param file {@code cluster.properties}.
     * @return what it records.
     * @throws ClusterException if a key is missing or malformed.
     * @throws IOException      if it cannot be read.
     */
    static ClusterSpec load(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        final int nodes = intValue(file, properties, NODES_KEY);
        final int replicationFactor = intValue(file, properties, REPLICATION_FACTOR_KEY);
        final String heap = value(file, properties, HEAP_KEY);
        final SortedMap<Integer, String> addresses = new TreeMap<>();
        for (int id = 1; id <= nodes; id++)
        {
            addresses.put(id, value(file, properties, ADDRESS_KEY_PREFIX + id));
        }
        final SortedMap<Integer, String> httpAddresses = new TreeMap<>();
        for (int id = 1; id <= nodes; id++)
        {
            final String http = properties.getProperty(HTTP_ADDRESS_KEY_PREFIX + id);
            if (http != null && !http.isBlank())
            {
                httpAddresses.put(id, http.trim());
            }
        }
        if (httpAddresses.size() != nodes)
        {
            httpAddresses.clear();
        }
        final SortedMap<String, String> settings = new TreeMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            if (key.startsWith(SETTING_KEY_PREFIX))
            {
                settings.put(key.substring(SETTING_KEY_PREFIX.length()), properties.getProperty(key));
            }
        }
        final SortedSet<Integer> voters = new TreeSet<>();
        final SortedSet<Integer> removed = new TreeSet<>();
        final String votersValue = properties.getProperty(VOTERS_KEY);
        final String removedValue = properties.getProperty(REMOVED_KEY);
        final SortedMap<Integer, String> zones = new TreeMap<>();
        final SortedMap<Integer, Integer> weights = new TreeMap<>();
        try
        {
            addIds(votersValue, voters);
            addIds(removedValue, removed);
            for (int id = 1; id <= nodes; id++)
            {
                final String zone = properties.getProperty(ZONE_KEY_PREFIX + id);
                if (zone != null)
                {
                    zones.put(id, zone.trim());
                }
                final String weight = properties.getProperty(WEIGHT_KEY_PREFIX + id);
                if (weight != null)
                {
                    weights.put(id, Integer.parseInt(weight.trim()));
                }
            }
        }
        catch (final NumberFormatException ex)
        {
            throw new ClusterException(file + ": " + VOTERS_KEY + ", " + REMOVED_KEY + " and " + WEIGHT_KEY_PREFIX +
                "<id> must be whole numbers: " + ex.getMessage(), Rfs.EXIT_FAILED);
        }
        return new ClusterSpec(nodes, replicationFactor, heap, addresses, httpAddresses, settings, voters, zones,
            weights, removed);
    }

    private static void addIds(final String value, final SortedSet<Integer> to)
    {
        if (value != null && !value.isBlank())
        {
            for (final String id : value.split(","))
            {
                to.add(Integer.parseInt(id.trim()));
            }
        }
    }

    private static String value(final Path file, final Properties properties, final String key)
        throws ClusterException
    {
        final String value = properties.getProperty(key);
        if (value == null || value.isBlank())
        {
            throw new ClusterException(file + " has no " + key + "; it was not written by rfs cluster start, or " +
                "was edited (stop the cluster and remove " + file.getParent() + " to start afresh)", Rfs.EXIT_FAILED);
        }
        return value.trim();
    }

    private static int intValue(final Path file, final Properties properties, final String key)
        throws ClusterException
    {
        final String value = value(file, properties, key);
        try
        {
            final int parsed = Integer.parseInt(value);
            if (parsed < 1)
            {
                throw new NumberFormatException();
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new ClusterException(file + ": " + key + "=" + value + " must be a positive whole number",
                Rfs.EXIT_FAILED);
        }
    }

    /**
     * @return the content of {@code cluster.properties}.
     */
    String toProperties()
    {
        final StringBuilder text = new StringBuilder()
            .append("# What rfs cluster start started; read by rfs cluster start, stop and status. See docs/CLUSTER.md.\n")
            .append(NODES_KEY).append('=').append(nodes).append('\n')
            .append(REPLICATION_FACTOR_KEY).append('=').append(replicationFactor).append('\n')
            .append(HEAP_KEY).append('=').append(heap).append('\n');
        addresses.forEach((id, address) -> text.append(ADDRESS_KEY_PREFIX).append(id).append('=').append(address)
            .append('\n'));
        httpAddresses.forEach((id, address) -> text.append(HTTP_ADDRESS_KEY_PREFIX).append(id).append('=')
            .append(address).append('\n'));
        settings.forEach((key, value) -> text.append(escape(SETTING_KEY_PREFIX + key, value)));
        if (!voters.isEmpty())
        {
            text.append(VOTERS_KEY).append('=').append(joined(voters)).append('\n');
        }
        zones.forEach((id, zone) -> text.append(escape(ZONE_KEY_PREFIX + id, zone)));
        weights.forEach((id, weight) -> text.append(WEIGHT_KEY_PREFIX).append(id).append('=').append(weight)
            .append('\n'));
        if (!removed.isEmpty())
        {
            text.append(REMOVED_KEY).append('=').append(joined(removed)).append('\n');
        }
        return text.toString();
    }

    private static String joined(final SortedSet<Integer> ids)
    {
        final StringJoiner joined = new StringJoiner(",");
        ids.forEach(id -> joined.add(Integer.toString(id)));
        return joined.toString();
    }

    /**
     * The settings of one node: who it is, where it listens and keeps its data, the members, the secrets, then the
     * {@code --set} settings.
     *
     * @param nodeId        1 to {@link #nodes()}.
     * @param dataDirectory its data directory.
     * @param clusterSecret the nodes' secret.
     * @param clientSecret  the clients' secret.
     * @return key to value, in the order they are written.
     */
    Map<String, String> nodeSettings(
        final int nodeId, final Path dataDirectory, final String clusterSecret, final String clientSecret)
    {
        final Map<String, String> node = new LinkedHashMap<>();
        node.put(NodeContext.NODE_ID_PROP, Integer.toString(nodeId));
        node.put(NodeContext.NODE_ADDRESS_PROP, addresses.get(nodeId));
        if (httpAddresses.containsKey(nodeId))
        {
            node.put(NodeContext.HTTP_ADDRESS_PROP, httpAddresses.get(nodeId));
        }
        node.put(NodeContext.DATA_DIRECTORY_PROP, dataDirectory.toString());
        node.put(NodeContext.SEEDS_PROP, seeds());
        node.put(NodeContext.REPLICATION_FACTOR_PROP, Integer.toString(replicationFactor));
        node.put(NodeContext.CLUSTER_SECRET_PROP, clusterSecret);
        node.put(NodeContext.CLIENT_SECRET_PROP, clientSecret);
        if (!voters.isEmpty())
        {
            node.put(NodeContext.VOTERS_PROP, joined(voters));
        }
        putZonesAndWeights(node);
        node.putAll(settings);
        if (zones.containsKey(nodeId))
        {
            node.put(NodeContext.NODE_ZONE_PROP, zones.get(nodeId));
        }
        if (weights.containsKey(nodeId))
        {
            node.put(NodeContext.NODE_WEIGHT_PROP, Integer.toString(weights.get(nodeId)));
        }
        return node;
    }

    /**
     * @param clientSecret the clients' secret.
     * @return the content of {@code client.properties}: the members, N, the transport, the client secret, and the
     * zones, weights and {@link #COORDINATOR_SETTINGS} when {@code --set} gave them.
     */
    String clientProperties(final String clientSecret)
    {
        final Map<String, String> client = new LinkedHashMap<>();
        client.put(CLIENT_SEEDS_KEY, seeds());
        client.put(CLIENT_REPLICATION_FACTOR_KEY, Integer.toString(replicationFactor));
        client.put(CLIENT_TRANSPORT_KEY, settings.getOrDefault(NodeContext.TRANSPORT_PROP, "tcp"));
        client.put(CLIENT_SECRET_KEY, clientSecret);
        putZonesAndWeights(client);
        for (final String key : COORDINATOR_SETTINGS)
        {
            if (settings.containsKey(key))
            {
                client.put(key, settings.get(key));
            }
        }
        return "# How clients reach the cluster rfs cluster start started. See docs/CLUSTER.md.\n" +
            toPropertiesText(client);
    }

    /**
     * @param settings key to value.
     * @return {@code key=value} lines, escaped as {@link Properties#load} reads them.
     */
    static String toPropertiesText(final Map<String, String> settings)
    {
        final StringBuilder text = new StringBuilder();
        settings.forEach((key, value) -> text.append(escape(key, value)));
        return text.toString();
    }

    /**
     * A {@code key=value} line as {@link Properties#load} reads it back. Only a backslash and line breaks need an
     * escape: {@code =} and {@code :} in a value are read as they are, so the lines stay plain to read
     * ({@code cluster.seeds=1=127.0.0.1:7401,...}). Keys here are setting names, which have no special characters.
     */
    private static String escape(final String key, final String value)
    {
        final String escaped = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
        return key + "=" + escaped + "\n";
    }

    private String seeds()
    {
        final StringJoiner seeds = new StringJoiner(",");
        members().forEach(id -> seeds.add(id + "=" + addresses.get(id)));
        return seeds.toString();
    }

    /**
     * Every node's zone and weight, when any was given, under the keys clients and nodes share, so that both build
     * the same ring from their settings.
     */
    private void putZonesAndWeights(final Map<String, String> to)
    {
        if (settings.containsKey(NodeContext.NODE_ZONE_PROP) || !zones.isEmpty())
        {
            to.put(CLIENT_ZONES_KEY, perNode(this::zone));
        }
        final String weight = settings.getOrDefault(NodeContext.NODE_WEIGHT_PROP,
            Integer.toString(RingNode.STANDARD_WEIGHT));
        // left out when --set node.weight is not a number, so that the nodes' settings check names that setting
        if ((settings.containsKey(NodeContext.NODE_WEIGHT_PROP) || !weights.isEmpty()) && weight.matches("\\d{1,9}"))
        {
            to.put(CLIENT_WEIGHTS_KEY, perNode(id -> weights.containsKey(id) ? Integer.toString(weights.get(id)) :
                weight));
        }
    }

    private String perNode(final IntFunction<String> value)
    {
        final StringJoiner joined = new StringJoiner(",");
        members().forEach(id -> joined.add(id + "=" + value.apply(id)));
        return joined.toString();
    }
}
