package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rfs cluster status}: each node of the local cluster, up or down, with its address, process id, data
 * directory and the bytes its data takes on disk, and what each running node's {@code /health} says: its role,
 * term, ring version and health; how the leader's failure detector sees it; then the leader and term the cluster
 * agrees on (the leader named at the highest term any node reports) and the leader's ring version, the cluster's.
 * Nodes {@code remove-node} retired are listed apart, with where their data is kept: they are neither up nor down.
 * Exit status 0 if every node is up, 1 if any is down, 2 if no cluster was started here.
 */
@Command(
    name = "status",
    description = {
        "Show each node of the local cluster: id, address, up or down, pid, how the leader's failure detector sees",
        "it, role, term, ring version, health, data held, data directory; then the S3 gateway: URL, up or down, pid,",
        "health, access key id; then the leader, its term and ring version. --json also shows the gateway's secret",
        "access key.",
        "Exit codes: 0 every node up, 1 a node is down, 2 no cluster here."})
final class ClusterStatusCommand extends ClusterSubcommand
{
    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    /**
     * One node's state.
     *
     * @param id            its id.
     * @param address       its {@code host:port}.
     * @param up            whether its process runs.
     * @param pid           its process id, or -1 when down.
     * @param dataDirectory its data directory.
     * @param diskBytes     bytes its data directory takes on disk.
     * @param http          its {@code http.address}, or null if it serves none.
     * @param health        what its {@code /health} answered, or null if it is down or serves no HTTP.
     */
    record NodeStatus(
        int id, String address, boolean up, long pid, String dataDirectory, long diskBytes, String http,
        HealthProbe.Answer health)
    {
        /**
         * @return the term it reported, -1 if it reported none.
         */
        long term()
        {
            return reported().path("term").asLong(-1);
        }

        /**
         * @return the version of the ring it places keys by (the committed one, else the configured one), -1 if it
         * reported none.
         */
        long ringVersion()
        {
            return reported().path("ringInForceVersion").asLong(-1);
        }

        /**
         * @return that ring's fingerprint (16 hex digits), null if it reported none.
         */
        String ringFingerprint()
        {
            final JsonNode fingerprint = reported().path("ringInForceFingerprint");
            return fingerprint.isTextual() && !fingerprint.asText().isEmpty() ? fingerprint.asText() : null;
        }

        private JsonNode reported()
        {
            return health == null || !health.reachable() ? MissingNode.getInstance() : health.body();
        }
    }

    /**
     * The leader as the cluster sees it: the one named by a node at the highest term any node reports; the ring and
     * the failure detector's verdicts are the ones that leader reported.
     *
     * @param leaderId the leader's id, or -1 if no node knows one.
     * @param term     that term, or -1 if no node reported one.
     * @param leader   the leader's status, or null if no leader is known or it did not answer.
     */
    record Leadership(int leaderId, long term, NodeStatus leader)
    {
        static Leadership of(final List<NodeStatus> nodes)
        {
            int leaderId = -1;
            long term = -1;
            for (final NodeStatus node : nodes)
            {
                final long nodeTerm = node.term();
                final int named = nodeTerm < 0 ? -1 : node.health().body().path("leaderId").asInt(-1);
                if (nodeTerm > term || (nodeTerm == term && leaderId < 0))
                {
                    term = nodeTerm;
                    leaderId = named;
                }
            }
            NodeStatus leader = null;
            for (final NodeStatus node : nodes)
            {
                if (node.id() == leaderId && node.term() >= 0)
                {
                    leader = node;
                }
            }
            return new Leadership(leaderId, term, leader);
        }

        /**
         * @return the version of the leader's ring, the cluster's, -1 if the leader did not report one.
         */
        long ringVersion()
        {
            return leader == null ? -1 : leader.ringVersion();
        }

        /**
         * @return the fingerprint of the leader's ring, null if the leader did not report one.
         */
        String ringFingerprint()
        {
            return leader == null ? null : leader.ringFingerprint();
        }

        /**
         * @param nodeId a node.
         * @return the leader's failure detector's verdict on it, {@code up}, {@code suspect}, {@code down} or
         * {@code unknown} (not heard yet), or null if the leader did not report one.
         */
        String detectorState(final int nodeId)
        {
            final JsonNode state = leader == null ? MissingNode.getInstance() :
                leader.health().body().path("memberStates").path(Integer.toString(nodeId));
            return state.isTextual() ? state.asText().toLowerCase(Locale.ROOT) : null;
        }
    }

    /**
     * The cluster's S3 gateway.
     *
     * @param url             its {@code http://host:port}.
     * @param up              whether its process runs.
     * @param pid             its process id, or -1 when down.
     * @param health          what its {@code /health} answered, or null when down.
     * @param accessKeyId     its first access key id.
     * @param secretAccessKey that key's secret.
     * @param credentials     its credentials file.
     */
    record GatewayStatus(String url, boolean up, long pid, HealthProbe.Answer health, String accessKeyId,
        String secretAccessKey, String credentials)
    {
        static GatewayStatus of(final LocalGateway gateway, final HealthProbe probe) throws IOException
        {
            if (!gateway.exists() || !Files.exists(gateway.credentials()))
            {
                return null;
            }
            final Optional<ProcessHandle> process = gateway.running();
            final Map.Entry<String, String> key = gateway.keys().entrySet().iterator().next();
            return new GatewayStatus(gateway.url(), process.isPresent(), process.map(ProcessHandle::pid).orElse(-1L),
                process.isPresent() ? probe.probe(gateway.address()) : null, key.getKey(), key.getValue(),
                gateway.credentials().toString());
        }
    }

