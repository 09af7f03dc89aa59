package io.rfs.replication.node;

import io.rfs.replication.repair.RepairContext;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.PartitionMode;
import io.rfs.store.ByteSize;
import io.rfs.store.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;

import static io.rfs.replication.node.NodeContext.*;

/**
 * Reads a node's settings from a properties file ({@code key=value} lines, {@code #} comments), as
 * {@code rfs serve --config FILE} does. Every key is one of {@link #keys()}, each documented in
 * {@code docs/CONFIGURATION.md}; an unknown key is refused, so a misspelt setting never silently takes its default.
 * <pre>{@code
 * final NodeContext context = NodeProperties.load(Path.of("node-1.properties"), Map.of("node.weight", "200"));
 * }</pre>
 * Sizes take a {@code K}, {@code M} or {@code G} suffix ({@code 64M}); durations need a unit ({@code 500ms},
 * {@code 10s}, {@code 2m}).
 */
public final class NodeProperties
{
    private static final Map<String, BiConsumer<NodeContext, String>> SETTERS = new LinkedHashMap<>();

    static
    {
        SETTERS.put(NODE_ID_PROP, (c, v) -> c.nodeId(parseInt(NODE_ID_PROP, v)));
        SETTERS.put(NODE_ADDRESS_PROP, NodeContext::address);
        SETTERS.put(HTTP_ADDRESS_PROP, NodeContext::httpAddress);
        SETTERS.put(NODE_ZONE_PROP, NodeContext::zone);
        SETTERS.put(NODE_WEIGHT_PROP, (c, v) -> c.weight(parseInt(NODE_WEIGHT_PROP, v)));
        SETTERS.put(DATA_DIRECTORY_PROP, (c, v) -> c.dataDirectory(Path.of(v)));
        SETTERS.put(SEEDS_PROP, NodeProperties::parseSeeds);
        SETTERS.put(VOTERS_PROP, NodeProperties::parseVoters);
        SETTERS.put(ZONES_PROP, (c, v) -> idMap(ZONES_PROP, v).forEach(c::seedZone));
        SETTERS.put(WEIGHTS_PROP,
            (c, v) -> idMap(WEIGHTS_PROP, v).forEach((id, w) -> c.seedWeight(id, parseInt(WEIGHTS_PROP, w))));
        SETTERS.put(CLUSTER_SECRET_PROP, (c, v) -> c.clusterSecret(v.getBytes(StandardCharsets.UTF_8)));
        SETTERS.put(CLIENT_SECRET_PROP, (c, v) -> c.clientSecret(v.getBytes(StandardCharsets.UTF_8)));
        SETTERS.put(REPLICATION_FACTOR_PROP, (c, v) -> c.replicationFactor(parseInt(REPLICATION_FACTOR_PROP, v)));
        SETTERS.put(WRITE_CONSISTENCY_PROP,
            (c, v) -> c.writeConsistency(parseEnum(WRITE_CONSISTENCY_PROP, v, ConsistencyLevel.class)));
        SETTERS.put(READ_CONSISTENCY_PROP,
            (c, v) -> c.readConsistency(parseEnum(READ_CONSISTENCY_PROP, v, ConsistencyLevel.class)));
        SETTERS.put(TRANSPORT_PROP, (c, v) -> c.transport(parseEnum(TRANSPORT_PROP, v, TransportKind.class)));
        SETTERS.put(SHM_DIRECTORY_PROP, (c, v) -> c.shmDirectory(Path.of(v)));
        SETTERS.put(SHM_INBOX_CAPACITY_PROP, (c, v) -> c.shmInboxCapacity(parseSize(SHM_INBOX_CAPACITY_PROP, v)));
        SETTERS.put(STORAGE_QUEUE_CAPACITY_PROP,
            (c, v) -> c.storageQueueCapacity(parseSize(STORAGE_QUEUE_CAPACITY_PROP, v)));
        SETTERS.put(STORAGE_RESULTS_CAPACITY_PROP,
            (c, v) -> c.storageResultsCapacity(parseSize(STORAGE_RESULTS_CAPACITY_PROP, v)));
        SETTERS.put(STORAGE_CHUNK_READ_DELAY_PROP,
            (c, v) -> c.storageChunkReadDelayNs(parseDurationNs(STORAGE_CHUNK_READ_DELAY_PROP, v)));
        SETTERS.put(STORAGE_BATCH_LIMIT_PROP, (c, v) -> c.storageBatchLimit(parseInt(STORAGE_BATCH_LIMIT_PROP, v)));
        SETTERS.put(CHUNK_SEGMENT_CAPACITY_PROP,
            (c, v) -> c.chunkSegmentCapacity(parseSize(CHUNK_SEGMENT_CAPACITY_PROP, v)));
        SETTERS.put(COMPACTION_GARBAGE_THRESHOLD_PROP,
            (c, v) -> c.compactionGarbageThreshold(parseSize(COMPACTION_GARBAGE_THRESHOLD_PROP, v)));
        SETTERS.put(COMPACTION_MIN_GARBAGE_PERCENT_PROP,
            (c, v) -> c.compactionMinGarbagePercent(parseInt(COMPACTION_MIN_GARBAGE_PERCENT_PROP, v)));
        SETTERS.put(COMPACTION_MAX_SEGMENTS_PROP,
            (c, v) -> c.compactionMaxSegments(parseInt(COMPACTION_MAX_SEGMENTS_PROP, v)));
        SETTERS.put(COMPACTION_STEP_BYTES_PROP,
            (c, v) -> c.compactionStepBytes(parseSize(COMPACTION_STEP_BYTES_PROP, v)));
        SETTERS.put(MANIFEST_COMPACTION_GARBAGE_THRESHOLD_PROP, (c, v) -> c.manifestCompactionGarbageThreshold(
            parseSize(MANIFEST_COMPACTION_GARBAGE_THRESHOLD_PROP, v)));
        SETTERS.put(TOMBSTONE_GRACE_PROP,
            (c, v) -> c.tombstoneGraceNs(parseDurationNs(TOMBSTONE_GRACE_PROP, v)));
        SETTERS.put(MANIFEST_SEGMENT_CAPACITY_PROP,
            (c, v) -> c.manifestSegmentCapacity(parseSize(MANIFEST_SEGMENT_CAPACITY_PROP, v)));
        SETTERS.put(LIST_MAX_ENTRIES_PROP, (c, v) -> c.listMaxEntries(parseInt(LIST_MAX_ENTRIES_PROP, v)));
        SETTERS.put(PARTITION_MODE_PROP,
            (c, v) -> c.partitionMode(parseEnum(PARTITION_MODE_PROP, v, PartitionMode.class)));
        SETTERS.put(HANDOFF_MAX_HINTS_PROP, (c, v) -> c.handoffMaxHints(parseInt(HANDOFF_MAX_HINTS_PROP, v)));
        SETTERS.put(HANDOFF_RETRY_INTERVAL_PROP,
            (c, v) -> c.handoffRetryIntervalNs(parseDurationNs(HANDOFF_RETRY_INTERVAL_PROP, v)));
        SETTERS.put(HANDOFF_MAX_IN_FLIGHT_PROP,
            (c, v) -> c.handoffMaxInFlight(parseInt(HANDOFF_MAX_IN_FLIGHT_PROP, v)));
        SETTERS.put(HANDOFF_REQUEST_TIMEOUT_PROP,
            (c, v) -> c.handoffRequestTimeoutNs(parseDurationNs(HANDOFF_REQUEST_TIMEOUT_PROP, v)));
        SETTERS.put(THREADING_PROP, (c, v) -> c.threading(parseEnum(THREADING_PROP, v, ThreadingMode.class)));
        SETTERS.put(POLL_LIMIT_PROP, (c, v) -> c.pollLimit(parseInt(POLL_LIMIT_PROP, v)));
        SETTERS.put(RESPONSE_TIMEOUT_PROP, (c, v) -> c.responseTimeoutNs(parseDurationNs(RESPONSE_TIMEOUT_PROP, v)));
        SETTERS.put(SHUTDOWN_TIMEOUT_PROP, (c, v) -> c.shutdownTimeoutNs(parseDurationNs(SHUTDOWN_TIMEOUT_PROP, v)));
        SETTERS.put(HEARTBEAT_INTERVAL_PROP,
            (c, v) -> c.heartbeatIntervalNs(parseDurationNs(HEARTBEAT_INTERVAL_PROP, v)));
        SETTERS.put(ELECTION_TIMEOUT_PROP, (c, v) -> c.electionTimeoutNs(parseDurationNs(ELECTION_TIMEOUT_PROP, v)));
        SETTERS.put(FAILURE_PHI_THRESHOLD_PROP,
            (c, v) -> c.failurePhiThreshold(parseDouble(FAILURE_PHI_THRESHOLD_PROP, v)));
        SETTERS.put(FAILURE_PHI_SUSPECT_PROP, (c, v) -> c.failurePhiSuspect(parseDouble(FAILURE_PHI_SUSPECT_PROP, v)));
        SETTERS.put(FAILURE_WINDOW_PROP, (c, v) -> c.failureWindow(parseInt(FAILURE_WINDOW_PROP, v)));
        SETTERS.put(FAILURE_MIN_DEVIATION_PROP,
            (c, v) -> c.failureMinDeviationNs(parseDurationNs(FAILURE_MIN_DEVIATION_PROP, v)));
        SETTERS.put(FAILURE_ACCEPTABLE_PAUSE_PROP,
            (c, v) -> c.failureAcceptablePauseNs(parseDurationNs(FAILURE_ACCEPTABLE_PAUSE_PROP, v)));
        SETTERS.put(RepairContext.ENABLED_PROP,
            (c, v) -> c.repairContext().enabled(parseBoolean(RepairContext.ENABLED_PROP, v)));
        SETTERS.put(RepairContext.INTERVAL_PROP,
            (c, v) -> c.repairContext().intervalNs(parseDurationNs(RepairContext.INTERVAL_PROP, v)));
        SETTERS.put(RepairContext.BANDWIDTH_PROP,
            (c, v) -> c.repairContext().bandwidth(parseSize(RepairContext.BANDWIDTH_PROP, v)));
        SETTERS.put(RepairContext.MAX_IN_FLIGHT_PROP,
            (c, v) -> c.repairContext().maxInFlight(parseInt(RepairContext.MAX_IN_FLIGHT_PROP, v)));
        SETTERS.put(RepairContext.COPY_BATCH_PROP,
            (c, v) -> c.repairContext().copyBatch(parseInt(RepairContext.COPY_BATCH_PROP, v)));
        SETTERS.put(RepairContext.REQUEST_TIMEOUT_PROP,
            (c, v) -> c.repairContext().requestTimeoutNs(parseDurationNs(RepairContext.REQUEST_TIMEOUT_PROP, v)));
        SETTERS.put(RepairContext.NODE_GONE_AFTER_PROP,
            (c, v) -> c.repairContext().nodeGoneAfterNs(parseDurationNs(RepairContext.NODE_GONE_AFTER_PROP, v)));
        SETTERS.put(RepairContext.COPY_TIMEOUT_PROP,
            (c, v) -> c.repairContext().copyTimeoutNs(parseDurationNs(RepairContext.COPY_TIMEOUT_PROP, v)));
        SETTERS.put(RepairContext.RECLAIM_ENABLED_PROP,
            (c, v) -> c.repairContext().reclaimEnabled(parseBoolean(RepairContext.RECLAIM_ENABLED_PROP, v)));
        SETTERS.put(RepairContext.RECLAIM_INTERVAL_PROP,
            (c, v) -> c.repairContext().reclaimIntervalNs(parseDurationNs(RepairContext.RECLAIM_INTERVAL_PROP, v)));
        SETTERS.put(RepairContext.RECLAIM_GRACE_PROP,
            (c, v) -> c.repairContext().reclaimGraceNs(parseDurationNs(RepairContext.RECLAIM_GRACE_PROP, v)));
        SETTERS.put(RepairContext.RECLAIM_MAX_CANDIDATES_PROP, (c, v) -> c.repairContext()
            .reclaimMaxCandidates(parseInt(RepairContext.RECLAIM_MAX_CANDIDATES_PROP, v)));
        SETTERS.put(ScrubContext.PERIOD_PROP,
            (c, v) -> c.scrubContext().periodNs(parseDurationNs(ScrubContext.PERIOD_PROP, v)));
        SETTERS.put(ScrubContext.MAX_BANDWIDTH_PROP,
            (c, v) -> c.scrubContext().maxBandwidth(parseSize(ScrubContext.MAX_BANDWIDTH_PROP, v)));
        SETTERS.put(ScrubContext.LATENCY_TARGET_PROP,
            (c, v) -> c.scrubContext().latencyTargetNs(parseDurationNs(ScrubContext.LATENCY_TARGET_PROP, v)));
    }

