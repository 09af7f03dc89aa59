package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;

import java.util.Arrays;

/**
 * Told by the {@link RepairScheduler} of what needs a person: a chunk no replica holds a sound copy of.
 */
@FunctionalInterface
public interface RepairListener
{
    /**
     * Writes one line to standard error per unrecoverable chunk, and one to standard output per round that copied
     * or failed to copy anything.
     */
    RepairListener LOG = new RepairListener()
    {
        @Override
        public void onUnrecoverable(final ChunkId id, final int[] replicas)
        {
            System.err.println("rfs repair: chunk " + id.toHex() + " is corrupt or missing on every replica " +
                Arrays.toString(replicas) + ": unrecoverable, not copied");
        }

        @Override
        public void onRoundCompleted(
            final long rangesCompared, final long rangesDifferent, final long chunksCopied, final long bytesCopied,
            final long copyFailures, final long durationNs, final long copyingNs)
        {
            if (chunksCopied > 0 || copyFailures > 0)
            {
                System.out.printf("rfs repair: round of %.3f s: %d ranges compared, %d different, %d chunks" +
                    " (%d bytes) copied in %.3f s, %d copies failed%n", durationNs / 1e9, rangesCompared,
                    rangesDifferent, chunksCopied, bytesCopied, copyingNs / 1e9, copyFailures);
            }
        }

        @Override
        public void onReclaimRound(
            final String incomplete, final long candidates, final long unreferenced, final long ordered,
            final long dropped, final long failed, final long durationNs)
        {
            if (incomplete != null)
            {
                System.out.println("rfs reclaim: round incomplete, nothing dropped: " + incomplete);
            }
            else if (unreferenced > 0)
            {
                System.out.printf("rfs reclaim: round of %.3f s: %d chunks idle past the grace, %d referenced by no" +
                    " manifest; of %d copies ordered dropped, %d dropped, %d kept (touched since listed, or gone)," +
                    " %d in failed orders%n", durationNs / 1e9, candidates, unreferenced, ordered, dropped,
                    ordered - dropped - failed, failed);
            }
        }
    };

    /**
     * Called once per chunk and leader term.
     *
     * @param id       the chunk: quarantined (failed verification) on at least one replica and held by none.
     * @param replicas the replicas asked.
     */
    void onUnrecoverable(ChunkId id, int[] replicas);

    /**
     * Called when a round ends, with what it did.
     *
     * @param rangesCompared  ranges whose replicas were compared.
     * @param rangesDifferent of which differed.
     * @param chunksCopied    copies the targets confirmed.
     * @param bytesCopied     their raw bytes.
     * @param copyFailures    copies that failed.
     * @param durationNs      from the round's start to its end, on the node's clock.
     * @param copyingNs       time with copy orders in flight, on the node's clock.
     */
    default void onRoundCompleted(
        long rangesCompared, long rangesDifferent, long chunksCopied, long bytesCopied, long copyFailures,
        long durationNs, long copyingNs)
    {
    }

    /**
     * Called when a round of the {@link ChunkReclaimer} ends.
     *
     * @param incomplete   why nothing was dropped (a node did not answer), or null if the round ran through.
     * @param candidates   distinct ids some node listed as idle for the grace period.
     * @param unreferenced of which no manifest references.
     * @param ordered      copies the nodes were ordered to drop (each unreferenced id once per node that listed it).
     * @param dropped      copies the nodes confirmed dropped.
     * @param failed       copies in orders that failed or were refused.
     * @param durationNs   from the round's start to its end, on the node's clock.
     */
    default void onReclaimRound(
        String incomplete, long candidates, long unreferenced, long ordered, long dropped, long failed,
        long durationNs)
    {
    }
}
