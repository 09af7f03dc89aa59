package io.rfs.replication.node;

/**
 * Where a node's background scrub stands, published by the {@link NodeScrubber} for other threads (the status
 * pages).
 *
 * @param passChunks              chunks in the current pass (those held when it began).
 * @param chunksDone              of them, re-hashed (or gone) so far; equal to {@code passChunks} between passes.
 * @param oldestUnverifiedSinceMs epoch ms since which every chunk held has been re-hashed or written: the start of
 *                                the previous pass while a pass runs, of the last pass between passes; -1 while the
 *                                scrub is off.
 * @param rateBytesPerSecond      the rate the scrub runs at now, after any back-off.
 */
public record ScrubStatus(long passChunks, long chunksDone, long oldestUnverifiedSinceMs, long rateBytesPerSecond)
{
    /** Before the first pass starts, or with the scrub off. */
    public static final ScrubStatus NONE = new ScrubStatus(0, 0, -1, 0);

    /**
     * @return the fraction of the current pass's chunks re-hashed, 0 to 1 (1 between passes and with none held).
     */
    public double coverage()
    {
        return passChunks == 0 ? 1.0 : (double)chunksDone / passChunks;
    }

    /**
     * @param nowMs epoch ms.
     * @return the age of the oldest chunk not re-hashed since, in ms, at most; -1 if unknown.
     */
    public long oldestUnverifiedAgeMs(final long nowMs)
    {
        return oldestUnverifiedSinceMs < 0 ? -1 : Math.max(0, nowMs - oldestUnverifiedSinceMs);
    }
}
