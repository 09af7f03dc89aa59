package io.rfs.store.chunkstore;

import io.rfs.store.CorruptChunkException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.log.StoredRecord;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.rfs.store.log.RecordDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkStoreTest
{
    private static final int CAPACITY = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldReportOnlyTheChunksWhosePrefixPassesTheFilter() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final List<ChunkId> ids = new ArrayList<>();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            for (int i = 0; i < 40; i++)
            {
                final byte[] raw = random(i, 100);
                ids.add(codec.hash(raw, raw.length));
                store.put(ids.get(i), raw, raw.length, codec);
            }
            final List<ChunkId> negative = new ArrayList<>();
            store.forEachChunk(prefix -> prefix < 0, negative::add);
            final List<ChunkId> all = new ArrayList<>();
            store.forEachChunk(all::add);

            assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(negative).containsExactlyInAnyOrderElementsOf(
                ids.stream().filter(id -> id.prefix() < 0).toList()).isNotEmpty();
        }
    }

    @Test
    void shouldOpenAndServeChunksStoredTwiceAsAnInterruptedCompactionLeavesThem() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final List<byte[]> chunks = new ArrayList<>();
        final List<ChunkId> ids = new ArrayList<>();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            for (int i = 0; i < 3; i++)
            {
                final byte[] raw = random(i, 10_000);
                chunks.add(raw);
                ids.add(codec.hash(raw, raw.length));
                store.put(ids.get(i), raw, raw.length, codec);
            }
            store.force();
        }
        copyEveryRecordToANewSegment();

        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.recoveryReport().records()).isEqualTo(6);
            assertThat(store.size()).isEqualTo(3);
            for (int i = 0; i < 3; i++)
            {
                final byte[] dst = new byte[10_000];
                assertThat(store.read(ids.get(i), dst, codec)).isEqualTo(10_000);
                assertThat(dst).isEqualTo(chunks.get(i));
            }

            store.compact(prefix -> true, 0);
            assertThat(store.size()).isEqualTo(3);
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.recoveryReport().records()).as("compaction dropped the stale copies").isEqualTo(3);
        }
    }

    @Test
    void shouldOpenWhenTwoChunkIdsShareAPrefix() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] raw = random(1, 1000);
        final ChunkId id = codec.hash(raw, raw.length);
        final byte[] twinBytes = id.toBytes();
        twinBytes[ChunkId.LENGTH - 1] ^= 1;
        final ChunkId twin = ChunkId.of(twinBytes);
        assertThat(twin.prefix()).isEqualTo(id.prefix());
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(id, raw, raw.length, codec);
            store.put(twin, raw, raw.length, codec);
            store.force();
        }

        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.contains(id)).isTrue();
            assertThat(store.contains(twin)).isTrue();
            final byte[] dst = new byte[1000];
            assertThat(store.read(id, dst, codec)).isEqualTo(1000);
            assertThat(dst).isEqualTo(raw);
        }
    }

    @Test
    void shouldLocateAChunkWhereItIsStoredCompressedOrNot() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] compressible = new byte[50_000];
        final byte[] incompressible = random(2, 20_000);
        final ChunkId compressibleId = codec.hash(compressible, compressible.length);
        final ChunkId incompressibleId = codec.hash(incompressible, incompressible.length);
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(compressibleId, compressible, compressible.length, codec);
            store.put(incompressibleId, incompressible, incompressible.length, codec);
            final StoredRecord record = new StoredRecord();

            assertThat(store.locate(compressibleId, record)).isTrue();
            assertThat(record.isCompressed()).isTrue();
            assertThat(record.rawLength()).isEqualTo(compressible.length);
            final byte[] stored = new byte[record.storedLength()];
            record.buffer().getBytes(record.payloadOffset(), stored);
            final byte[] raw = new byte[record.rawLength()];
            assertThat(codec.decompress(stored, stored.length, raw, raw.length)).isTrue();
            assertThat(raw).isEqualTo(compressible);

            assertThat(store.locate(incompressibleId, record)).isTrue();
            assertThat(record.isCompressed()).isFalse();
            assertThat(record.storedLength()).isEqualTo(incompressible.length);
            final byte[] copy = new byte[record.storedLength()];
            record.buffer().getBytes(record.payloadOffset(), copy);
            assertThat(copy).isEqualTo(incompressible);

            assertThat(store.locate(codec.hash(new byte[1], 1), record)).isFalse();
        }
    }

    @Test
    void shouldQuarantineARecordWhoseHeaderFailsWhenLocated() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] raw = random(3, 4_000);
        final ChunkId id = codec.hash(raw, raw.length);
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(id, raw, raw.length, codec);
            store.force();
            final StoredRecord record = new StoredRecord();
            assertThat(store.locate(id, record)).isTrue();
            final int headerOffset = SegmentLog.offset(record.location());
            ((MutableDirectBuffer)record.buffer()).putInt(headerOffset + RAW_LENGTH_OFFSET, 3_999);

            assertThatThrownBy(() -> store.locate(id, record)).isInstanceOf(CorruptChunkException.class)
                .hasMessageContaining("record header fails its checks");
            assertThat(store.contains(id)).isFalse();
            assertThat(store.quarantined()).containsExactly(id);
            assertThat(store.locate(id, record)).isFalse();
        }
    }

    @Test
    void shouldTellItsListenerOfEveryIdThatBecomesOrStopsBeingHeldAndOfNothingElse() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final List<String> events = new ArrayList<>();
        final ChunkId[] ids = new ChunkId[3];
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.indexListener(new ChunkIndexListener()
            {
                @Override
                public void onChunkAdded(final ChunkId id)
                {
                    events.add("added " + id.toShortHex());
                }

                @Override
                public void onChunkRemoved(final ChunkId id, final boolean quarantined)
                {
                    events.add((quarantined ? "quarantined " : "dropped ") + id.toShortHex());
                }
            });
            for (int i = 0; i < ids.length; i++)
            {
                final byte[] raw = random(10 + i, 4_000);
                ids[i] = codec.hash(raw, raw.length);
                store.put(ids[i], raw, raw.length, codec);
                store.put(ids[i], raw, raw.length, codec);
            }
            store.force();
            final StoredRecord record = new StoredRecord();
            assertThat(store.locate(ids[0], record)).isTrue();
            ((MutableDirectBuffer)record.buffer()).putInt(SegmentLog.offset(record.location()) + RAW_LENGTH_OFFSET, 1);
            assertThatThrownBy(() -> store.locate(ids[0], record)).isInstanceOf(CorruptChunkException.class);
            assertThat(store.locate(ids[0], record)).as("quarantined: no longer held").isFalse();
            store.compact(prefix -> prefix != ids[1].prefix(), 0);
        }
        assertThat(events).containsExactly(
            "added " + ids[0].toShortHex(), "added " + ids[1].toShortHex(), "added " + ids[2].toShortHex(),
            "quarantined " + ids[0].toShortHex(), "dropped " + ids[1].toShortHex());
    }

    @Test
    void shouldStoreAPayloadAsItCameAndReadItBackVerified() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] raw = new byte[30_000];
        Arrays.fill(raw, 10_000, 20_000, (byte)7);
        final ChunkId id = codec.hash(raw, raw.length);
        final int compressedLength = codec.compress(raw, raw.length);
        assertThat(compressedLength).isPositive();
        final byte[] compressed = Arrays.copyOf(codec.compressed(), compressedLength);
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.putStored(id, raw.length, true, compressed, 0, compressed.length)).isTrue();
            assertThat(store.putStored(id, raw.length, true, compressed, 0, compressed.length)).isFalse();
            store.force();
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            final byte[] dst = new byte[raw.length];
            assertThat(store.read(id, dst, codec)).isEqualTo(raw.length);
            assertThat(dst).isEqualTo(raw);
            final StoredRecord record = new StoredRecord();
            assertThat(store.locate(id, record)).isTrue();
            assertThat(record.isCompressed()).isTrue();
            assertThat(record.storedLength()).isEqualTo(compressedLength);
        }
    }

    @Test
    void shouldNotHoldADroppedChunkAfterReopening() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] kept = random(20, 5_000);
        final byte[] dropped = random(21, 5_000);
        final ChunkId keptId = codec.hash(kept, kept.length);
        final ChunkId droppedId = codec.hash(dropped, dropped.length);
        final List<String> events = new ArrayList<>();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(keptId, kept, kept.length, codec);
            store.put(droppedId, dropped, dropped.length, codec);
            store.force();
            store.indexListener(new ChunkIndexListener()
            {
                @Override
                public void onChunkAdded(final ChunkId id)
                {
                    events.add("added " + id.toShortHex());
                }

                @Override
                public void onChunkRemoved(final ChunkId id, final boolean quarantined)
                {
                    events.add((quarantined ? "quarantined " : "dropped ") + id.toShortHex());
                }
            });

            assertThat(store.drop(droppedId)).isTrue();
            assertThat(store.drop(droppedId)).as("no longer held").isFalse();
            assertThat(store.contains(droppedId)).isFalse();
            assertThat(store.locate(droppedId, new StoredRecord())).isFalse();
        }
        assertThat(events).containsExactly("dropped " + droppedId.toShortHex());

        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.contains(droppedId)).isFalse();
            assertThat(store.contains(keptId)).isTrue();
            assertThat(store.size()).isEqualTo(1);
            assertThat(store.quarantined()).as("a drop is not a quarantine").isEmpty();
            assertThat(store.garbageBytes()).as("recovery counts the dropped record").isEqualTo(recordLength(5_000));
        }
    }

    @Test
    void shouldCountTheHeldChunksRecordBytesButNotDroppedOrDuplicateCopiesBeforeAndAfterRecovery() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final int[] lengths = {5_000, 3_000, 7_000};
        final List<ChunkId> ids = new ArrayList<>();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            for (int i = 0; i < lengths.length; i++)
            {
                final byte[] raw = random(30 + i, lengths[i]);
                ids.add(codec.hash(raw, raw.length));
                store.put(ids.get(i), raw, raw.length, codec);
                assertThat(store.put(ids.get(i), raw, raw.length, codec)).as("already held").isFalse();
            }
            assertThat(store.heldBytes()).as("random chunks are stored uncompressed")
                .isEqualTo(recordLength(5_000) + recordLength(3_000) + recordLength(7_000));

            assertThat(store.drop(ids.get(0))).isTrue();
            assertThat(store.heldBytes()).isEqualTo(recordLength(3_000) + recordLength(7_000));
            store.force();
        }
        copyEveryRecordToANewSegment();

        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.size()).isEqualTo(2);
            assertThat(store.heldBytes()).as("recovery counts the last of each held chunk's two copies, once")
                .isEqualTo(recordLength(3_000) + recordLength(7_000));
        }
    }

    @Test
    void shouldHoldAChunkPutAgainAfterItWasDropped() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] raw = random(22, 5_000);
        final ChunkId id = codec.hash(raw, raw.length);
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(id, raw, raw.length, codec);
            store.drop(id);
            assertThat(store.put(id, raw, raw.length, codec)).as("stored afresh").isTrue();
            store.force();
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            final byte[] dst = new byte[raw.length];
            assertThat(store.read(id, dst, codec)).isEqualTo(raw.length);
            assertThat(dst).isEqualTo(raw);
            assertThat(store.drop(id)).isTrue();
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.contains(id)).as("dropped again, after the re-put").isFalse();
        }
    }

    @Test
    void shouldNotBringBackAnOlderCopyOfADroppedChunk() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final byte[] raw = random(23, 5_000);
        final ChunkId id = codec.hash(raw, raw.length);
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            store.put(id, raw, raw.length, codec);
            store.force();
        }
        copyEveryRecordToANewSegment();
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.recoveryReport().records()).isEqualTo(2);
            assertThat(store.drop(id)).isTrue();
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.contains(id)).as("the older copy stays hidden behind the dropped one").isFalse();
        }
    }

    @Test
    void shouldReclaimTheBytesOfDroppedChunksWhenCompacting() throws IOException
    {
        final ChunkCodec codec = new ChunkCodec();
        final ChunkId[] ids = new ChunkId[8];
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            for (int i = 0; i < ids.length; i++)
            {
                final byte[] raw = random(30 + i, 20_000);
                ids[i] = codec.hash(raw, raw.length);
                store.put(ids[i], raw, raw.length, codec);
            }
            store.force();
            final boolean[] dropped = new boolean[5];
            assertThat(store.drop(List.of(ids[0], ids[2], ids[4], ids[6], ids[0]), dropped)).isEqualTo(4);
            assertThat(dropped).containsExactly(true, true, true, true, false);

            assertThat(store.garbageBytes()).isEqualTo(4L * recordLength(20_000));

            final CompactionReport report = store.compact(prefix -> true, 0);

            assertThat(report.chunksDropped()).as("dropped chunks are garbage, not unreferenced live ones").isZero();
            assertThat(store.garbageBytes()).isZero();
            assertThat(report.bytesAfter()).isLessThan(report.bytesBefore() - 3 * 20_000);
            assertThat(store.size()).isEqualTo(4);
        }
        try (ChunkStore store = ChunkStore.open(dir, new Disk(), CAPACITY, 1))
        {
            assertThat(store.size()).isEqualTo(4);
            for (int i = 0; i < ids.length; i++)
            {
                assertThat(store.contains(ids[i])).isEqualTo(i % 2 == 1);
            }
        }
    }

    /**
     * Leaves the log as a compaction killed after forcing its copies and before deleting the old segment does:
     * every chunk in two places.
     */
    private void copyEveryRecordToANewSegment() throws IOException
    {
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (location, buffer, offset) -> {}))
        {
            log.roll();
            final int sealed = log.segmentIds().get(0);
            log.forEach(sealed, (location, buffer, offset) ->
            {
                final int storedLength = buffer.getInt(offset + STORED_LENGTH_OFFSET);
                final byte[] payload = new byte[storedLength];
                final byte[] key = new byte[KEY_LENGTH];
                buffer.getBytes(offset + HEADER_LENGTH, payload);
                buffer.getBytes(offset + KEY_OFFSET, key);
                try
                {
                    log.append(buffer.getByte(offset + TYPE_OFFSET), buffer.getShort(offset + FLAGS_OFFSET), key,
                        buffer.getInt(offset + RAW_LENGTH_OFFSET), payload, 0, storedLength,
                        buffer.getInt(offset + PAYLOAD_CRC_OFFSET));
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            log.force();
            assertThat(log.segmentIds()).hasSize(2);
        }
    }

    private static byte[] random(final long seed, final int size)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }
}
