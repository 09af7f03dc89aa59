package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.log.Disk;
import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.SegmentLog;
import io.rfs.store.manifest.ManifestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HintStoreTest
{
    @TempDir
    Path directory;

    @Test
    void shouldReplayPendingHintsAndForgetDeliveredOnesOnReopen() throws IOException
    {
        final Hint chunk;
        final Hint manifest;
        try (HintStore hints = open(10))
        {
            chunk = hints.addChunk(2, id(1));
            final Hint delivered = hints.addChunk(3, id(2));
            manifest = hints.addManifest(2, "dir/file é.txt", 123_456L, 7);
            assertThat(hints.markDelivered(delivered.location())).isTrue();
            assertThat(hints.markDelivered(delivered.location())).as("twice").isFalse();
            hints.force();
        }

        try (HintStore hints = open(10))
        {
            assertThat(hints.pendingHints()).containsExactly(chunk, manifest);
            assertThat(hints.get(manifest.location()).name()).isEqualTo("dir/file é.txt");
            assertThat(hints.get(manifest.location()).versionTimestamp()).isEqualTo(123_456L);
            assertThat(hints.corruptRecords()).isZero();
        }
    }

    @Test
    void shouldKnowAChunkIsHintedForSomeOwnerUntilEveryHintOfItIsDeliveredAndAfterAReopen() throws IOException
    {
        try (HintStore hints = open(10))
        {
            final Hint forTwo = hints.addChunk(2, id(1));
            final Hint forThree = hints.addChunk(3, id(1));
            hints.addChunk(2, id(5));
            assertThat(hints.containsChunk(id(1))).isTrue();

            hints.markDelivered(forTwo.location());
            assertThat(hints.containsChunk(id(1))).as("still hinted for node 3").isTrue();
            hints.markDelivered(forThree.location());
            assertThat(hints.containsChunk(id(1))).isFalse();
            hints.force();
        }
        try (HintStore hints = open(10))
        {
            assertThat(hints.containsChunk(id(1))).isFalse();
            assertThat(hints.containsChunk(id(5))).isTrue();
        }
    }

    @Test
    void shouldKnowAManifestIsHintedForSomeOwnerUntilItsHintIsDeliveredAndAfterAReopen() throws IOException
    {
        try (HintStore hints = open(10))
        {
            final Hint forTwo = hints.addManifest(2, "a", 1, 1);
            hints.addManifest(3, "b", 1, 1);
            hints.addChunk(2, ChunkId.of(ManifestStore.nameKey("c")));
            assertThat(hints.containsManifest("a")).isTrue();
            assertThat(hints.containsManifest("c")).as("a chunk hint is not a manifest's").isFalse();

            hints.markDelivered(forTwo.location());
            assertThat(hints.containsManifest("a")).isFalse();
            hints.force();
        }
        try (HintStore hints = open(10))
        {
            assertThat(hints.containsManifest("a")).isFalse();
            assertThat(hints.containsManifest("b")).isTrue();
        }
    }

    @Test
    void shouldKeepOneHintPerTargetAndKeyAndCountTowardsTheBound() throws IOException
    {
        try (HintStore hints = open(2))
        {
            final Hint first = hints.addChunk(2, id(1));

            assertThat(hints.addChunk(2, id(1))).isSameAs(first);
            assertThat(hints.addChunk(3, id(1))).isNotEqualTo(first);
            assertThat(hints.isFull()).isTrue();
            assertThat(hints.containsChunk(2, id(1))).isTrue();
            assertThat(hints.containsChunk(2, id(9))).isFalse();
            final Hint manifest = hints.addManifest(2, "a", 1, 1);
            assertThat(hints.addManifest(2, "a", 2, 1)).as("a newer version").isSameAs(manifest);
            assertThat(hints.containsManifest(2, "a")).isTrue();
            assertThat(hints.containsManifest(3, "a")).isFalse();
        }
    }

    @Test
    void shouldDropATornTailAndSkipARottenRecordOnOpen() throws IOException
    {
        final List<Hint> added = new ArrayList<>();
        try (HintStore hints = open(10))
        {
            for (int i = 0; i < 4; i++)
            {
                added.add(hints.addChunk(2, id(i)));
            }
            hints.force();
        }
        flipPayloadByte(added.get(1).location());
        flipPayloadByte(added.get(3).location());

        try (HintStore hints = open(10))
        {
            assertThat(hints.pendingHints()).as("torn tail zeroed, rot skipped")
                .containsExactly(added.get(0), added.get(2));
            assertThat(hints.corruptRecords()).isEqualTo(1);
        }
    }

    @Test
    void shouldDeleteOldSegmentsOnceTheirHintsAreDeliveredAndNotBringThemBack() throws IOException
    {
        final int count = 3 * HintStore.SEGMENT_CAPACITY / RecordDescriptor.recordLength(HintDescriptor.NAME_OFFSET);
        final List<Hint> added = new ArrayList<>();
        try (HintStore hints = open(count))
        {
            for (int i = 0; i < count; i++)
            {
                added.add(hints.addChunk(2, id(i)));
            }
            assertThat(segmentFiles()).isGreaterThanOrEqualTo(3);
            for (int i = 0; i < count - 1; i++)
            {
                hints.markDelivered(added.get(i).location());
            }
            hints.force();
            final int lastHintSegment = SegmentLog.segmentId(added.get(count - 1).location());
            assertThat(lastHintSegment).isGreaterThanOrEqualTo(3);
            assertThat(oldestSegmentId()).as("segments before the last pending hint's are deleted")
                .isEqualTo(lastHintSegment);
        }

        try (HintStore hints = open(count))
        {
            assertThat(hints.pendingHints()).containsExactly(added.get(count - 1));
        }
    }

    private HintStore open(final int maxHints) throws IOException
    {
        return HintStore.open(directory, new Disk(), maxHints);
    }

    private long segmentFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(p -> p.toString().endsWith(".seg")).count();
        }
    }

    private int oldestSegmentId() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".seg"))
                .mapToInt(n -> Integer.parseInt(n.substring(0, n.length() - 4))).min().orElseThrow();
        }
    }

    private void flipPayloadByte(final long location) throws IOException
    {
        final Path segment = directory.resolve(String.format("%010d.seg", SegmentLog.segmentId(location)));
        final long at = SegmentLog.offset(location) + RecordDescriptor.HEADER_LENGTH + 1;
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, at);
            one.put(0, (byte)(one.get(0) ^ 1)).rewind();
            channel.write(one, at);
        }
    }

    private static ChunkId id(final int n)
    {
        final byte[] bytes = new byte[ChunkId.LENGTH];
        bytes[0] = (byte)n;
        bytes[1] = (byte)(n >>> 8);
        bytes[2] = (byte)(n >>> 16);
        return ChunkId.of(bytes);
    }
}
