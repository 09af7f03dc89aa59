package io.rfs.store;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.log.Disk;
import io.rfs.store.manifest.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.rfs.store.LocalFileStoreTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Puts from a file, which in fixed-size chunking are read by the workers in parallel rather than as a
 * stream: the same chunks, ids and file digest as a stream put of the same bytes, at every chunk boundary, with
 * any number of workers and buffers in flight.
 */
class FilePutTest
{
    private static final int CHUNK = 64 * 1024;

    @TempDir
    Path dir;

    private LocalFileStore open(final String name, final ChunkingPolicy chunking, final int workers, final int inFlight)
        throws IOException
    {
        return open(name, chunking, workers, inFlight, new Disk());
    }

    private LocalFileStore open(
        final String name, final ChunkingPolicy chunking, final int workers, final int inFlight, final Disk disk)
        throws IOException
    {
        return LocalFileStore.open(new LocalStoreContext()
            .dataDirectory(dir.resolve(name))
            .chunking(chunking)
            .workerThreads(workers)
            .chunksInFlight(inFlight)
            .chunkSegmentCapacity(8 * 1024 * 1024)
            .manifestSegmentCapacity(1024 * 1024)
            .disk(disk));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 37 * CHUNK + 5})
    void shouldRoundTripFilePutsAtEveryChunkBoundaryAcrossReopen(final int size) throws IOException
    {
        final byte[] content = random(size, size);
        final Path source = write("in.bin", content);
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 3))
        {
            final long[] progress = new long[1];
            final FileStat stat = store.put("f", source, bytes -> progress[0] += bytes);

            assertThat(stat.size()).isEqualTo(size);
            assertThat(stat.sha256()).isEqualTo(HexFormat.of().formatHex(Sha256.digest(content)));
            assertThat(stat.chunkCount()).isEqualTo((size + CHUNK - 1) / CHUNK);
            assertThat(progress[0]).as("progress adds up to the size").isEqualTo(size);
            assertThat(read(store, "f")).isEqualTo(content);
        }
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 3))
        {
            assertThat(read(store, "f")).isEqualTo(content);
            assertThat(store.verify(List.of(), TransferListener.NONE).isClean()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, CHUNK - 1, CHUNK, CHUNK + 1, 37 * CHUNK + 5})
    void shouldGiveTheSameChunkIdsAndFileDigestThroughStreamAndFile(final int size) throws IOException
    {
        final byte[] content = random(31L * size, size);
        final Path source = write("in.bin", content);
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 6))
        {
            store.put("stream", new ByteArrayInputStream(content), TransferListener.NONE);
            store.put("file", source, TransferListener.NONE);

            final Manifest fromStream = store.manifestStore().current("stream");
            final Manifest fromFile = store.manifestStore().current("file");
            assertThat(fromFile.sha256()).isEqualTo(fromStream.sha256()).isEqualTo(Sha256.digest(content));
            assertThat(fromFile.size()).isEqualTo(fromStream.size());
            assertThat(chunkIds(fromFile)).isEqualTo(chunkIds(fromStream));
            assertThat(lengths(fromFile)).isEqualTo(lengths(fromStream));
        }
    }

    @Test
    void shouldPutFilesWithOneBufferInFlightAndMoreWorkersThanBuffers() throws IOException
    {
        final byte[] content = random(7, 23 * CHUNK + 100);
        final Path source = write("in.bin", content);
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 4, 1))
        {
            final FileStat first = store.put("f", source, TransferListener.NONE);
            final FileStat second = store.put("g", source, TransferListener.NONE);

            assertThat(second.sha256()).isEqualTo(first.sha256());
            assertThat(read(store, "f")).isEqualTo(content);
            assertThat(read(store, "g")).isEqualTo(content);
        }
    }

    @Test
    void shouldPutFilesWithContentDefinedChunkingLikeStreams() throws IOException
    {
        final byte[] content = random(11, 3 * 1024 * 1024 + 321);
        final Path source = write("in.bin", content);
        try (LocalFileStore store = open("data", ChunkingPolicy.contentDefined(16 * 1024, 64 * 1024, 256 * 1024), 2, 6))
        {
            store.put("stream", new ByteArrayInputStream(content), TransferListener.NONE);
            store.put("file", source, TransferListener.NONE);

            final Manifest fromStream = store.manifestStore().current("stream");
            final Manifest fromFile = store.manifestStore().current("file");
            assertThat(fromFile.sha256()).isEqualTo(Sha256.digest(content));
            assertThat(chunkIds(fromFile)).isEqualTo(chunkIds(fromStream));
            assertThat(read(store, "file")).isEqualTo(content);
        }
    }

    @Test
    void shouldKeepThePreviousVersionWhenTheDiskFillsDuringAFilePut() throws IOException
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
        final Path bigger = write("bigger.bin", random(4, 300 * CHUNK));
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 6, disk))
        {
            store.put("f", write("original.bin", original), TransferListener.NONE);
            full[0] = true;

            assertThatThrownBy(() -> store.put("f", bigger, TransferListener.NONE))
                .isInstanceOf(DiskFullException.class);
            assertThat(read(store, "f")).isEqualTo(original);

            full[0] = false;
            final byte[] after = random(5, 5 * CHUNK + 1);
            store.put("g", write("after.bin", after), TransferListener.NONE);
            assertThat(read(store, "g")).as("the pipeline still works after a failed put").isEqualTo(after);
        }
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 6))
        {
            assertThat(read(store, "f")).isEqualTo(original);
        }
    }

    @Test
    void shouldRejectAMissingFileWithATypedError() throws IOException
    {
        try (LocalFileStore store = open("data", ChunkingPolicy.fixed(CHUNK), 2, 6))
        {
            assertThatThrownBy(() -> store.put("f", dir.resolve("absent.bin"), TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("absent.bin");
            assertThatThrownBy(() -> store.put("f", dir, TransferListener.NONE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("directory");
        }
    }

    private Path write(final String name, final byte[] content) throws IOException
    {
        final Path path = dir.resolve(name);
        Files.write(path, content);
        return path;
    }

    private static List<ChunkId> chunkIds(final Manifest manifest)
    {
        final List<ChunkId> ids = new ArrayList<>();
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            ids.add(manifest.chunkId(i));
        }
        return ids;
    }

    private static List<Integer> lengths(final Manifest manifest)
    {
        final List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < manifest.chunkCount(); i++)
        {
            lengths.add(manifest.chunkLength(i));
        }
        return lengths;
    }

    private static byte[] read(final FileStore store, final String name) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.get(name, out, TransferListener.NONE);
        return out.toByteArray();
    }
}
