package io.rfs.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * What the clients of one phase did with one kind of operation: how many succeeded and failed, the content bytes
 * they moved, the phase's wall-clock time, and the latency of every successful operation (nanoseconds).
 *
 * @param operations successful operations.
 * @param errors     failed operations.
 * @param bytes      content bytes moved by the successful ones.
 * @param elapsedNs  wall-clock time of the phase, first request to last answer.
 * @param latencyNs  latency of each successful operation.
 * @param firstError the message of the first failure, or null.
 */
public record Measurement(long operations, long errors, long bytes, long elapsedNs, Histogram latencyNs,
    String firstError)
{
    /** The largest latency recorded exactly; longer ones still count, at this value. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    /** Significant digits kept by the latency histograms. */
    public static final int SIGNIFICANT_DIGITS = 3;

    /**
     * @return a histogram for latencies in nanoseconds, as every measurement uses.
     */
    static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /**
     * @return successful operations per second of wall-clock time.
     */
    public double operationsPerSecond()
    {
        return operations * 1e9 / Math.max(1, elapsedNs);
    }

    /**
     * @return content bytes per second of wall-clock time.
     */
    public double bytesPerSecond()
    {
        return bytes * 1e9 / Math.max(1, elapsedNs);
    }
}
