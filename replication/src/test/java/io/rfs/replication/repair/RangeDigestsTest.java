package io.rfs.replication.repair;

import io.rfs.replication.ring.Ring;
import io.rfs.replication.ring.RingNode;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunkstore.ChunkCodec;
import io.rfs.store.chunkstore.ChunkStore;
import io.rfs.store.log.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class RangeDigestsTest
{
    private static final DigestKey KEY = DigestKey.of("secret-of-the-cluster-0123456789".getBytes());

    @TempDir
    Path directory;

    private final Ring ring = Ring.empty(2, 8)
        .withNode(RingNode.of(1, "127.0.0.1:1")).withNode(RingNode.of(2, "127.0.0.1:2"));

    @Test
    void shouldNotDependOnTheOrderIdsCameIn()
    {
        final long seed = System.nanoTime();
        final List<ChunkId> ids = ids(seed, 500);
        final RangeDigests inOrder = digestsOf(ids);
        final List<ChunkId> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        final RangeDigests reordered = digestsOf(shuffled);
        assertEqual(inOrder, reordered, "seed " + seed);
    }

    @Test
    void shouldTellSetsThatDifferByOneIdApartInThatRangeOnly()
    {
        final List<ChunkId> ids = ids(42, 200);
        final RangeDigests all = digestsOf(ids);
        final RangeDigests lessOne = digestsOf(ids.subList(1, ids.size()));
        final int range = all.rangeOf(ids.get(0));
        for (int r = 0; r < all.rangeCount(); r++)
        {
            final boolean same = all.lane0(r) == lessOne.lane0(r) && all.lane1(r) == lessOne.lane1(r) &&
                all.count(r) == lessOne.count(r);
            assertThat(same).as("range %s", r).isEqualTo(r != range);
        }
        assertThat(all.count(range)).isEqualTo(lessOne.count(range) + 1);
    }

    @Test
    void shouldUndoAnAddWithARemovalAndRememberQuarantinedIds()
    {
        final List<ChunkId> ids = ids(7, 100);
        final RangeDigests digests = digestsOf(ids.subList(0, 50));
        final RangeDigests expected = digestsOf(ids.subList(0, 50));
        for (final ChunkId id : ids.subList(50, 100))
        {
            digests.onChunkAdded(id);
        }
        for (final ChunkId id : ids.subList(50, 100))
        {
            digests.onChunkRemoved(id, true);
        }
        assertEqual(expected, digests, "after add and remove");
        final int range = digests.rangeOf(ids.get(60));
        assertThat(digests.quarantinedCount(range)).isPositive();
        final List<ChunkId> quarantined = new ArrayList<>();
        digests.forEachQuarantined(range, quarantined::add);
        assertThat(quarantined).contains(ids.get(60)).allMatch(id -> digests.rangeOf(id) == range);

        digests.onChunkAdded(ids.get(60));
        assertThat(digests.quarantinedCount(range)).isEqualTo(quarantined.size() - 1);
    }

    @Test
    void shouldDependOnTheKey()
    {
        final ChunkId id = ids(3, 1).get(0);
        assertThat(KEY.lane0(id)).isNotEqualTo(DigestKey.of(null).lane0(id));
        assertThat(KEY.lane0(id)).isNotEqualTo(KEY.lane1(id));
    }

    @Test
    void shouldFollowTheStoreThroughItsListenerAndMatchARebuild() throws IOException
    {
        try (ChunkStore chunks = ChunkStore.open(directory, new Disk(), 1024 * 1024, 1))
        {
            final RangeDigests live = new RangeDigests(KEY);
            chunks.indexListener(live);
            live.rebuild(ring, chunks);
            final ChunkCodec codec = new ChunkCodec();
            final SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < 30; i++)
            {
                final byte[] raw = new byte[1000];
                random.nextBytes(raw);
                chunks.put(codec.hash(raw, raw.length), raw, raw.length, codec);
                chunks.put(codec.hash(raw, raw.length), raw, raw.length, codec);
            }
            final RangeDigests rebuilt = new RangeDigests(KEY);
            rebuilt.rebuild(ring, chunks);
            assertEqual(rebuilt, live, "listener against rebuild");
            long total = 0;
            for (int r = 0; r < live.rangeCount(); r++)
            {
                total += live.count(r);
            }
            assertThat(total).isEqualTo(30);
        }
    }

    private RangeDigests digestsOf(final List<ChunkId> ids)
    {
        final RangeDigests digests = new RangeDigests(KEY);
        digests.rebuild(ring, emptyStore());
        for (final ChunkId id : ids)
        {
            digests.onChunkAdded(id);
        }
        return digests;
    }

    private ChunkStore emptyStore()
    {
        try (ChunkStore store = ChunkStore.open(directory.resolve("empty"), new Disk(), 1024 * 1024, 1))
        {
            return store;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static void assertEqual(final RangeDigests expected, final RangeDigests actual, final String what)
    {
        assertThat(actual.rangeCount()).isEqualTo(expected.rangeCount());
        for (int r = 0; r < expected.rangeCount(); r++)
        {
            assertThat(actual.lane0(r)).as("%s, range %s", what, r).isEqualTo(expected.lane0(r));
            assertThat(actual.lane1(r)).as("%s, range %s", what, r).isEqualTo(expected.lane1(r));
            assertThat(actual.count(r)).as("%s, range %s", what, r).isEqualTo(expected.count(r));
        }
    }

    private static List<ChunkId> ids(final long seed, final int count)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final byte[] bytes = new byte[ChunkId.LENGTH];
            random.nextBytes(bytes);
            ids.add(ChunkId.of(bytes));
        }
        return ids;
    }
}
