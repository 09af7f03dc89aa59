package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.SegmentCompaction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The measurement behind the compaction pause at the default segment size in docs/NODE.md ("Compaction"): three
 * 256 MiB segments of incompressible 1 MiB chunks, every sixth dropped (an old owner's share after adding a sixth
 * node), then one compaction per sealed segment as the node's compactor runs it ({@code storage.compaction.*}
 * defaults: at least 10% garbage, one segment at a time), stepped with a budget of 1, 4 and 16 MiB a step: each
 * step (choosing, copying, the finish, freeing the old file) holds the storage thread up once. Slow, so out of the
 * default run:
 * {@code mvn -o -q -pl store test -Drfs.test.excludedGroups=none -Dtest=CompactionPauseMeasurementTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; figures in
 * {@code store/target/surefire-reports/io.rfs.store.chunkstore.CompactionPauseMeasurementTest-output.txt}. The
 * segments were just written, so their reads come from the page cache: a cold segment's pause is longer.
 */
@Tag("slow")
class CompactionPauseMeasurementTest
{
    private static final int SEGMENT_CAPACITY = 256 * 1024 * 1024;
    private static final int CHUNK_LENGTH = 1024 * 1024;
    private static final int CHUNKS = 3 * 255;
    /** The step budget of each of the three compactions. */
    private static final int[] STEP_BYTES = {1 << 20, 4 << 20, 16 << 20};

    @TempDir
    Path dir;

    @Test
    void shouldReclaimTheDroppedSixthOfEachDefaultSizedSegment() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final SplittableRandom random = new SplittableRandom(256);
        final byte[] raw = new byte[CHUNK_LENGTH];
        final List<ChunkId> dropped = new ArrayList<>();
        final List<ChunkId> kept = new ArrayList<>();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), SEGMENT_CAPACITY, 1))
        {
            for (int i = 0; i < CHUNKS; i++)
            {
                random.nextBytes(raw);
                final ChunkId id = codec.hash(raw, raw.length);
                store.put(id, raw, raw.length, codec);
                (i % 6 == 5 ? dropped : kept).add(id);
            }
            store.drop(dropped, null);
            long reclaimedTotal = 0;
            for (int round = 1; round <= 3; round++)
            {
                final int stepBytes = STEP_BYTES[round - 1];
                final long garbageBefore = store.garbageBytes();
                final long startNs = System.nanoTime();
                final SegmentCompaction compaction = store.startCompaction(10, 1);
                final long rollNs = System.nanoTime() - startNs;
                long longestStepNs = 0;
                boolean copied = false;
                while (!copied)
                {
                    final long stepStartNs = System.nanoTime();
                    copied = compaction.step(stepBytes);
                    longestStepNs = Math.max(longestStepNs, System.nanoTime() - stepStartNs);
                }
                final long finishStartNs = System.nanoTime();
                compaction.finish();
                final long finishNs = System.nanoTime() - finishStartNs;
                final int copySteps = compaction.steps();
                long longestReleaseNs = 0;
                boolean released = false;
                while (!released)
                {
                    final long stepStartNs = System.nanoTime();
                    released = compaction.release(stepBytes);
                    longestReleaseNs = Math.max(longestReleaseNs, System.nanoTime() - stepStartNs);
                }
                final double totalMs = (System.nanoTime() - startNs) / 1e6;
                final long reclaimed = compaction.reclaimedBytes();
                reclaimedTotal += reclaimed;
                final double movedMiB = compaction.bytesCopied() / (double)(1 << 20);
                System.out.printf("compaction %d, steps of %d MiB: %d segments rewritten, %d chunks moved " +
                    "(%.1f MiB), %.1f MiB reclaimed of %.1f MiB garbage; the start (a roll) %.1f ms, %d steps " +
                    "choosing and copying, the longest %.1f ms, the finish %.1f ms, %d release steps, the longest " +
                    "%.1f ms; %.1f ms in all (%.0f MiB/s moved)%n", round, stepBytes >> 20, compaction.segments(),
                    compaction.recordsCopied(), movedMiB,
                    reclaimed / (double)(1 << 20), garbageBefore / (double)(1 << 20), rollNs / 1e6, copySteps,
                    longestStepNs / 1e6, finishNs / 1e6, compaction.steps() - copySteps, longestReleaseNs / 1e6,
                    totalMs, movedMiB / (totalMs / 1e3));
            }
            assertThat(reclaimedTotal).as("the two sealed segments' dropped chunks").isPositive();
            assertThat(store.size()).isEqualTo(kept.size());
        }
    }
}