    private NodeProperties()
    {
    }

    /**
     * @return every key a node's properties file may hold, in the order {@code docs/CONFIGURATION.md} lists them.
     */
    public static Set<String> keys()
    {
        return Collections.unmodifiableSet(SETTERS.keySet());
    }

    /**
     * Reads a properties file, applies the overrides on top (as {@code --set key=value} gives them) and concludes
     * the result.
     *
     * @param file      the node's properties file (UTF-8).
     * @param overrides settings that replace the file's, possibly empty.
     * @return the concluded context.
     * @throws ConfigurationException if the file is missing or a key or value is wrong, naming it.
     * @throws IOException            if the file cannot be read.
     */
    public static NodeContext load(final Path file, final Map<String, String> overrides) throws IOException
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
        final Map<String, String> settings = new LinkedHashMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            settings.put(key, properties.getProperty(key));
        }
        settings.putAll(overrides);
        return parse(settings).conclude();
    }

    /**
     * Applies settings to a new context, without concluding it (so a caller can add clocks or a disk first).
     *
     * @param settings key to value.
     * @return the context.
     * @throws ConfigurationException naming the first key that is unknown or whose value does not parse.
     */
    public static NodeContext parse(final Map<String, String> settings)
    {
        final NodeContext context = new NodeContext();
        for (final Map.Entry<String, String> setting : settings.entrySet())
        {
            final BiConsumer<NodeContext, String> setter = SETTERS.get(setting.getKey());
            if (setter == null)
            {
                throw new ConfigurationException("setting", setting.getKey(),
                    "unknown (its value is not shown, it may be a secret); the settings are listed in " +
                    "docs/CONFIGURATION.md: " + String.join(", ", keys()));
            }
            setter.accept(context, setting.getValue().trim());
        }
        return context;
    }

    private static void parseSeeds(final NodeContext context, final String value)
    {
        if (value.isEmpty())
        {
            return;
        }
        for (final String member : value.split(","))
        {
            final String trimmed = member.trim();
            final int equals = trimmed.indexOf('=');
            if (equals < 1)
            {
                throw new ConfigurationException(SEEDS_PROP, value, "must be id=host:port,id=host:port,...");
            }
            final int id = parseInt(SEEDS_PROP, trimmed.substring(0, equals).trim());
            context.seed(id, trimmed.substring(equals + 1).trim());
        }
    }

    /**
     * @param name  the setting, for errors.
     * @param value {@code id=value,id=value,...}, possibly empty.
     * @return id to value, in the order given.
     * @throws ConfigurationException if an entry is not {@code id=value} with a whole-number id.
     */
    public static Map<Integer, String> idMap(final String name, final String value)
    {
        final Map<Integer, String> map = new LinkedHashMap<>();
        if (value == null || value.isBlank())
        {
            return map;
        }
        for (final String member : value.split(","))
        {
            final String trimmed = member.trim();
            final int equals = trimmed.indexOf('=');
            if (equals < 1)
            {
                throw new ConfigurationException(name, value, "must be id=value,id=value,...");
            }
            map.put(parseInt(name, trimmed.substring(0, equals).trim()), trimmed.substring(equals + 1).trim());
        }
        return map;
    }

    private static void parseVoters(final NodeContext context, final String value)
    {
        for (final String voter : value.split(","))
        {
            if (!voter.isBlank())
            {
                context.voter(parseInt(VOTERS_PROP, voter.trim()));
            }
        }
    }

    private static boolean parseBoolean(final String name, final String value)
    {
        if ("true".equals(value) || "false".equals(value))
        {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigurationException(name, value, "must be true or false");
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

    private static double parseDouble(final String name, final String value)
    {
        try
        {
            final double parsed = Double.parseDouble(value);
            if (Double.isFinite(parsed))
            {
                return parsed;
            }
        }
        catch (final NumberFormatException ex)
        {
            // refused below
        }
        throw new ConfigurationException(name, value, "must be a number such as 8 or 2.5");
    }

    private static int parseSize(final String name, final String value)
    {
        final long size;
        try
        {
            size = ByteSize.parse(name, value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(name, value, "must be a size such as 262144, 256K or 64M");
        }
        if (size > Integer.MAX_VALUE)
        {
            throw new ConfigurationException(name, value, "must be under 2G");
        }
        return (int)size;
    }

    private static <E extends Enum<E>> E parseEnum(final String name, final String value, final Class<E> type)
    {
        try
        {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        }
        catch (final IllegalArgumentException ex)
        {
            final StringBuilder allowed = new StringBuilder();
            for (final E constant : type.getEnumConstants())
            {
                allowed.append(allowed.length() == 0 ? "" : "|").append(constant.name().toLowerCase(Locale.ROOT));
            }
            throw new ConfigurationException(name, value, "must be " + allowed);
        }
    }

    /**
     * @param name  the setting, for the error.
     * @param value a number and a unit: {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m}, {@code h} or
     *              {@code d}.
     * @return nanoseconds.
     */
    static long parseDurationNs(final String name, final String value)
    {
        int digits = 0;
        while (digits < value.length() && Character.isDigit(value.charAt(digits)))
        {
            digits++;
        }
        final String unit = value.substring(digits).trim();
        final long scale;
        switch (unit)
        {
            case "ns":
                scale = 1;
                break;
            case "us":
                scale = 1_000;
                break;
            case "ms":
                scale = 1_000_000;
                break;
            case "s":
                scale = 1_000_000_000;
                break;
            case "m":
                scale = 60_000_000_000L;
                break;
            case "h":
                scale = 3_600_000_000_000L;
                break;
            case "d":
                scale = 86_400_000_000_000L;
                break;
            default:
                throw new ConfigurationException(name, value, "must be a duration with a unit: 500ms, 10s, 2m");
        }
        if (digits == 0 || digits > 12)
        {
            throw new ConfigurationException(name, value, "must be a duration with a unit: 500ms, 10s, 2m");
        }
        return Long.parseLong(value.substring(0, digits)) * scale;
    }
}