    @Override
    int run(final ClusterDirectory directory) throws IOException
    {
        final ClusterSpec spec = existing(directory);
        final List<NodeStatus> statuses = new ArrayList<>();
        final HealthProbe probe = new HealthProbe();
        int up = 0;
        for (final LocalNode node : nodes(spec, directory))
        {
            final Optional<ProcessHandle> process = node.running();
            up += process.isPresent() ? 1 : 0;
            final String http = spec.httpAddresses().get(node.id());
            final HealthProbe.Answer health = process.isPresent() && http != null ? probe.probe(http) : null;
            statuses.add(new NodeStatus(node.id(), spec.addresses().get(node.id()), process.isPresent(),
                process.map(ProcessHandle::pid).orElse(-1L), node.dataDirectory().toString(), node.diskBytes(),
                http, health));
        }
        final Leadership leadership = Leadership.of(statuses);
        final GatewayStatus gateway = GatewayStatus.of(new LocalGateway(directory), probe);
        final PrintWriter out = out();
        if (json)
        {
            final ObjectNode status = Json.clusterStatus(
                directory.root().toString(), spec.replicationFactor(), leadership, statuses);
            status.set("gateway", Json.gatewayStatus(gateway));
            final var removed = status.putArray("removed");
            for (final int id : spec.removed())
            {
                removed.addObject().put("id", id).put("dataDirectory", directory.nodeData(id).toString())
                    .put("dataKept", Files.isDirectory(directory.nodeData(id)));
            }
            Json.print(out, status);
        }
        else
        {
            for (final NodeStatus status : statuses)
            {
                final String detected = leadership.detectorState(status.id());
                out.printf("node %d  %s  %-4s  pid %s  %s%s  %s  %s%n", status.id(), status.address(),
                    status.up() ? "up" : "down", status.up() ? Long.toString(status.pid()) : "-",
                    detected == null ? "" : "leader sees " + detected + "  ", describe(status, leadership),
                    Format.bytes(status.diskBytes()), status.dataDirectory());
            }
            if (gateway != null)
            {
                out.printf("gateway  %s  %-4s  pid %s  %s  accessKeyId %s  credentials %s%n", gateway.url(),
                    gateway.up() ? "up" : "down", gateway.up() ? Long.toString(gateway.pid()) : "-",
                    describeHealth(gateway.health()), gateway.accessKeyId(), gateway.credentials());
            }
            for (final int id : spec.removed())
            {
                out.printf("node %d  removed  %s%n", id, Files.isDirectory(directory.nodeData(id)) ?
                    "data kept in " + directory.nodeData(id) : "data purged");
            }
            out.printf("%d of %d nodes up, N=%d, %s%s, in %s%n", up, statuses.size(), spec.replicationFactor(),
                leadership.leaderId() >= 0 ?
                    "leader node " + leadership.leaderId() + " (term " + leadership.term() + ")" : "no leader",
                leadership.ringVersion() >= 0 ? ", ring version " + leadership.ringVersion() : "",
                directory.root());
            out.flush();
        }
        return up == statuses.size() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }

    /**
     * @return health (and scrub, from a node) as a {@code /health} said, e.g. {@code ok},
     * {@code unavailable (no quorum)} or {@code ok scrub 40%, oldest unverified 3600 s ago, repair bandwidth 64 MiB/s}.
     */
    private static String describeHealth(final HealthProbe.Answer health)
    {
        if (health == null)
        {
            return "-";
        }
        if (!health.reachable())
        {
            return "health unreachable (" + health.error() + ")";
        }
        final StringBuilder text = new StringBuilder(health.body().path("status").asText("?"));
        health.body().path("reasons").forEach(reason -> text.append(" (").append(reason.asText()).append(')'));
        final JsonNode coverage = health.body().path("scrubCoverage");
        final long oldest = health.body().path("scrubOldestUnverifiedSeconds").asLong(-1);
        if (coverage.isNumber())
        {
            text.append(String.format(Locale.ROOT, " scrub %.0f%%", coverage.asDouble() * 100))
                .append(oldest >= 0 ? ", oldest unverified " + oldest + " s ago" : "");
        }
        final long bandwidth = health.body().path("repairBandwidth").asLong(-1);
        if (bandwidth > 0)
        {
            text.append(", repair bandwidth ").append(Format.bytes(bandwidth)).append("/s");
        }
        return text.toString();
    }

    /**
     * @return role, term, ring and health as {@code /health} said, e.g. {@code leader term 3 ring 2 ok}; a ring other
     * than the leader's is marked, e.g. {@code ring 1 (leader's 2)}.
     */
    static String describe(final NodeStatus status, final Leadership leadership)
    {
        final HealthProbe.Answer health = status.health();
        if (health == null || !health.reachable())
        {
            return describeHealth(health);
        }
        final StringBuilder text = new StringBuilder(health.body().path("role").asText("?").toLowerCase(Locale.ROOT))
            .append(" term ").append(status.term());
        if (status.ringVersion() >= 0)
        {
            text.append(" ring ").append(status.ringVersion());
            final String clusterFingerprint = leadership.ringFingerprint();
            if (clusterFingerprint != null && !clusterFingerprint.equals(status.ringFingerprint()))
            {
                text.append(status.ringVersion() == leadership.ringVersion() ? " (not the leader's)" :
                    " (leader's " + leadership.ringVersion() + ")");
            }
        }
        return text.append(' ').append(describeHealth(health)).toString();
    }
}
