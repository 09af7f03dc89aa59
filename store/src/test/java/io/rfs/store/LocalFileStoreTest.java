package io.rfs.store;

import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.CompactionReport;
import io.rfs.store.log.Disk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFileStoreTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private LocalFileStore open() throws IOException
    {
        return open(new Disk());
    }

    private LocalFileStore open(final Disk disk) throws IOException
    {
        return LocalFileStore.open(new LocalStoreContext()
            .dataDirectory(dir.resolve("data"))
            .chunking(ChunkingPolicy.fixed(CHUNK))
            .chunkSegmentCapacity(1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .disk(disk));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 17, 3 * 1024 * 1024 + 5})
    void shouldRoundTripFilesOfEverySizeAcrossReopen(final int size) throws IOException
    {
        final byte[] content = random(size, size);
        try (LocalFileStore store = open())
        {
            final FileStat stat = store.put("f", new ByteArrayInputStream(content), TransferListener.NONE);
            assertThat(stat.size()).isEqualTo(size);
            assertThat(stat.sha256()).isEqualTo(HexFormat.of().formatHex(Sha256.digest(content)));
            assertThat(stat.chunkCount()).isEqualTo((size + CHUNK - 1) / CHUNK);
            assertThat(read(store, "f")).isEqualTo(content);
        }
        try (LocalFileStore store = open())
        {
            assertThat(read(store, "f")).isEqualTo(content);
            assertThat(store.verify(List.of(), TransferListener.NONE).isClean()).isTrue();
        }
    }

    @Test
    void shouldTellTheSinkTheVersionBeforeAnyByteAndNotCallItForAMissingFile() throws IOException
    {
        final byte[] content = random(2, 3 * CHUNK + 5);
        try (LocalFileStore store = open())
        {
            final FileStat put = store.put("f", new ByteArrayInputStream(content), TransferListener.NONE);
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final List<FileStat> told = new java.util.ArrayList<>();
            final FileStat read = store.get("f", version ->
            {
                assertThat(out.size()).as("no byte before the version is known").isZero();
                told.add(version);
                return out;
            }, TransferListener.NONE);
            assertThat(told).containsExactly(read);
            assertThat(read.sha256()).isEqualTo(put.sha256());
            assertThat(out.toByteArray()).isEqualTo(content);
            assertThatThrownBy(() -> store.get("missing", version ->
            {
                throw new AssertionError("called for a missing file");
            }, TransferListener.NONE)).isInstanceOf(UnknownFileException.class);
        }
    }

    @Test
    void shouldRoundTripThroughLocalFiles() throws IOException
    {
        final Path source = dir.resolve("in.bin");
        Files.write(source, random(1, 300_000));
        final Path target = dir.resolve("out.bin");
        try (LocalFileStore store = open())
        {
            store.put("docs/in.bin", source, TransferListener.NONE);
            store.get("docs/in.bin", target, TransferListener.NONE);
        }
        assertThat(Files.readAllBytes(target)).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void shouldServeTheNewestVersionAndDeduplicateChunks() throws IOException
    {
        try (LocalFileStore store = open())
        {
            final byte[] first = random(1, 10 * CHUNK);
            final byte[] second = first.clone();
            second[3] ^= 1;
            store.put("f", new ByteArrayInputStream(first), TransferListener.NONE);
            final int chunksAfterFirst = store.chunkStore().size();
            store.put("f", new ByteArrayInputStream(second), TransferListener.NONE);

            assertThat(read(store, "f")).isEqualTo(second);
            assertThat(store.chunkStore().size()).as("only the changed chunk is new").isEqualTo(chunksAfterFirst + 1);
        }
    }

    @Test
    void shouldListByPrefixAndHideDeletedFiles() throws IOException
    {
        try (LocalFileStore store = open())
        {
            for (final String name : List.of("a/1", "a/2", "b/1", "a/3"))
            {
                store.put(name, new ByteArrayInputStream(name.getBytes()), TransferListener.NONE);
            }
            store.delete("a/2");

            assertThat(store.list("a/").stream().map(FileStat::name)).containsExactly("a/1", "a/3");
            assertThat(store.list("").stream().map(FileStat::name)).containsExactly("a/1", "a/3", "b/1");
            assertThatThrownBy(() -> store.stat("a/2")).isInstanceOf(UnknownFileException.class);
            assertThatThrownBy(() -> read(store, "a/2")).isInstanceOf(UnknownFileException.class);
            assertThatThrownBy(() -> store.delete("a/2")).isInstanceOf(UnknownFileException.class);
        }
        try (LocalFileStore store = open())
        {
            assertThat(store.list("").stream().map(FileStat::name)).containsExactly("a/1", "a/3", "b/1");
        }
    }

    @Test
    void shouldRejectBadNamesAndInputsWithTypedErrors() throws IOException
    {
        try (LocalFileStore store = open())
        {
            final InputStream empty = new ByteArrayInputStream(new byte[0]);
            assertThatThrownBy(() -> store.put("", empty, TransferListener.NONE))
                .isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.put("a/../b", empty, TransferListener.NONE))
                .isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.put("x", dir.resolve("missing"), TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no such file");
            assertThatThrownBy(() -> store.put("x", dir, TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("directory");
            assertThatThrownBy(() -> store.stat("nope")).isInstanceOf(UnknownFileException.class);
            assertThat(store.list("")).isEmpty();
        }
    }

    @Test
    void shouldRefuseASecondOpenOfTheSameDirectory() throws IOException
    {
        try (LocalFileStore store = open())
        {
            assertThatThrownBy(this::open).isInstanceOf(StoreLockedException.class)
                .hasMessageContaining("in use by another rfs process");
        }
        open().close();
    }

    @Test
    void shouldKeepThePreviousVersionWhenTheDiskFillsDuringAPut() throws IOException
    {
        final boolean[] full = new boolean[1];
        final Disk disk = new Disk()
        {
            @Override
            public void reserve(final Path file, final long offset, final long length) throws IOException
            {
                if (full[0])
                {
                    throw new DiskFullException("no space left (simulated)", null);
                }
                super.reserve(file, offset, length);
            }
        };
        final byte[] original = random(3, 2 * CHUNK);
        try (LocalFileStore store = open(disk))
        {
            store.put("f", new ByteArrayInputStream(original), TransferListener.NONE);
            full[0] = true;
            assertThatThrownBy(() -> store.put("f", new ByteArrayInputStream(random(4, 40 * CHUNK)),
                TransferListener.NONE)).isInstanceOf(DiskFullException.class);
            assertThat(read(store, "f")).isEqualTo(original);
            full[0] = false;
        }
        try (LocalFileStore store = open())
        {
            assertThat(read(store, "f")).isEqualTo(original);
        }
    }

    @Test
    void shouldKeepThePreviousVersionWhenForceFails() throws IOException
    {
        final boolean[] failing = new boolean[1];
        final Disk disk = new Disk()
        {
            @Override
            public void force(final Path file, final java.nio.channels.FileChannel channel) throws IOException
            {
                if (failing[0])
                {
                    throw new IOException("EIO (simulated)");
                }
                super.force(file, channel);
            }
        };
        final byte[] original = random(5, CHUNK + 3);
        try (LocalFileStore store = open(disk))
        {
            store.put("f", new ByteArrayInputStream(original), TransferListener.NONE);
            failing[0] = true;
            assertThatThrownBy(() -> store.put("f", new ByteArrayInputStream(random(6, 3 * CHUNK)),
                TransferListener.NONE)).hasMessageContaining("EIO");
            failing[0] = false;
            assertThat(read(store, "f")).isEqualTo(original);
        }
    }

    @Test
    void shouldNeverReturnACorruptChunkAndReportItInVerify() throws IOException
    {
        final byte[] content = random(8, 4 * CHUNK);
        try (LocalFileStore store = open())
        {
            store.put("f", new ByteArrayInputStream(content), TransferListener.NONE);
            store.put("g", new ByteArrayInputStream(random(9, CHUNK)), TransferListener.NONE);
        }
        flipByteInChunkPayloads(100_000);

        try (LocalFileStore store = open())
        {
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThatThrownBy(() -> store.get("f", out, TransferListener.NONE))
                .isInstanceOf(CorruptChunkException.class).hasMessageContaining("on node 1");
            assertThat(out.size()).as("nothing from the corrupt chunk on").isLessThan(content.length);

            final VerifyReport report = store.verify(List.of(), TransferListener.NONE);
            assertThat(report.files()).isEqualTo(2);
            assertThat(report.isClean()).isFalse();
            assertThat(report.problems()).extracting(VerifyReport.Problem::file).containsOnly("f");
            assertThat(report.corrupt() + report.missing()).isEqualTo(1);
            assertThat(read(store, "g")).hasSize(CHUNK);
        }
        try (LocalFileStore store = open())
        {
            assertThat(store.chunkStore().quarantined()).hasSize(1);
            final VerifyReport report = store.verify(List.of("f"), TransferListener.NONE);
            assertThat(report.missing()).as("quarantined stays out after reopen").isEqualTo(1);
            // Putting the same content again heals the file.
            store.put("f", new ByteArrayInputStream(content), TransferListener.NONE);
            assertThat(read(store, "f")).isEqualTo(content);
            assertThat(store.verify(List.of(), TransferListener.NONE).isClean()).isTrue();
        }
    }

    @Test
    void shouldOpenATruncatedSegmentAndReportOnlyTheChunksItLost() throws IOException
    {
        final byte[] early = random(11, 3 * CHUNK);
        final byte[] late = random(12, 20 * CHUNK);
        try (LocalFileStore store = open())
        {
            store.put("early", new ByteArrayInputStream(early), TransferListener.NONE);
            store.put("late", new ByteArrayInputStream(late), TransferListener.NONE);
        }
        final Path first;
        try (Stream<Path> files = Files.list(dir.resolve("data/chunks")))
        {
            first = files.sorted().findFirst().orElseThrow();
        }
        // Cut the first (sealed) segment in the middle of its tenth record, as a damaged copy or a bad restore might.
        try (RandomAccessFile file = new RandomAccessFile(first.toFile(), "rw"))
        {
            file.setLength(9L * (CHUNK + 64) + 1000);
        }

        try (LocalFileStore store = open())
        {
            assertThat(read(store, "early")).isEqualTo(early);
            final VerifyReport report = store.verify(List.of(), TransferListener.NONE);
            assertThat(report.problems()).extracting(VerifyReport.Problem::file).containsOnly("late");
            assertThat(report.missing()).isPositive();
            store.put("after", new ByteArrayInputStream(random(13, 2 * CHUNK)), TransferListener.NONE);
            assertThat(read(store, "after")).hasSize(2 * CHUNK);
        }
    }

    @Test
    void shouldReclaimSpaceOfDeletedFilesAndKeepLiveOnes() throws IOException
    {
        try (LocalFileStore store = open())
        {
            final byte[] keep = random(10, 6 * CHUNK);
            store.put("keep", new ByteArrayInputStream(keep), TransferListener.NONE);
            for (int i = 0; i < 5; i++)
            {
                store.put("tmp" + i, new ByteArrayInputStream(random(20 + i, 8 * CHUNK)), TransferListener.NONE);
            }
            for (int i = 0; i < 5; i++)
            {
                store.delete("tmp" + i);
            }
            final CompactionReport report = store.compact();

            assertThat(report.chunksDropped()).isEqualTo(40);
            assertThat(report.bytesAfter()).isLessThan(report.bytesBefore() / 3);
            assertThat(read(store, "keep")).isEqualTo(keep);
            assertThat(store.verify(List.of(), TransferListener.NONE).isClean()).isTrue();
        }
        try (LocalFileStore store = open())
        {
            assertThat(store.list("").stream().map(FileStat::name)).containsExactly("keep");
            assertThat(store.verify(List.of(), TransferListener.NONE).isClean()).isTrue();
        }
    }

    @Test
    void shouldStoreCompressibleDataCompressed() throws IOException
    {
        final byte[] text = "the quick brown fox jumps over the lazy dog\n".repeat(50_000).getBytes();
        try (LocalFileStore store = open())
        {
            store.put("t", new ByteArrayInputStream(text), TransferListener.NONE);
            assertThat(read(store, "t")).isEqualTo(text);
        }
        assertThat(chunkBytesOnDisk()).isLessThan(text.length / 4);
    }

    private long chunkBytesOnDisk() throws IOException
    {
        try (Stream<Path> files = Files.list(dir.resolve("data/chunks")))
        {
            long total = 0;
            for (final Path p : files.toList())
            {
                total += Files.size(p) == 0 ? 0 : usedBytes(p);
            }
            return total;
        }
    }

    private static long usedBytes(final Path segment) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(segment);
        int last = bytes.length - 1;
        while (last >= 0 && bytes[last] == 0)
        {
            last--;
        }
        return last + 1;
    }

    private void flipByteInChunkPayloads(final int offset) throws IOException
    {
        final Path segment;
        try (Stream<Path> files = Files.list(dir.resolve("data/chunks")))
        {
            segment = files.sorted().findFirst().orElseThrow();
        }
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw"))
        {
            file.seek(offset);
            final int b = file.read();
            file.seek(offset);
            file.write(b ^ 0x40);
        }
    }

    static byte[] random(final long seed, final int size)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(final FileStore store, final String name) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.get(name, out, TransferListener.NONE);
        return out.toByteArray();
    }
}
