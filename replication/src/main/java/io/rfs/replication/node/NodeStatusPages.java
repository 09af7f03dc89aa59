package io.rfs.replication.node;

import io.rfs.replication.cluster.ClusterStatus;
import io.rfs.replication.cluster.MemberState;
import io.rfs.replication.cluster.MemberView;
import io.rfs.replication.cluster.Role;
import io.rfs.replication.http.HealthReport;
import io.rfs.replication.http.PrometheusText;
import io.rfs.replication.ring.Ring;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What a node's {@code /health} and {@code /metrics} pages say, computed from state the node publishes for other
 * threads: its {@link NodeCounters}, its cluster agent's {@link ClusterStatus} and whether it is shutting down.
 * <p>
 * The node is healthy (HTTP 200) when it takes requests and its failure detector holds a majority of the members
 * (itself included) up; otherwise 503 with the reasons: "shutting down", or "cannot reach a majority": a node cut off
 * from most of the cluster cannot gather a quorum for most keys and cannot elect or follow a leader, so a load
 * balancer should send clients to another. docs/NODE.md lists the metrics.
 */
final class NodeStatusPages
{
    /** Counters that are levels, not running totals. */
    private static final Set<NodeCounter> GAUGES = EnumSet.of(NodeCounter.HINTS_PENDING);

    private final Node node;

    NodeStatusPages(final Node node)
    {
        this.node = node;
    }

    /**
     * @return the {@code /health} report.
     */
    HealthReport health()
    {
        final ClusterStatus status = node.clusterAgent().status();
        final List<String> reasons = new ArrayList<>();
        if (node.networkAgent().isShuttingDown())
        {
            reasons.add("shutting down");
        }
        if (!status.majorityReachable())
        {
            reasons.add("cannot reach a majority: " + status.membersUp() + " of " + status.members().size() +
                " members up, " + status.majority() + " needed");
        }
        final Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("nodeId", status.nodeId());
        facts.put("role", status.role().name());
        facts.put("term", status.term());
        facts.put("leaderId", status.leaderId());
        facts.put("ringVersion", status.ringVersion());
        final Ring ring = node.ringInForce().get();
        facts.put("ringInForceVersion", ring == null ? 0 : ring.version());
        facts.put("ringInForceFingerprint", ring == null ? "" : String.format("%016x", ring.fingerprint()));
        facts.put("membersUp", status.membersUp());
        facts.put("members", status.members().size());
        final Map<String, Object> memberStates = new LinkedHashMap<>();
        for (final MemberView member : status.members())
        {
            memberStates.put(Integer.toString(member.nodeId()), member.state().name());
        }
        facts.put("memberStates", memberStates);
        final ScrubStatus scrub = node.scrubber().status();
        facts.put("scrubCoverage", scrub.coverage());
        final long oldestMs = scrub.oldestUnverifiedAgeMs(node.context().epochClock().time());
        facts.put("scrubOldestUnverifiedSeconds", oldestMs < 0 ? -1 : oldestMs / 1000);
        facts.put("repairBandwidth", node.repairBandwidth().get());
        facts.put("chunksHeld", node.store().chunks().size());
        facts.put("chunkBytesHeld", node.store().chunks().heldBytes());
        facts.put("manifestsHeld", node.store().manifests().size());
        return new HealthReport(reasons.isEmpty(), reasons, facts);
    }

    /**
     * Writes every metric: each {@link NodeCounter} as {@code rfs_node_<name>_total} (gauges without
     * {@code _total}), the election state and each peer's failure-detector phi.
     *
     * @param text where to write.
     */
    void metrics(final PrometheusText text)
    {
        final NodeCounters counters = node.counters();
        for (final NodeCounter counter : NodeCounter.values())
        {
            final boolean gauge = GAUGES.contains(counter);
            final String name = "rfs_node_" + PrometheusText.metricName(counter.name()) + (gauge ? "" : "_total");
            text.family(name, gauge ? "gauge" : "counter", "NodeCounter." + counter.name() + ", see docs/NODE.md.")
                .sample(name, counters.get(counter));
        }

        final ClusterStatus status = node.clusterAgent().status();
        text.family("rfs_cluster_term", "gauge", "The node's current election term.")
            .sample("rfs_cluster_term", status.term());
        text.family("rfs_cluster_leader_id", "gauge", "The leader of the current term as this node knows it, -1 none.")
            .sample("rfs_cluster_leader_id", status.leaderId());
        text.family("rfs_cluster_role", "gauge", "1 for the node's role in its current term, 0 for the others.");
        for (final Role role : Role.values())
        {
            text.sample("rfs_cluster_role", "role", role.name().toLowerCase(Locale.ROOT),
                role == status.role() ? 1 : 0);
        }
        text.family("rfs_ring_version", "gauge", "Version of the last committed ring the node applied, 0 none.")
            .sample("rfs_ring_version", status.ringVersion());
        text.family("rfs_cluster_members_up", "gauge", "Voting members the failure detector holds up, this one too.")
            .sample("rfs_cluster_members_up", status.membersUp());
        final ScrubStatus scrub = node.scrubber().status();
        text.family("rfs_scrub_coverage", "gauge", "Fraction of the scrub pass's chunks re-hashed, 0 to 1.")
            .sample("rfs_scrub_coverage", scrub.coverage());
        final long oldestMs = scrub.oldestUnverifiedAgeMs(node.context().epochClock().time());
        text.family("rfs_scrub_oldest_unverified_seconds", "gauge",
            "Age of the oldest chunk not re-hashed since, at most; -1 with the scrub off or not yet started.")
            .sample("rfs_scrub_oldest_unverified_seconds", oldestMs < 0 ? -1 : oldestMs / 1000.0);
        text.family("rfs_scrub_rate_bytes_per_second", "gauge", "The scrub's rate now, after any back-off.")
            .sample("rfs_scrub_rate_bytes_per_second", scrub.rateBytesPerSecond());
        peerGauge(text, status, "rfs_peer_phi", "Phi-accrual suspicion of each peer (docs/NODE.md).",
            MemberView::phi);
        peerGauge(text, status, "rfs_peer_up", "1 if the failure detector holds the peer up, 0 if suspect, down or " +
            "unknown.", member -> member.state() == MemberState.UP ? 1 : 0);
        peerGauge(text, status, "rfs_peer_down", "1 if the failure detector holds the peer down (phi at or above " +
            "phi.threshold), else 0.", member -> member.state() == MemberState.DOWN ? 1 : 0);
    }

    private static void peerGauge(
        final PrometheusText text,
        final ClusterStatus status,
        final String name,
        final String help,
        final ToDoubleFunction<MemberView> value)
    {
        text.family(name, "gauge", help);
        for (final MemberView member : status.members())
        {
            if (member.nodeId() != status.nodeId())
            {
                text.sample(name, "peer", Integer.toString(member.nodeId()), value.applyAsDouble(member));
            }
        }
    }
}
