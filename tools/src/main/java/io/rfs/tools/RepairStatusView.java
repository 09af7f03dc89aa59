package io.rfs.tools;

import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.RepairStatusDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import static io.rfs.replication.protocol.RepairStatusDescriptor.*;

/**
 * One node's answer to a {@code RepairControlRequest}, decoded (PROTOCOL.md 5.29).
 *
 * @param nodeId           the node that answered.
 * @param leader           true if it leads.
 * @param roundInProgress  true if a round runs now.
 * @param enabled          true if repair is enabled on it.
 * @param leaderId         the leader it knows, or -1.
 * @param term             its term.
 * @param bandwidth        its repair bandwidth, bytes per second.
 * @param roundsCompleted  rounds it finished while leading.
 * @param roundElapsedNs   the round's age (or the last round's length).
 * @param ranges           ranges of the ring.
 * @param rangesCompared   ranges compared in the round.
 * @param rangesDifferent  ranges found different.
 * @param rangesRepaired   different ranges done.
 * @param chunksScheduled  copies ordered.
 * @param chunksCopied     copies done.
 * @param bytesCopied      bytes copied.
 * @param copyFailures     copies failed.
 * @param answersMissed    queries not answered.
 * @param copyingNs        time with copies in flight.
 * @param unrecoverable    chunks reported unrecoverable since the node started.
 */
record RepairStatusView(
    int nodeId, boolean leader, boolean roundInProgress, boolean enabled, int leaderId, long term, long bandwidth,
    long roundsCompleted, long roundElapsedNs, long ranges, long rangesCompared, long rangesDifferent,
    long rangesRepaired, long chunksScheduled, long chunksCopied, long bytesCopied, long copyFailures,
    long answersMissed, long copyingNs, long unrecoverable)
{
    /**
     * @param nodeId the node that answered.
     * @param body   its {@code RepairStatusResponse} body.
     * @return the view.
     * @throws MalformedMessageException if the body does not decode.
     */
    static RepairStatusView decode(final int nodeId, final byte[] body) throws MalformedMessageException
    {
        final RepairStatusDecoder d = new RepairStatusDecoder().wrap(new UnsafeBuffer(body), 0, body.length);
        return new RepairStatusView(nodeId, d.isLeader(), d.isRoundInProgress(), d.isEnabled(), d.leaderId(),
            d.field(TERM_OFFSET), d.field(BANDWIDTH_OFFSET), d.field(ROUNDS_COMPLETED_OFFSET),
            d.field(ROUND_ELAPSED_NS_OFFSET), d.field(RANGES_OFFSET), d.field(RANGES_COMPARED_OFFSET),
            d.field(RANGES_DIFFERENT_OFFSET), d.field(RANGES_REPAIRED_OFFSET), d.field(CHUNKS_SCHEDULED_OFFSET),
            d.field(CHUNKS_COPIED_OFFSET), d.field(BYTES_COPIED_OFFSET), d.field(COPY_FAILURES_OFFSET),
            d.field(ANSWERS_MISSED_OFFSET), d.field(COPYING_NS_OFFSET), d.field(UNRECOVERABLE_OFFSET));
    }

    /**
     * @return true if this (finished) round found every compared range in sync and heard from every node.
     */
    boolean foundClean()
    {
        return rangesDifferent == 0 && answersMissed == 0 && copyFailures == 0;
    }

    /**
     * @return the copy rate of the round, bytes per second, or 0 before anything was copied.
     */
    long copyRate()
    {
        return bytesCopied == 0 ? 0 : Format.bytesPerSecond(bytesCopied, copyingNs);
    }

    /**
     * An estimate of the round's time left from this one status, where {@link RepairTimeLeft} has no byte rate yet,
     * that never claims more than it knows: "estimating" until a part of the
     * differing ranges is done, then the elapsed time scaled by the part left, and "finishing" rather than a count
     * that reached zero while work remains.
     *
     * @return e.g. {@code about 12 s left}.
     */
    String timeLeft()
    {
        if (!roundInProgress)
        {
            return "idle";
        }
        if (rangesCompared < ranges && rangesDifferent == 0)
        {
            return "comparing digests";
        }
        if (rangesRepaired == 0 || rangesDifferent == 0)
        {
            return "estimating";
        }
        final double done = (double)rangesRepaired / rangesDifferent;
        final long leftNs = (long)(roundElapsedNs * (1 - done) / done);
        if (leftNs < 1_000_000_000L)
        {
            return "finishing";
        }
        return "about " + Format.seconds(leftNs) + " left";
    }

    /**
     * @return one line for a person: ranges, chunks, bytes, rate, time left by {@link #timeLeft()}.
     */
    String describe()
    {
        return describe(timeLeft());
    }

    /**
     * @param timeLeft the estimate to end the line with (see {@link RepairTimeLeft}).
     * @return one line for a person: ranges, chunks, bytes, rate, time left.
     */
    String describe(final String timeLeft)
    {
        return "leader " + nodeId + " term " + term + ": " +
            (roundInProgress ? "round in progress" : "last round") + ", " + Format.seconds(roundElapsedNs) + ": " +
            rangesCompared + " of " + ranges + " ranges compared, " + rangesDifferent + " different, " +
            rangesRepaired + " repaired; " + chunksCopied + " of " + chunksScheduled + " chunks (" +
            Format.bytes(bytesCopied) + ") copied" + (copyRate() > 0 ? " at " + Format.bytes(copyRate()) + "/s" : "") +
            (copyFailures > 0 ? ", " + copyFailures + " failed" : "") + "; " + timeLeft;
    }
}
