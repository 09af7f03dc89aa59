package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.PowerLossDisk;
import io.rfs.store.log.SegmentCompaction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.rfs.store.log.RecordDescriptor.recordLength;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Power losses during stepped compactions: puts (some of dropped chunks, again), group forces, drops and compaction
 * steps (copies, finishes, releases) interleaved under a seed on a {@link PowerLossDisk}, with the image a power loss
 * would leave taken at random points and opened as a store of its own. Unlike a SIGKILL, a power loss keeps no
 * write that was not forced, so this proves the order of the forces: every chunk acknowledged (forced) and not
 * dropped reads back whole, no chunk whose drop returned comes back, and recovery finds no corruption and leaves no
 * retired file.
 * <p>
 * The seed is printed; run again with {@code -Drfs.powerloss.seed=<seed>} to replay it exactly.
 */
class ChunkStorePowerLossTest
{
    private static final int CAPACITY = 1024 * 1024;
    private static final int CHUNK_LENGTH = 20_000;
    private static final int STEP_BYTES = 2 * recordLength(CHUNK_LENGTH);
    private static final int RELEASE_BYTES = 256 * 1024;

    @TempDir
    Path dir;

    private final ChunkCodec codec = new ChunkCodec();
    private final Map<ChunkId, byte[]> contents = new HashMap<>();
    /** Put and forced, not dropped: must survive. */
    private final List<ChunkId> acknowledged = new ArrayList<>();
    /** Put, not yet forced: may or may not survive, but whole if it does. */
    private final Set<ChunkId> unforced = new LinkedHashSet<>();
    /** Dropped, the drop returned: must not come back. */
    private final Set<ChunkId> dropped = new LinkedHashSet<>();
    private int images;
    private int imagesWithRetiredFiles;

    @Test
    void shouldKeepEveryForcedChunkAndNoDroppedOneAfterPowerLossesDuringSteppedCompactions() throws IOException
    {
        powerLossesDuringSteppedCompactions(Long.getLong("rfs.powerloss.seed", new SplittableRandom().nextLong()),
            600, 20);
    }

    @Test
    @Tag("slow")
    void shouldKeepEveryForcedChunkAndNoDroppedOneOverManyPowerLosses() throws IOException
    {
        final SplittableRandom seeds = new SplittableRandom();
        for (int run = 0; run < 5; run++)
        {
            powerLossesDuringSteppedCompactions(seeds.nextLong(), 3_000, 40);
            acknowledged.clear();
            unforced.clear();
            dropped.clear();
            contents.clear();
        }
    }

    private void powerLossesDuringSteppedCompactions(final long seed, final int operations, final int meanGap)
        throws IOException
    {
        final Path data = dir.resolve("data-" + seed);
        System.out.println("power loss seed=" + seed + " (replay with -Drfs.powerloss.seed=" + seed + ") in " + data);
        final SplittableRandom random = new SplittableRandom(seed);
        final PowerLossDisk disk = new PowerLossDisk();
        final int imagesBefore = images;
        imagesWithRetiredFiles = 0;
        try (ChunkStore store = ChunkStore.open(data, disk, CAPACITY, 1))
        {
            SegmentCompaction compaction = null;
            boolean finished = false;
            int nextImage = random.nextInt(1, 2 * meanGap);
            for (int op = 0; op < operations; op++)
            {
                final int choice = random.nextInt(10);
                if (choice == 0 && !dropped.isEmpty())
                {
                    final ChunkId back = new ArrayList<>(dropped).get(random.nextInt(dropped.size()));
                    dropped.remove(back);
                    unforced.add(back);
                    assertThat(store.put(back, contents.get(back), CHUNK_LENGTH, codec)).as("put again of %s", back)
                        .isTrue();
                }
                else if (choice < 4)
                {
                    put(store, random);
                }
                else if (choice < 5)
                {
                    store.force();
                    acknowledged.addAll(unforced);
                    unforced.clear();
                }
                else if (choice < 6 && !acknowledged.isEmpty())
                {
                    final ChunkId id = acknowledged.remove(random.nextInt(acknowledged.size()));
                    assertThat(store.drop(id)).as("drop of %s", id).isTrue();
                    dropped.add(id);
                }
                else if (compaction == null)
                {
                    compaction = store.startCompaction(0, 3);
                }
                else if (!compaction.isCopied())
                {
                    compaction.step(STEP_BYTES);
                }
                else if (!finished)
                {
                    compaction.finish();
                    finished = true;
                }
                else if (compaction.release(RELEASE_BYTES))
                {
                    compaction = null;
                    finished = false;
                }
                if (op == nextImage)
                {
                    assertPowerLossImage(disk, data, seed, op);
                    nextImage += random.nextInt(1, 2 * meanGap);
                }
            }
        }
        System.out.printf("seed=%d: %d power loss images checked, %d with retired files; %d chunks held, %d dropped%n",
            seed, images - imagesBefore, imagesWithRetiredFiles, acknowledged.size(), dropped.size());
    }

    private void assertPowerLossImage(final PowerLossDisk disk, final Path data, final long seed, final int op)
        throws IOException
    {
        final Path image = dir.resolve("image-" + images++);
        disk.powerLossImage(data, image);
        if (!retiredFiles(image).isEmpty())
        {
            imagesWithRetiredFiles++;
        }
        final String at = "seed=" + seed + " power loss after operation " + op;
        try (ChunkStore store = ChunkStore.open(image, new Disk(), CAPACITY, 1))
        {
            assertThat(store.recoveryReport().corruptRegions()).as("%s: corrupt regions", at).isZero();
            assertThat(retiredFiles(image)).as("%s: retired files after open", at).isEmpty();
            final byte[] dst = new byte[CHUNK_LENGTH];
            for (final ChunkId id : acknowledged)
            {
                assertThat(store.contains(id)).as("%s: forced chunk %s held", at, id).isTrue();
                assertThat(store.read(id, dst, codec)).as("%s: length of %s", at, id).isEqualTo(CHUNK_LENGTH);
                assertThat(dst).as("%s: bytes of %s", at, id).isEqualTo(contents.get(id));
            }
            for (final ChunkId id : unforced)
            {
                if (store.contains(id))
                {
                    assertThat(store.read(id, dst, codec)).as("%s: length of unforced %s", at, id)
                        .isEqualTo(CHUNK_LENGTH);
                    assertThat(dst).as("%s: bytes of unforced %s", at, id).isEqualTo(contents.get(id));
                }
            }
            for (final ChunkId id : dropped)
            {
                assertThat(store.contains(id)).as("%s: dropped chunk %s held again", at, id).isFalse();
            }
            assertThat(store.quarantined()).as("%s: quarantined", at).isEmpty();
        }
        deleteTree(image);
    }

    private void put(final ChunkStore store, final SplittableRandom random) throws IOException
    {
        final byte[] raw = new byte[CHUNK_LENGTH];
        random.nextBytes(raw);
        final ChunkId id = codec.hash(raw, raw.length);
        contents.put(id, raw);
        unforced.add(id);
        store.put(id, raw, raw.length, codec);
    }

    private static List<Path> retiredFiles(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(path -> path.toString().endsWith(".retired")).toList();
        }
    }

    private static void deleteTree(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
