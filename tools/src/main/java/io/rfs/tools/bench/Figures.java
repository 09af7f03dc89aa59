package io.rfs.tools.bench;

import java.util.Locale;

/**
 * How the reports print figures for people: latencies in the unit that suits them, rates in MiB/s, ratios with two
 * decimals.
 */
final class Figures
{
    private static final double MIB = 1024.0 * 1024.0;

    private Figures()
    {
    }

    /**
     * @param ns a latency.
     * @return e.g. {@code 512 us}, {@code 12.3 ms} or {@code 4.10 s}.
     */
    static String latency(final double ns)
    {
        if (ns < 1e6)
        {
            return String.format(Locale.ROOT, "%.0f us", ns / 1e3);
        }
        if (ns < 1e9)
        {
            return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", ns / 1e9);
    }

    /**
     * @param latencyNs a histogram of latencies.
     * @return its p50, p90, p99, p99.9 and maximum, each {@code -} if it is empty.
     */
    static String[] latencies(final org.HdrHistogram.Histogram latencyNs)
    {
        final boolean any = latencyNs.getTotalCount() > 0;
        return new String[]{
            any ? latency(latencyNs.getValueAtPercentile(50)) : "-",
            any ? latency(latencyNs.getValueAtPercentile(90)) : "-",
            any ? latency(latencyNs.getValueAtPercentile(99)) : "-",
            any ? latency(latencyNs.getValueAtPercentile(99.9)) : "-",
            any ? latency(latencyNs.getMaxValue()) : "-",
        };
    }

    /**
     * @param result a result.
     * @return its cells from clients to ratio: clients, ops, errors, ops/s, MiB/s, the latencies of
     * {@link #latencies}, bound, ratio and target.
     */
    static java.util.List<String> cells(final OperationResult result)
    {
        final Measurement m = result.measurement();
        final java.util.List<String> cells = new java.util.ArrayList<>(java.util.List.of(
            Integer.toString(result.clients()), Long.toString(m.operations()), Long.toString(m.errors()),
            ops(m.operationsPerSecond()), mib(m.bytesPerSecond())));
        cells.addAll(java.util.List.of(latencies(m.latencyNs())));
        cells.add(bound(result.bound()));
        cells.add(ratio(result.ratio()));
        cells.add(target(result));
        return cells;
    }

    /**
     * @param bytesPerSecond a rate.
     * @return in MiB/s, one decimal, no unit.
     */
    static String mib(final double bytesPerSecond)
    {
        return String.format(Locale.ROOT, "%.1f", bytesPerSecond / MIB);
    }

    /**
     * @param opsPerSecond a rate.
     * @return one decimal below 100, else none.
     */
    static String ops(final double opsPerSecond)
    {
        return String.format(Locale.ROOT, opsPerSecond < 100 ? "%.1f" : "%.0f", opsPerSecond);
    }

    /**
     * @param ratio a figure over its bound, or NaN.
     * @return e.g. {@code 0.82x}, or {@code -}.
     */
    static String ratio(final double ratio)
    {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    /**
     * @param result a result.
     * @return its bound's target ratio and whether it was reached, e.g. {@code 0.50x met}, or {@code -}.
     */
    static String target(final OperationResult result)
    {
        final Boolean met = result.targetMet();
        return met == null ? "-" : ratio(result.bound().target()) + (met ? " met" : " NOT met");
    }

    /**
     * @param bound a bound.
     * @return its value with its unit and reason, e.g. {@code 1354.2 MiB/s (SHA-256 1 core)}.
     */
    static String bound(final Bound bound)
    {
        if (bound == null)
        {
            return "-";
        }
        final String value = Bound.BYTES_PER_SECOND.equals(bound.unit()) ?
            mib(bound.value()) + " MiB/s" : ops(bound.value()) + " ops/s";
        return value + " (" + bound.reason() + ")";
    }

    /**
     * @param limit a limit.
     * @return its value in a readable unit.
     */
    static String limit(final Limit limit)
    {
        switch (limit.unit())
        {
            case Limit.BYTES_PER_SECOND:
                return mib(limit.value()) + " MiB/s";
            case Limit.MICROSECONDS:
                return String.format(Locale.ROOT, "%.0f us", limit.value());
            default:
                return String.format(Locale.ROOT, "%.2f %s", limit.value(), limit.unit());
        }
    }
}
