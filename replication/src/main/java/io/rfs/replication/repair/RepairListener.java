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
}
