package io.rfs.gateway;

import io.rfs.replication.http.PrometheusText;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the gateway counts, for {@code /metrics}. Updated by the request threads, read by the scrape.
 */
final class GatewayCounters
{
    final LongAdder requests = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final AtomicLong inFlight = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> putBodies = new ConcurrentHashMap<>();
    private final Map<S3Operation, LatencyHistogram> durations = new EnumMap<>(S3Operation.class);

    GatewayCounters()
    {
        for (final S3Operation operation : S3Operation.values())
        {
            durations.put(operation, new LatencyHistogram());
        }
    }

    /**
     * @param operation  what a request asked for.
     * @param durationNs how long it took, from its headers read to its response written.
     */
    void served(final S3Operation operation, final long durationNs)
    {
        durations.get(operation).record(durationNs);
    }

    void error(final S3Error error)
    {
        errors.computeIfAbsent(error.code(), code -> new LongAdder()).increment();
    }

    /**
     * @param payloadHash the put's {@code x-amz-content-sha256}: a mode, or a hash counted as {@code sha256}.
     */
    void putBody(final String payloadHash)
    {
        final String mode = payloadHash.length() == 64 && !payloadHash.startsWith("STREAMING-") ? "sha256" : payloadHash;
        putBodies.computeIfAbsent(mode, m -> new LongAdder()).increment();
    }

    void write(final PrometheusText text)
    {
        text.family("rfs_gateway_requests_total", "counter", "S3 requests received.")
            .sample("rfs_gateway_requests_total", requests.sum());
        text.family("rfs_gateway_requests_in_flight", "gauge", "S3 requests being served.")
            .sample("rfs_gateway_requests_in_flight", inFlight.get());
        text.family("rfs_gateway_received_bytes_total", "counter", "Object bytes received by puts.")
            .sample("rfs_gateway_received_bytes_total", bytesIn.sum());
        text.family("rfs_gateway_sent_bytes_total", "counter", "Object bytes sent by gets.")
            .sample("rfs_gateway_sent_bytes_total", bytesOut.sum());
        text.family("rfs_gateway_put_bodies_total", "counter",
            "Object bodies received, by x-amz-content-sha256 mode (aws-chunked variants, UNSIGNED-PAYLOAD, sha256).");
        putBodies.forEach((mode, count) -> text.sample("rfs_gateway_put_bodies_total", "mode", mode, count.sum()));
        text.family("rfs_gateway_errors_total", "counter", "S3 error responses by code.");
        errors.forEach((code, count) -> text.sample("rfs_gateway_errors_total", "code", code, count.sum()));
        text.family("rfs_gateway_request_duration_seconds", "histogram",
            "Requests served and how long each took, by S3 operation (rate() of _count is the request rate).");
        durations.forEach((operation, histogram) ->
        {
            if (histogram.count() > 0)
            {
                histogram.write(text, "rfs_gateway_request_duration_seconds", "operation", operation.apiName());
            }
        });
    }
}
