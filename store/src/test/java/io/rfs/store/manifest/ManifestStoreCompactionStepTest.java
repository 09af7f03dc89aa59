package io.rfs.store.manifest;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.PowerLossDisk;
import io.rfs.store.log.SegmentCompaction;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A manifest compaction stepped by hand with newer versions, deletes (tombstones) and drops between the steps, and
 * with a kill (the store opened again without being closed) after some of them: every name must come back at the
 * version it had, tombstones included, and no dropped name at any; also in the image a power loss at the kill would
 * leave ({@link PowerLossDisk}: no unforced write kept).
 */
class ManifestStoreCompactionStepTest
{
    private static final int CAPACITY = 1024 * 1024;
    private static final int NAMES = 200;
    /** Chunks per manifest: about 2 KiB a record. */
    private static final int CHUNKS = 50;
    private static final int STEP_BYTES = 16 * 1024;
    private static final int RELEASED = -2;
    private static final int FINISHED = -1;

    @TempDir
    Path dir;

    /** Where the image a power loss at the kill would leave is opened. */
    @TempDir
    Path powerLossDir;

    /** Every put and drop forces, so a power loss at the kill must leave the same names as the kill. */
    private final PowerLossDisk disk = new PowerLossDisk();

    private final HybridLogicalClock clock = new HybridLogicalClock(new CachedEpochClock());
    /** Per name, the version expected current (a tombstone's too), or none if dropped. */
    private final TreeMap<String, Manifest> expected = new TreeMap<>();
    private long timestamp;

    @ParameterizedTest(name = "killed after {0} steps (-1: after the finish, -2: not killed)")
    @ValueSource(ints = {RELEASED, FINISHED, 0, 2, 7})
    void shouldHoldEveryCurrentVersionAndNoDroppedNameAfterTheFinishOrAKill(final int killAfterSteps)
        throws IOException
    {
        final SplittableRandom random = new SplittableRandom(16 + killAfterSteps);
        ManifestStore store = open();
        try
        {
            for (int version = 0; version < 3; version++)
            {
                for (int i = 0; i < NAMES; i++)
                {
                    put(store, "file-" + i, version == 2 && i % 7 == 0);
                }
            }
            for (int i = 0; i < NAMES; i += 9)
            {
                drop(store, "file-" + i);
            }
            final long garbageBefore = store.garbageBytes();
            assertThat(garbageBefore).as("two superseded versions of each name, and the dropped names")
                .isGreaterThan(2L * NAMES * 2048);
            final SegmentCompaction compaction = store.startCompaction(0, 8);

            int steps = 0;
            while (killAfterSteps != steps && !compaction.step(STEP_BYTES))
            {
                steps++;
                changeBetweenSteps(store, random);
            }
            if (killAfterSteps < 0)
            {
                assertThat(compaction.segments()).isGreaterThan(1);
                compaction.finish();
                assertThat(store.garbageBytes()).as("the superseded and dropped versions reclaimed")
                    .isLessThan(garbageBefore / 2);
                changeBetweenSteps(store, random);
                if (killAfterSteps == RELEASED)
                {
                    while (!compaction.release(CAPACITY / 4))
                    {
                        changeBetweenSteps(store, random);
                    }
                }
                assertCurrent(store);
            }
            else
            {
                assertThat(compaction.isCopied()).as("killed before every record was copied").isFalse();
            }
            final Path image = powerLossDir.resolve("image");
            disk.powerLossImage(dir, image);
            try (ManifestStore afterPowerLoss = ManifestStore.open(image, new Disk(), CAPACITY, clock))
            {
                assertCurrent(afterPowerLoss);
                assertThat(image.toFile().list()).as("retired files after open")
                    .noneMatch(name -> name.endsWith(".retired"));
            }
            try (ManifestStore reopened = open())
            {
                assertCurrent(reopened);
                reopened.startCompaction(0, 1024).run();
                assertCurrent(reopened);
            }
            store.close();
            store = open();
            assertCurrent(store);
        }
        finally
        {
            store.close();
        }
    }

    private void changeBetweenSteps(final ManifestStore store, final SplittableRandom random) throws IOException
    {
        put(store, "file-" + random.nextInt(NAMES), false);
        put(store, "file-" + random.nextInt(NAMES), true);
        final String name = "file-" + random.nextInt(NAMES);
        if (expected.containsKey(name))
        {
            drop(store, name);
        }
    }

    private void assertCurrent(final ManifestStore store) throws IOException
    {
        for (int i = 0; i < NAMES; i++)
        {
            final String name = "file-" + i;
            final Manifest want = expected.get(name);
            final Manifest got = store.current(name);
            if (want == null)
            {
                assertThat(got).as("%s dropped", name).isNull();
            }
            else
            {
                assertThat(got).as("%s", name).isNotNull();
                assertThat(got.toStat()).as("%s", name).isEqualTo(want.toStat());
                assertThat(got.chunkCount()).isEqualTo(want.chunkCount());
            }
        }
    }

    private void put(final ManifestStore store, final String name, final boolean tombstone) throws IOException
    {
        final Version version = new Version(++timestamp, 1);
        final Manifest manifest;
        if (tombstone)
        {
            manifest = Manifest.tombstone(name, version);
        }
        else
        {
            final ChunkId[] ids = new ChunkId[CHUNKS];
            final byte[] idBytes = new byte[ChunkId.LENGTH];
            for (int c = 0; c < CHUNKS; c++)
            {
                idBytes[0] = (byte)c;
                idBytes[1] = (byte)timestamp;
                ids[c] = ChunkId.of(idBytes.clone());
            }
            final int[] lengths = new int[CHUNKS];
            Arrays.fill(lengths, 1000);
            manifest = new Manifest(name, CHUNKS * 1000L, new byte[32], ids, lengths, version, false);
        }
        assertThat(store.put(manifest)).isTrue();
        expected.put(name, manifest);
    }

    private void drop(final ManifestStore store, final String name) throws IOException
    {
        final boolean[] dropped = new boolean[1];
        assertThat(store.drop(List.of(name), List.of(expected.get(name).version()), dropped)).isEqualTo(1);
        expected.remove(name);
    }

    private ManifestStore open() throws IOException
    {
        return ManifestStore.open(dir, disk, CAPACITY, clock);
    }
}
