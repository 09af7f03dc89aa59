package io.rfs.store.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static io.rfs.store.log.RecordDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;

class SegmentLogTest
{
    private static final int CAPACITY = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverEveryAppendedRecordInOrder() throws IOException
    {
        final List<byte[]> written = new ArrayList<>();
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            final SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < 50; i++)
            {
                final byte[] payload = new byte[random.nextInt(0, 100_000)];
                random.nextBytes(payload);
                written.add(payload);
                append(log, payload, (byte)i);
            }
            log.force();
        }

        final List<byte[]> recovered = readAll();
        assertThat(recovered).hasSize(written.size());
        for (int i = 0; i < written.size(); i++)
        {
            assertThat(recovered.get(i)).as("record %d", i).isEqualTo(written.get(i));
        }
        assertThat(segmentFiles()).as("50 records of ~50 KB span several 1 MiB segments").hasSizeGreaterThan(1);
    }

    @Test
    void shouldCutTornTailAndKeepAppendingAfterIt() throws IOException
    {
        long lastLocation;
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            append(log, new byte[]{1, 2, 3}, (byte)1);
            lastLocation = append(log, new byte[1000], (byte)2);
            log.force();
        }
        // Tear the second record: keep its header, garble its payload, as a crash mid-copy would.
        final Path segment = segmentFiles().get(0);
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            file.seek(SegmentLog.offset(lastLocation) + HEADER_LENGTH + 500);
            file.write(new byte[]{9, 9, 9, 9});
        }

        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            assertThat(log.recoveryReport().records()).isEqualTo(1);
            assertThat(log.recoveryReport().tornTailBytes()).isGreaterThan(0);
            append(log, new byte[]{4, 5}, (byte)3);
            log.force();
        }
        final List<byte[]> recovered = readAll();
        assertThat(recovered).containsExactly(new byte[]{1, 2, 3}, new byte[]{4, 5});
    }

    @Test
    void shouldSkipACorruptHeaderInTheMiddleAndKeepLaterRecords() throws IOException
    {
        final long[] locations = new long[3];
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            for (int i = 0; i < 3; i++)
            {
                locations[i] = append(log, new byte[]{(byte)i, (byte)i}, (byte)i);
            }
            log.roll();
            log.force();
        }
        try (RandomAccessFile file = new RandomAccessFile(segmentFiles().get(0).toFile(), "rw"))
        {
            file.seek(SegmentLog.offset(locations[1]) + STORED_LENGTH_OFFSET);
            file.write(0x7F);
        }

        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            assertThat(log.recoveryReport().corruptRegions()).isEqualTo(1);
        }
        assertThat(readAll()).containsExactly(new byte[]{0, 0}, new byte[]{2, 2});
    }

    @Test
    void shouldShareOneForceAmongAppendsMadeBeforeIt() throws IOException
    {
        final int[] forces = new int[1];
        final Disk countingDisk = new Disk()
        {
            @Override
            public void force(final Path file, final java.nio.channels.FileChannel channel) throws IOException
            {
                forces[0]++;
                super.force(file, channel);
            }
        };
        try (SegmentLog log = SegmentLog.open(dir, countingDisk, CAPACITY, (l, b, o) -> {}))
        {
            final int before = forces[0];
            for (int i = 0; i < 10; i++)
            {
                append(log, new byte[100], (byte)0);
            }
            log.force();
            log.force();
            assertThat(forces[0] - before).isEqualTo(1);
        }
    }

    @Test
    void shouldGiveARecordLargerThanASegmentASegmentOfItsOwn() throws IOException
    {
        final byte[] big = new byte[3 * CAPACITY + 5];
        new SplittableRandom(3).nextBytes(big);
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            append(log, new byte[]{1}, (byte)1);
            append(log, big, (byte)2);
            append(log, new byte[]{3}, (byte)3);
            log.force();
        }
        assertThat(readAll()).containsExactly(new byte[]{1}, big, new byte[]{3});
    }

    @Test
    void shouldUnmapEverySegmentWhenClosedSoReopeningDoesNotLeakMappings() throws IOException
    {
        for (int open = 0; open < 5; open++)
        {
            try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
            {
                append(log, new byte[300_000], (byte)open);
                log.force();
                assertThat(mappingsOf(dir)).as("open log %d maps its segments", open).isPositive();
            }
            assertThat(mappingsOf(dir)).as("mappings left after close %d", open).isZero();
        }
    }

    @Test
    void shouldCopyAboutOneBudgetPerCompactionStepAndTakeTheVictimsOutOnlyAtTheFinish() throws IOException
    {
        final int recordBytes = recordLength(10_000);
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            for (int i = 0; i < 40; i++)
            {
                append(log, new byte[10_000], (byte)i);
            }
            final List<Long> moves = new ArrayList<>();
            final long[] reclaimed = {-1};
            final SegmentCompaction compaction = log.startCompaction((l, b, o) -> true, 0, 8, (l, b, o) -> true,
                (from, to) -> moves.add(to), bytes -> reclaimed[0] = bytes);
            assertThat(compaction.step(3 * recordBytes)).as("the first step chooses the victims").isFalse();
            assertThat(compaction.recordsCopied()).isZero();
            assertThat(compaction.segments()).as("the 40 records' one segment, sealed by the start").isEqualTo(1);
            final List<Integer> victims = List.of(log.segmentIds().get(0));

            long copiedBefore = 0;
            while (!compaction.step(3 * recordBytes))
            {
                assertThat(compaction.recordsCopied() - copiedBefore).as("a budget of three records").isEqualTo(3);
                copiedBefore = compaction.recordsCopied();
                assertThat(log.segmentIds()).as("victims stay until the finish").containsAll(victims);
            }
            compaction.finish();
            assertThat(log.segmentIds()).doesNotContainAnyElementsOf(victims);
            assertThat(segmentFiles()).as("the victim renamed").hasSize(1);
            final Path retired = dir.resolve(String.format("%010d.seg.retired", victims.get(0)));
            final long retiredLength = Files.size(retired);
            int releaseSteps = 0;
            while (!compaction.release(CAPACITY / 4))
            {
                releaseSteps++;
            }

            assertThat(releaseSteps).as("a file of %d bytes freed 256 KiB at a time", retiredLength)
                .isEqualTo((int)((retiredLength - 1) / (CAPACITY / 4)));
            assertThat(retired).doesNotExist();
            try (var files = Files.list(dir))
            {
                assertThat(files.count()).as("the retired file deleted").isEqualTo(1);
            }
            assertThat(compaction.recordsCopied()).isEqualTo(40);
            assertThat(compaction.steps()).as("choosing, 14 copy steps and the release steps")
                .isEqualTo(1 + 14 + releaseSteps + 1);
            assertThat(moves).hasSize(40).allMatch(to -> SegmentLog.segmentId(to) > victims.get(victims.size() - 1));
            assertThat(log.segmentIds()).doesNotContainAnyElementsOf(victims);
            assertThat(reclaimed[0]).as("every record kept").isZero();
        }
        assertThat(readAll()).hasSize(40);
    }

    /**
     * @return how many of this process's memory mappings are of files under the directory.
     */
    static long mappingsOf(final Path directory) throws IOException
    {
        final String prefix = directory.toRealPath().toString();
        try (var lines = Files.lines(Path.of("/proc/self/maps")))
        {
            return lines.filter(line -> line.contains(prefix)).count();
        }
    }

    private static long append(final SegmentLog log, final byte[] payload, final byte keyByte) throws IOException
    {
        final byte[] key = new byte[KEY_LENGTH];
        key[0] = keyByte;
        return log.append(TYPE_CHUNK, (short)0, key, payload.length, payload, 0, payload.length,
            SegmentLog.payloadCrc(payload, 0, payload.length));
    }

    private List<byte[]> readAll() throws IOException
    {
        final List<byte[]> records = new ArrayList<>();
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (location, buffer, offset) ->
        {
            final byte[] payload = new byte[buffer.getInt(offset + STORED_LENGTH_OFFSET)];
            buffer.getBytes(offset + HEADER_LENGTH, payload);
            records.add(payload);
        }))
        {
            return records;
        }
    }

    private List<Path> segmentFiles() throws IOException
    {
        try (var stream = Files.list(dir))
        {
            return stream.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }
}
