package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.SegmentCompaction;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.log.StoredRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.rfs.store.log.RecordDescriptor.recordLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A chunk compaction stepped by hand with drops, puts of dropped chunks again, new puts and reads between the
 * steps, as the node's storage thread interleaves them, and with a kill (the store opened again without being
 * closed) after some of the steps.
 */
class ChunkStoreCompactionStepTest
{
    private static final int CAPACITY = 1024 * 1024;
    private static final int CHUNK_LENGTH = 20_000;
    private static final int CHUNKS = 150;
    /** About five chunks a step. */
    private static final int STEP_BYTES = 5 * recordLength(CHUNK_LENGTH);
    /** Run to its end. */
    private static final int RELEASED = -2;
    /** Killed after the finish, before any release step. */
    private static final int FINISHED = -1;

    @TempDir
    Path dir;

    private final ChunkCodec codec = new ChunkCodec();
    private final Map<ChunkId, byte[]> contents = new LinkedHashMap<>();
    private final Set<ChunkId> held = new LinkedHashSet<>();
    private final List<ChunkId> dropped = new ArrayList<>();
    private final List<ChunkId> initial = new ArrayList<>();
    private int dropsBetweenSteps;

    @ParameterizedTest(name = "killed after {0} steps (-1: after the finish, -2: not killed)")
    @ValueSource(ints = {RELEASED, FINISHED, 0, 1, 4, 9})
    void shouldHoldExactlyTheChunksHeldBetweenStepsAfterTheFinishOrAKill(final int killAfterSteps) throws IOException
    {
        final SplittableRandom random = new SplittableRandom(6 + killAfterSteps);
        ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1);
        try
        {
            for (int i = 0; i < CHUNKS; i++)
            {
                put(store, random);
            }
            store.force();
            initial.addAll(held);
            for (int i = 0; i < CHUNKS; i += 5)
            {
                drop(store, initial.get(i));
            }
            // the compaction rolls the log: its copies go to the segment after the last one written
            final int firstCopySegment = SegmentLog.segmentId(locationOf(store, initial.get(CHUNKS - 1))) + 1;
            final SegmentCompaction compaction = store.startCompaction(0, 8);

            int steps = 0;
            while (killAfterSteps != steps && !compaction.step(STEP_BYTES))
            {
                steps++;
                changeBetweenSteps(store, random, firstCopySegment);
            }
            if (killAfterSteps < 0)
            {
                assertThat(compaction.segments()).as("three sealed segments of %d chunks", CHUNKS).isEqualTo(3);
                compaction.finish();
                assertHeld(store);
                changeBetweenSteps(store, random, firstCopySegment);
                assertThat(retiredFiles()).as("the victims' files, renamed").hasSize(3);
                if (killAfterSteps == RELEASED)
                {
                    while (!compaction.release(STEP_BYTES))
                    {
                        changeBetweenSteps(store, random, firstCopySegment);
                    }
                    assertThat(retiredFiles()).isEmpty();
                }
                assertThat(store.garbageBytes()).as("at most the copies dropped since they were made")
                    .isLessThanOrEqualTo((long)dropsBetweenSteps * recordLength(CHUNK_LENGTH));
            }
            else
            {
                assertThat(compaction.isCopied()).as("killed before every record was copied").isFalse();
            }
            try (ChunkStore reopened = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
            {
                assertThat(retiredFiles()).as("deleted by recovery").isEmpty();
                assertHeld(reopened);
                // a compaction after the kill resolves the duplicates the killed one left
                reopened.startCompaction(0, 1024).run();
                assertHeld(reopened);
            }
            store.close();
            store = ChunkStore.open(dir, new Disk(), CAPACITY, 1);
            assertHeld(store);
        }
        finally
        {
            store.close();
        }
    }

    /**
     * Drops a chunk the compaction copied already and one it may not have reached, puts a dropped chunk again, puts
     * a new one and reads one, checking its bytes.
     */
    private void changeBetweenSteps(final ChunkStore store, final SplittableRandom random, final int firstCopySegment)
        throws IOException
    {
        for (final ChunkId id : initial)
        {
            if (held.contains(id) && SegmentLog.segmentId(locationOf(store, id)) >= firstCopySegment)
            {
                drop(store, id);
                dropsBetweenSteps++;
                break;
            }
        }
        drop(store, new ArrayList<>(held).get(random.nextInt(held.size())));
        dropsBetweenSteps++;
        final ChunkId back = dropped.remove(random.nextInt(dropped.size()));
        assertThat(store.put(back, contents.get(back), CHUNK_LENGTH, codec)).isTrue();
        held.add(back);
        put(store, random);
        store.force();
        final ChunkId read = new ArrayList<>(held).get(random.nextInt(held.size()));
        final byte[] dst = new byte[CHUNK_LENGTH];
        assertThat(store.read(read, dst, codec)).isEqualTo(CHUNK_LENGTH);
        assertThat(dst).isEqualTo(contents.get(read));
    }

    private void assertHeld(final ChunkStore store) throws IOException
    {
        final byte[] dst = new byte[CHUNK_LENGTH];
        for (final Map.Entry<ChunkId, byte[]> entry : contents.entrySet())
        {
            assertThat(store.contains(entry.getKey())).as("chunk %s held", entry.getKey().toShortHex())
                .isEqualTo(held.contains(entry.getKey()));
            if (held.contains(entry.getKey()))
            {
                assertThat(store.read(entry.getKey(), dst, codec)).isEqualTo(CHUNK_LENGTH);
                assertThat(dst).isEqualTo(entry.getValue());
            }
        }
        assertThat(store.size()).isEqualTo(held.size());
    }

    private void put(final ChunkStore store, final SplittableRandom random) throws IOException
    {
        final byte[] raw = new byte[CHUNK_LENGTH];
        random.nextBytes(raw);
        final ChunkId id = codec.hash(raw, raw.length);
        contents.put(id, raw);
        held.add(id);
        store.put(id, raw, raw.length, codec);
    }

    private void drop(final ChunkStore store, final ChunkId id) throws IOException
    {
        assertThat(store.drop(id)).isTrue();
        held.remove(id);
        dropped.add(id);
    }

    private List<Path> retiredFiles() throws IOException
    {
        try (var files = Files.list(dir))
        {
            return files.filter(path -> path.toString().endsWith(".retired")).toList();
        }
    }

    private static long locationOf(final ChunkStore store, final ChunkId id) throws IOException
    {
        final StoredRecord record = new StoredRecord();
        assertThat(store.locate(id, record)).isTrue();
        return record.location();
    }
}
