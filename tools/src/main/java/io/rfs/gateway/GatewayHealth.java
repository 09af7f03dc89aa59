package io.rfs.gateway;

import io.rfs.replication.http.HealthReport;
import io.rfs.store.FileStore;
import io.rfs.store.UnknownFileException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The gateway's {@code /health}: whether it can serve, found by asking the store, through the same client requests
 * use, for the version of one name ({@value #PROBE_NAME}, which need not exist): the answer takes a read quorum of
 * that name's replicas, so a gateway cut off from the cluster, or in front of a cluster that lost its quorum, says
 * 503 with the store's reason, and a load balancer's active check takes it out of rotation.
 * <p>
 * A probe's answer is kept for {@link #intervalNs}: a load balancer (or several) checking every gateway each second
 * then costs the cluster one manifest read per gateway per interval, and concurrent checks share one probe.
 * Thread-safe.
 */
final class GatewayHealth
{
    /** The name whose version the probe reads. */
    static final String PROBE_NAME = "s3-gateway/health-probe";

    private final FileStore store;
    private final long intervalNs;
    private final LongSupplier nanoClock;
    private HealthReport last;
    private long lastProbeNs;

    /**
     * @param store      the gateway's store.
     * @param intervalNs how long a probe's answer is served before the next probe.
     * @param nanoClock  a monotonic clock, e.g. {@code System::nanoTime}.
     */
    GatewayHealth(final FileStore store, final long intervalNs, final LongSupplier nanoClock)
    {
        this.store = store;
        this.intervalNs = intervalNs;
        this.nanoClock = nanoClock;
    }

    /**
     * @param facts more facts for the report (requests in flight, ...).
     * @return the latest answer, probing first if it is older than the interval.
     */
    synchronized HealthReport report(final Map<String, Object> facts)
    {
        final long nowNs = nanoClock.getAsLong();
        if (last == null || nowNs - lastProbeNs >= intervalNs)
        {
            last = probe();
            lastProbeNs = nanoClock.getAsLong();
        }
        final Map<String, Object> all = new LinkedHashMap<>(last.facts());
        all.putAll(facts);
        return new HealthReport(last.serving(), last.reasons(), all);
    }

    private HealthReport probe()
    {
        final long startNs = nanoClock.getAsLong();
        String reason = null;
        try
        {
            store.stat(PROBE_NAME);
        }
        catch (final UnknownFileException ex)
        {
            // a quorum answered that the name does not exist: the store serves
        }
        catch (final IOException | RuntimeException ex)
        {
            reason = "the store cannot serve: " + ex.getMessage();
        }
        final Map<String, Object> facts = Map.of("probeMs", (nanoClock.getAsLong() - startNs) / 1_000_000);
        return new HealthReport(reason == null, reason == null ? List.of() : List.of(reason), facts);
    }
}
