package io.rfs.tools;

/**
 * The time-left estimate of {@code rfs repair --wait}: the bytes still to copy over the copy rate observed lately.
 * <p>
 * The status counts chunks scheduled and copied and bytes copied for the current round only, so the bytes left are
 * the chunks left times the mean chunk size copied so far, and the rate is measured on a running total that carries
 * the bytes of every round seen (added when the leader's round number moves on), over a sliding window of the last
 * {@link #WINDOW_NS} of polls. The window is what keeps the estimate steady: a round's end, the next round's digest
 * comparison, or one slow poll moves the rate only by its share of the window, where a per-round rate would start
 * from nothing each round. A stall that lasts lowers the rate, so the estimate grows rather than claiming progress
 * that is not happening. Where no rate or chunk size is known yet (nothing copied during the window), or nothing
 * scheduled is left, {@link RepairStatusView#timeLeft()}'s rule (the share of differing ranges repaired) answers.
 * <p>
 * Not thread safe: fed by the one thread that polls the leader. Memory is bounded by {@link #MAX_SAMPLES}.
 */
final class RepairTimeLeft
{
    /**
     * How far back the rate looks: four times {@code rfs repair}'s 2 s line interval, long enough to span the gap
     * between two rounds.
     */
    static final long WINDOW_NS = 10_000_000_000L;

    /**
     * The shortest span of samples a rate is taken over: one poll's 0.5 s is mostly the poll's own jitter.
     */
    static final long MIN_SPAN_NS = 2_000_000_000L;

    /**
     * Polls kept at most: the window holds 20 at {@code rfs repair}'s 500 ms poll; the cap bounds memory if polls
     * come faster.
     */
    static final int MAX_SAMPLES = 64;

    private static final long FINISHING_NS = 1_000_000_000L;

    private final long[] sampleNs = new long[MAX_SAMPLES];
    private final long[] sampleBytes = new long[MAX_SAMPLES];
    private int first;
    private int count;

    private int leader = -1;
    private long round = -1;
    private long roundBytes;
    private long roundChunks;
    private long earlierBytes;
    private long earlierChunks;

    /**
     * @param nowNs  when the status was polled, on {@link System#nanoTime()}'s scale.
     * @param status the leader's status.
     * @return e.g. {@code about 12 s left}, {@code at least about 12 s left} while ranges are still being compared
     * (more copies may be scheduled), or the range-based answer of {@link RepairStatusView#timeLeft()}.
     */
    String update(final long nowNs, final RepairStatusView status)
    {
        final long totalBytes = carryRounds(status);
        record(nowNs, totalBytes);
        if (!status.roundInProgress())
        {
            return status.timeLeft();
        }
        final long chunksLeft = status.chunksScheduled() - status.chunksCopied() - status.copyFailures();
        final long copiedChunks = earlierChunks + roundChunks;
        final long bytesPerSecond = bytesPerSecond();
        if (chunksLeft <= 0 || copiedChunks == 0 || bytesPerSecond == 0)
        {
            return status.timeLeft();
        }
        final double bytesLeft = (double)chunksLeft * totalBytes / copiedChunks;
        final long leftNs = (long)(bytesLeft * 1e9 / bytesPerSecond);
        final boolean comparing = status.rangesCompared() < status.ranges();
        if (leftNs < FINISHING_NS)
        {
            return comparing ? "comparing digests" : "finishing";
        }
        return (comparing ? "at least about " : "about ") + Format.seconds(leftNs) + " left";
    }

    /**
     * @return the copy rate over the window, bytes per second, or 0 if the window is too short or nothing moved.
     */
    private long bytesPerSecond()
    {
        if (count < 2)
        {
            return 0;
        }
        final int last = (first + count - 1) % MAX_SAMPLES;
        final long spanNs = sampleNs[last] - sampleNs[first];
        final long bytes = sampleBytes[last] - sampleBytes[first];
        return spanNs < MIN_SPAN_NS || bytes <= 0 ? 0 : Format.bytesPerSecond(bytes, spanNs);
    }

    private long carryRounds(final RepairStatusView status)
    {
        // A finished round reports as round N, the one in progress after it as N + 1.
        final long statusRound = status.roundsCompleted() + (status.roundInProgress() ? 1 : 0);
        if (status.nodeId() != leader || statusRound != round)
        {
            // The copies of the round left behind after its last poll are not seen: the total is a lower bound.
            earlierBytes += roundBytes;
            earlierChunks += roundChunks;
            leader = status.nodeId();
            round = statusRound;
        }
        roundBytes = status.bytesCopied();
        roundChunks = status.chunksCopied();
        return earlierBytes + roundBytes;
    }

    private void record(final long nowNs, final long totalBytes)
    {
        while (count > 0 && (count == MAX_SAMPLES || nowNs - sampleNs[first] > WINDOW_NS))
        {
            first = (first + 1) % MAX_SAMPLES;
            count--;
        }
        final int next = (first + count) % MAX_SAMPLES;
        sampleNs[next] = nowNs;
        sampleBytes[next] = totalBytes;
        count++;
    }
}
