package io.rfs.gateway;

import io.rfs.replication.http.PrometheusText;

import java.util.concurrent.atomic.LongAdder;

/**
 * Request durations as a Prometheus histogram: cumulative counts at fixed bounds from 1 ms to 60 s, a count and a
 * sum. Fixed bounds keep recording to two adds, and let a scraper aggregate gateways and compute percentiles
 * ({@code histogram_quantile}). Thread-safe: recorded by request threads, read by the scrape.
 */
final class LatencyHistogram
{
    /** Upper bounds of the buckets, seconds. */
    static final double[] BOUNDS_S = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_S.length];
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNs = new LongAdder();

    LatencyHistogram()
    {
        for (int i = 0; i < buckets.length; i++)
        {
            buckets[i] = new LongAdder();
        }
    }

    /**
     * @param durationNs how long a request took.
     */
    void record(final long durationNs)
    {
        final double seconds = durationNs / 1e9;
        for (int i = 0; i < BOUNDS_S.length; i++)
        {
            if (seconds <= BOUNDS_S[i])
            {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sumNs.add(durationNs);
    }

    /**
     * @return requests recorded.
     */
    long count()
    {
        return count.sum();
    }

    /**
     * Writes this histogram's samples (the family is written by the caller, once for all labels).
     *
     * @param text       where.
     * @param name       the family's name, e.g. {@code rfs_gateway_request_duration_seconds}.
     * @param labelName  the label that tells this histogram from the family's others.
     * @param labelValue its value.
     */
    void write(final PrometheusText text, final String name, final String labelName, final String labelValue)
    {
        long cumulative = 0;
        for (int i = 0; i < BOUNDS_S.length; i++)
        {
            cumulative += buckets[i].sum();
            text.sample(name + "_bucket", labelName, labelValue, "le", Double.toString(BOUNDS_S[i]), cumulative);
        }
        final long total = count.sum();
        text.sample(name + "_bucket", labelName, labelValue, "le", "+Inf", Math.max(total, cumulative));
        text.sample(name + "_sum", labelName, labelValue, sumNs.sum() / 1e9);
        text.sample(name + "_count", labelName, labelValue, total);
    }
}
