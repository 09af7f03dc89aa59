package io.rfs.tools;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.store.FileStat;
import io.rfs.store.VerifyReport;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.CompactionReport;
import io.rfs.store.scrub.ScrubReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * The {@code --json} output. The field names are a contract scripts rely on, so they are spelled out here rather
 * than derived from the store's records: sizes in bytes, times as ISO-8601 UTC instants and in epoch milliseconds.
 */
final class Json
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectWriter WRITER = JsonMapper.builder()
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .build()
        .writerWithDefaultPrettyPrinter();

    private Json()
    {
    }

    /**
     * @param stat a file's metadata.
     * @return {@code name, size, sha256, chunks, version, modified, modifiedMs}.
     */
    static ObjectNode stat(final FileStat stat)
    {
        final long modifiedMs = stat.version().physicalMs();
        return NODES.objectNode()
            .put("name", stat.name())
            .put("size", stat.size())
            .put("sha256", stat.sha256())
            .put("chunks", stat.chunkCount())
            .put("version", stat.version().toString())
            .put("modified", Instant.ofEpochMilli(modifiedMs).toString())
            .put("modifiedMs", modifiedMs);
    }

    /**
     * @param stats files' metadata.
     * @return an array of {@link #stat(FileStat)} objects.
     */
    static ArrayNode stats(final List<FileStat> stats)
    {
        final ArrayNode array = NODES.arrayNode(stats.size());
        for (final FileStat stat : stats)
        {
            array.add(stat(stat));
        }
        return array;
    }

    /**
     * @param stat      what was transferred.
     * @param elapsedNs how long it took.
     * @return {@link #stat(FileStat)} plus {@code elapsedMs} and {@code bytesPerSecond}.
     */
    static ObjectNode transfer(final FileStat stat, final long elapsedNs)
    {
        return stat(stat)
            .put("elapsedMs", elapsedNs / 1_000_000)
            .put("bytesPerSecond", Format.bytesPerSecond(stat.size(), elapsedNs));
    }

    /**
     * @param report a verify report.
     * @return {@code ok, files, chunks, bytes, corrupt, missing, problems[{file, kind, chunkId, detail}]}.
     */
    static ObjectNode verify(final VerifyReport report)
    {
        final ObjectNode node = NODES.objectNode()
            .put("ok", report.isClean())
            .put("files", report.files())
            .put("chunks", report.chunks())
            .put("bytes", report.bytes())
            .put("corrupt", report.corrupt())
            .put("missing", report.missing());
        final ArrayNode problems = node.putArray("problems");
        for (final VerifyReport.Problem problem : report.problems())
        {
            problems.addObject()
                .put("file", problem.file())
                .put("kind", problem.kind().name())
                .put("chunkId", problem.chunkId())
                .put("detail", problem.detail());
        }
        return node;
    }

    /**
     * @param report    a scrub pass.
     * @param elapsedNs how long it took.
     * @return {@code ok, chunks, bytes, elapsedMs, corrupt[chunkId]}.
     */
    static ObjectNode scrub(final ScrubReport report, final long elapsedNs)
    {
        final ObjectNode node = NODES.objectNode()
            .put("ok", report.corrupt().isEmpty())
            .put("chunks", report.chunksChecked())
            .put("bytes", report.bytesChecked())
            .put("elapsedMs", elapsedNs / 1_000_000);
        final ArrayNode corrupt = node.putArray("corrupt");
        for (final ChunkId id : report.corrupt())
        {
            corrupt.add(id.toHex());
        }
        return node;
    }

    /**
     * @param report a compaction report.
     * @return {@code segmentsRewritten, chunksMoved, chunksDropped, bytesBefore, bytesAfter, bytesReclaimed}.
     */
    static ObjectNode compaction(final CompactionReport report)
    {
        return NODES.objectNode()
            .put("segmentsRewritten", report.segmentsRewritten())
            .put("chunksMoved", report.chunksMoved())
            .put("chunksDropped", report.chunksDropped())
            .put("bytesBefore", report.bytesBefore())
            .put("bytesAfter", report.bytesAfter())
            .put("bytesReclaimed", Math.max(0, report.bytesBefore() - report.bytesAfter()));
    }

    /**
     * @param directory         the cluster directory.
     * @param replicationFactor N.
     * @param nodes             each node's state.
     * @return {@code directory, replicationFactor, nodesUp, leaderId, term, ringVersion, ringFingerprint, nodes[{id,
     * address, state (up|down), pid (null when down), detectorState, dataDirectory, diskBytes, http, health, role,
     * term, ringVersion, ringFingerprint, reasons, ...}]}; docs/CLUSTER.md, "Status".
     */
    static ObjectNode clusterStatus(
        final String directory,
        final int replicationFactor,
        final ClusterStatusCommand.Leadership leadership,
        final List<ClusterStatusCommand.NodeStatus> nodes)
    {
        final ObjectNode node = NODES.objectNode()
            .put("directory", directory)
            .put("replicationFactor", replicationFactor)
            .put("nodesUp", nodes.stream().filter(ClusterStatusCommand.NodeStatus::up).count());
        putOrNull(node, "leaderId", leadership.leaderId());
        putOrNull(node, "term", leadership.term());
        putOrNull(node, "ringVersion", leadership.ringVersion());
        node.put("ringFingerprint", leadership.ringFingerprint());
        final ArrayNode array = node.putArray("nodes");
        for (final ClusterStatusCommand.NodeStatus status : nodes)
        {
            final ObjectNode entry = array.addObject()
                .put("id", status.id())
                .put("address", status.address())
                .put("state", status.up() ? "up" : "down");
            putOrNull(entry, "pid", status.up() ? status.pid() : -1);
            entry.put("detectorState", leadership.detectorState(status.id()));
            entry.put("dataDirectory", status.dataDirectory())
                .put("diskBytes", status.diskBytes())
                .put("http", status.http());
            final HealthProbe.Answer health = status.health();
            if (health == null)
            {
                entry.putNull("health").putNull("role");
                entry.putNull("term").putNull("ringVersion").putNull("ringFingerprint");
                entry.putArray("reasons");
                entry.putNull("scrubCoverage").putNull("scrubOldestUnverifiedSeconds").putNull("repairBandwidth");
            }
            else
            {
                entry.put("health", health.reachable() ? health.body().path("status").asText() : "unreachable");
                entry.put("role", health.body().path("role").asText(null));
                putOrNull(entry, "term", status.term());
                putOrNull(entry, "ringVersion", status.ringVersion());
                entry.put("ringFingerprint", status.ringFingerprint());
                final ArrayNode reasons = entry.putArray("reasons");
                if (health.reachable())
                {
                    health.body().path("reasons").forEach(reason -> reasons.add(reason.asText()));
                }
                else
                {
                    reasons.add(health.error());
                }
                final JsonNode coverage = health.body().path("scrubCoverage");
                if (coverage.isNumber())
                {
                    entry.put("scrubCoverage", coverage.asDouble());
                }
                else
                {
                    entry.putNull("scrubCoverage");
                }
                putOrNull(entry, "scrubOldestUnverifiedSeconds",
                    health.body().path("scrubOldestUnverifiedSeconds").asLong(-1));
                putOrNull(entry, "repairBandwidth", health.body().path("repairBandwidth").asLong(-1));
            }
        }
        return node;
    }

    /**
     * @param gateway the cluster's gateway, or null if none was ever started.
     * @return {@code {"url","state","pid","health","reasons","accessKeyId","secretAccessKey","credentials"}}, or a
     * JSON null.
     */
    static JsonNode gatewayStatus(final ClusterStatusCommand.GatewayStatus gateway)
    {
        if (gateway == null)
        {
            return NODES.nullNode();
        }
        final ObjectNode node = NODES.objectNode()
            .put("url", gateway.url())
            .put("state", gateway.up() ? "up" : "down");
        putOrNull(node, "pid", gateway.up() ? gateway.pid() : -1);
        final HealthProbe.Answer health = gateway.health();
        node.put("health", health == null ? null : health.reachable() ? health.body().path("status").asText() :
            "unreachable");
        final ArrayNode reasons = node.putArray("reasons");
        if (health != null && health.reachable())
        {
            health.body().path("reasons").forEach(reason -> reasons.add(reason.asText()));
        }
        else if (health != null)
        {
            reasons.add(health.error());
        }
        return node.put("accessKeyId", gateway.accessKeyId())
            .put("secretAccessKey", gateway.secretAccessKey())
            .put("credentials", gateway.credentials());
    }

    /**
     * @param plan a ring change's plan.
     * @return {@code ringVersionBefore, ringVersionAfter, copiedBytes, movedFraction, bandwidth, estimatedSeconds,
     * nodes[{id, heldBytes, heldFromDiskUsage, inBytes, outBytes, down, inRingBefore, inRingAfter}]}.
     */
    static ObjectNode rebalancePlan(final RebalancePlan plan)
    {
        final ObjectNode node = NODES.objectNode()
            .put("ringVersionBefore", plan.before().version())
            .put("ringVersionAfter", plan.after().version())
            .put("copiedBytes", plan.copiedBytes())
            .put("movedFraction", plan.movedFraction())
            .put("bandwidth", plan.bandwidth())
            .put("estimatedSeconds", plan.estimatedNs() / 1e9);
        final ArrayNode array = node.putArray("nodes");
        for (final RebalancePlan.Flow flow : plan.flows())
        {
            array.addObject()
                .put("id", flow.id())
                .put("heldBytes", flow.heldBytes())
                .put("heldFromDiskUsage", flow.heldFromDiskUsage())
                .put("inBytes", flow.inBytes())
                .put("outBytes", flow.outBytes())
                .put("down", flow.down())
                .put("inRingBefore", plan.before().contains(flow.id()))
                .put("inRingAfter", plan.after().contains(flow.id()));
        }
        return node;
    }

    /** Puts {@code value}, or null when it is negative (none). */
    private static void putOrNull(final ObjectNode node, final String name, final long value)
    {
        if (value < 0)
        {
            node.putNull(name);
        }
        else
        {
            node.put(name, value);
        }
    }

    /**
     * Prints a value, indented, followed by a line break.
     *
     * @param out  where to print; left open.
     * @param node what to print.
     * @throws IOException if writing fails.
     */
    static void print(final PrintWriter out, final JsonNode node) throws IOException
    {
        WRITER.writeValue(out, node);
        out.println();
        out.flush();
    }
}
