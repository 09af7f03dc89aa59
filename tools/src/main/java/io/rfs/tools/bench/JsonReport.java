package io.rfs.tools.bench;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

/**
 * The benchmark's results as JSON ({@code rfs bench --json}); the field names are a contract for scripts. Rates are
 * per second, sizes in bytes, latencies in microseconds, times in milliseconds.
 */
public final class JsonReport
{
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonReport()
    {
    }

    /**
     * @param report the run.
     * @return {@code startedAt, elapsedMs, host{}, store, nodes, replicationFactor, settings{}, limits[{key, label,
     * value, unit}], results[...], repairs[...], timelines[{name, binMs, counts[], events[{atMs, what}]}], notes[]}; each result
     * has {@code workload, level, operation, direction, phase, clients, operations, errors, firstError, bytes,
     * elapsedMs, operationsPerSecond, bytesPerSecond, latencyUs{p50, p90, p99, p999, max, mean},
     * percentiles[{percentile, latencyUs}], bound{value, unit, reason, target} or null, ratio or null, targetMet
     * or null}; each repair (after the failover workload) has {@code workload, level, healthy, elapsedMs, chunks,
     * bytes, copyingMs, bytesPerSecond (while copying), bound{value, unit, reason, target} or null, ratio or null}.
     */
    public static ObjectNode toJson(final BenchReport report)
    {
        final ObjectNode root = NODES.objectNode()
            .put("startedAt", report.startedAt().toString())
            .put("elapsedMs", report.elapsedNs() / 1_000_000);
        final ObjectNode host = root.putObject("host");
        report.host().forEach(host::put);
        root.put("store", report.store())
            .put("nodes", report.nodes())
            .put("replicationFactor", report.replicas());
        final ObjectNode settings = root.putObject("settings");
        report.settings().forEach(settings::put);
        final ArrayNode limits = root.putArray("limits");
        for (final Limit limit : report.limits())
        {
            limits.addObject()
                .put("key", limit.key())
                .put("label", limit.label())
                .put("value", limit.value())
                .put("unit", limit.unit());
        }
        final ArrayNode results = root.putArray("results");
        report.results().results().forEach(result -> results.add(result(result)));
        final ArrayNode repairs = root.putArray("repairs");
        report.results().repairs().forEach(repair -> repairs.add(repair(repair)));
        final ArrayNode timelines = root.putArray("timelines");
        for (final BenchResults.TimelineResult timeline : report.results().timelines())
        {
            final ObjectNode node = timelines.addObject()
                .put("name", timeline.name())
                .put("binMs", timeline.binNs() / 1e6);
            final ArrayNode counts = node.putArray("counts");
            for (final long count : timeline.counts())
            {
                counts.add(count);
            }
            final ArrayNode events = node.putArray("events");
            for (final Timeline.Event event : timeline.events())
            {
                events.addObject().put("atMs", event.atNs() / 1e6).put("what", event.what());
            }
        }
        final ArrayNode notes = root.putArray("notes");
        report.results().notes().forEach(notes::add);
        return root;
    }

    private static ObjectNode result(final OperationResult result)
    {
        final Measurement m = result.measurement();
        final Histogram h = m.latencyNs();
        final ObjectNode node = NODES.objectNode()
            .put("workload", result.workload())
            .put("level", result.level())
            .put("operation", result.operation())
            .put("direction", result.direction().name())
            .put("phase", result.phase())
            .put("clients", result.clients())
            .put("operations", m.operations())
            .put("errors", m.errors())
            .put("firstError", m.firstError())
            .put("bytes", m.bytes())
            .put("elapsedMs", m.elapsedNs() / 1e6)
            .put("operationsPerSecond", m.operationsPerSecond())
            .put("bytesPerSecond", m.bytesPerSecond());
        final ObjectNode latency = node.putObject("latencyUs");
        final boolean any = h.getTotalCount() > 0;
        latency.put("p50", any ? h.getValueAtPercentile(50) / 1e3 : 0)
            .put("p90", any ? h.getValueAtPercentile(90) / 1e3 : 0)
            .put("p99", any ? h.getValueAtPercentile(99) / 1e3 : 0)
            .put("p999", any ? h.getValueAtPercentile(99.9) / 1e3 : 0)
            .put("max", any ? h.getMaxValue() / 1e3 : 0)
            .put("mean", any ? h.getMean() / 1e3 : 0);
        final ArrayNode percentiles = node.putArray("percentiles");
        if (any)
        {
            for (final double percentile : BenchReport.PERCENTILES)
            {
                percentiles.addObject()
                    .put("percentile", percentile)
                    .put("latencyUs", (percentile == 0 ? h.getMinValue() : h.getValueAtPercentile(percentile)) / 1e3);
            }
        }
        putBound(node, result.bound(), result.ratio());
        final Boolean met = result.targetMet();
        if (met == null)
        {
            node.putNull("targetMet");
        }
        else
        {
            node.put("targetMet", met.booleanValue());
        }
        return node;
    }

    private static ObjectNode repair(final RepairResult repair)
    {
        final ClusterRepairer.Figures figures = repair.repair();
        final ObjectNode node = NODES.objectNode()
            .put("workload", repair.workload())
            .put("level", repair.level())
            .put("healthy", figures.healthy())
            .put("elapsedMs", figures.elapsedNs() / 1e6)
            .put("chunks", figures.chunks())
            .put("bytes", figures.bytes())
            .put("copyingMs", figures.copyingNs() / 1e6)
            .put("bytesPerSecond", repair.bytesPerSecond());
        putBound(node, repair.bound(), repair.ratio());
        return node;
    }

    private static void putBound(final ObjectNode node, final Bound bound, final double ratio)
    {
        if (bound == null)
        {
            node.putNull("bound");
        }
        else
        {
            final ObjectNode boundNode = node.putObject("bound")
                .put("value", bound.value())
                .put("unit", bound.unit())
                .put("reason", bound.reason());
            if (bound.hasTarget())
            {
                boundNode.put("target", bound.target());
            }
            else
            {
                boundNode.putNull("target");
            }
        }
        if (Double.isNaN(ratio))
        {
            node.putNull("ratio");
        }
        else
        {
            node.put("ratio", ratio);
        }
    }

    /**
     * @param report the run.
     * @return its JSON, indented.
     */
    public static String toText(final BenchReport report)
    {
        try
        {
            return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(report));
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new IllegalStateException("a tree of plain nodes always serializes", ex);
        }
    }
}
