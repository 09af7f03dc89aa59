package io.rfs.store.write;

import io.rfs.store.DiskFullException;
import io.rfs.store.InvalidInputException;
import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.ChunkingPolicy;
import io.rfs.store.chunk.Sha256;
import io.rfs.store.chunkstore.ChunkCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PutPipelineTest
{
    private static final int CHUNK = 4096;
    /** More than the workers, so that every worker runs beside the calling thread's digest on any machine. */
    private static final int PROCESSORS = 8;

    private final ExecutorService executor = Executors.newFixedThreadPool(3);
    private final ThreadLocal<ChunkCodec> codecs = ThreadLocal.withInitial(ChunkCodec::new);

    @TempDir
    Path dir;

    @AfterEach
    void shutDown()
    {
        executor.shutdownNow();
    }

    @Test
    void shouldCutStreamsAndFilesIntoTheSameChunksWithAnyWorkersAndBuffers() throws IOException
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 40; round++)
        {
            final int size = random.nextInt(0, 30 * CHUNK);
            final int workers = random.nextInt(1, 4);
            final int window = random.nextInt(1, 5);
            final byte[] content = new byte[size];
            random.nextBytes(content);
            final String context = "seed " + seed + " round " + round + " size " + size + " workers " + workers +
                " window " + window;
            final RecordingSink sink = new RecordingSink();
            final PutPipeline pipeline = new PutPipeline(sink, executor, codecs::get, window, workers, PROCESSORS);
            final Path file = dir.resolve("f" + round);
            Files.write(file, content);

            final MessageDigest streamDigest = Sha256.newDigest();
            final ChunkList fromStream = pipeline.chunk(
                new ByteArrayInputStream(content), ChunkingPolicy.fixed(CHUNK), streamDigest, bytes -> {});
            final MessageDigest shortReadsDigest = Sha256.newDigest();
            final ChunkList fromShortReads = pipeline.chunk(
                shortReads(content, random.split()), ChunkingPolicy.fixed(CHUNK), shortReadsDigest, bytes -> {});
            final MessageDigest fileDigest = Sha256.newDigest();
            final ChunkList fromFile;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
            {
                fromFile = pipeline.chunk(channel, ChunkingPolicy.fixed(CHUNK), fileDigest, bytes -> {});
            }

            final List<ChunkId> expected = expectedIds(content);
            assertThat(Arrays.asList(fromStream.ids())).as(context).isEqualTo(expected);
            assertThat(Arrays.asList(fromFile.ids())).as(context).isEqualTo(expected);
            assertThat(Arrays.asList(fromShortReads.ids())).as(context).isEqualTo(expected);
            assertThat(shortReadsDigest.digest()).as(context).isEqualTo(Sha256.digest(content));
            assertThat(fromFile.lengths()).as(context).isEqualTo(fromStream.lengths());
            assertThat(fromFile.size()).as(context).isEqualTo(size);
            assertThat(streamDigest.digest()).as(context).isEqualTo(Sha256.digest(content));
            assertThat(fileDigest.digest()).as(context).isEqualTo(Sha256.digest(content));
            assertThat(sink.misnamed.get()).as(context + ": chunks whose bytes do not hash to their id").isZero();
        }
    }

    @Test
    void shouldReportProgressOnTheCallingThreadAddingUpToTheSize() throws IOException
    {
        final byte[] content = new byte[17 * CHUNK + 3];
        new SplittableRandom(5).nextBytes(content);
        final Path file = dir.resolve("f");
        Files.write(file, content);
        final PutPipeline pipeline = new PutPipeline(new RecordingSink(), executor, codecs::get, 3, 2, PROCESSORS);
        final Thread caller = Thread.currentThread();
        final List<Thread> threads = new ArrayList<>();
        final long[] total = new long[1];

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            pipeline.chunk(channel, ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(), bytes ->
            {
                threads.add(Thread.currentThread());
                total[0] += bytes;
            });
        }
        pipeline.chunk(new ByteArrayInputStream(content), ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(), bytes ->
        {
            threads.add(Thread.currentThread());
            total[0] += bytes;
        });

        assertThat(total[0]).isEqualTo(2L * content.length);
        assertThat(threads).isNotEmpty().allMatch(thread -> thread == caller);
    }

    @Test
    void shouldFailWithTheSinksErrorAndStayUsable() throws IOException
    {
        final byte[] content = new byte[40 * CHUNK];
        new SplittableRandom(3).nextBytes(content);
        final Path file = dir.resolve("f");
        Files.write(file, content);
        final AtomicInteger accepted = new AtomicInteger();
        final RecordingSink sink = new RecordingSink()
        {
            @Override
            public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
                throws IOException
            {
                if (accepted.incrementAndGet() == 7)
                {
                    throw new DiskFullException("no space left (simulated)", null);
                }
                super.accept(id, raw, length, codec);
            }
        };
        final PutPipeline pipeline = new PutPipeline(sink, executor, codecs::get, 4, 3, PROCESSORS);

        assertThatThrownBy(() -> pipeline.chunk(
            new ByteArrayInputStream(content), ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(), bytes -> {}))
            .isInstanceOf(DiskFullException.class);
        accepted.set(-1_000_000);
        final ChunkList after = pipeline.chunk(
            new ByteArrayInputStream(content), ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(), bytes -> {});
        assertThat(Arrays.asList(after.ids())).isEqualTo(expectedIds(content));

        accepted.set(0);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            assertThatThrownBy(() -> pipeline.chunk(channel, ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(),
                bytes -> {})).isInstanceOf(DiskFullException.class);
        }
        accepted.set(-1_000_000);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ChunkList again = pipeline.chunk(channel, ChunkingPolicy.fixed(CHUNK), null, bytes -> {});
            assertThat(Arrays.asList(again.ids())).isEqualTo(expectedIds(content));
        }
    }

    @Test
    void shouldFailWithTheStreamsErrorAndNotReadItAgain() throws IOException
    {
        final byte[] content = new byte[20 * CHUNK];
        final AtomicInteger readsAfterFailure = new AtomicInteger();
        final InputStream failing = failingAt(content, 9 * CHUNK + 100, 1000, readsAfterFailure);
        final PutPipeline pipeline = new PutPipeline(new RecordingSink(), executor, codecs::get, 4, 3, PROCESSORS);

        assertThatThrownBy(() -> pipeline.chunk(failing, ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(),
            bytes -> {})).isInstanceOf(IOException.class).hasMessageContaining("device gone");
        assertThat(readsAfterFailure.get()).isZero();
    }

    @Test
    void shouldFailWithATypedErrorWhenTheFileIsTruncatedDuringThePut() throws IOException
    {
        final byte[] content = new byte[40 * CHUNK];
        new SplittableRandom(9).nextBytes(content);
        final Path file = dir.resolve("f");
        Files.write(file, content);
        final AtomicInteger accepted = new AtomicInteger();
        final RecordingSink truncating = new RecordingSink()
        {
            @Override
            public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
                throws IOException
            {
                if (accepted.incrementAndGet() == 3)
                {
                    try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE))
                    {
                        writer.truncate(CHUNK + 100);
                    }
                }
                super.accept(id, raw, length, codec);
            }
        };
        // One worker: it reads chunk 3 after the truncation.
        final PutPipeline pipeline = new PutPipeline(truncating, executor, codecs::get, 2, 1, PROCESSORS);

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            assertThatThrownBy(() -> pipeline.chunk(channel, ChunkingPolicy.fixed(CHUNK), Sha256.newDigest(),
                bytes -> {})).isInstanceOf(InvalidInputException.class).hasMessageContaining("shrank");
        }
    }

    /**
     * A stream whose reads return 1 to 1500 bytes (short of a piece, a piece, more), as pipes and sockets do.
     */
    static InputStream shortReads(final byte[] content, final SplittableRandom random)
    {
        return new InputStream()
        {
            private int position;

            @Override
            public int read()
            {
                return position < content.length ? content[position++] & 0xFF : -1;
            }

            @Override
            public int read(final byte[] dst, final int offset, final int length)
            {
                if (position == content.length)
                {
                    return -1;
                }
                final int n = Math.min(Math.min(length, content.length - position), random.nextInt(1, 1500));
                System.arraycopy(content, position, dst, offset, n);
                position += n;
                return n;
            }
        };
    }

    /**
     * A stream of {@code content} whose reads return at most {@code maxRead} bytes and that fails with an
     * {@link IOException} once {@code failAt} bytes have been read, counting the reads made after that.
     */
    static InputStream failingAt(
        final byte[] content, final int failAt, final int maxRead, final AtomicInteger readsAfterFailure)
    {
        return new InputStream()
        {
            private int position;
            private boolean failed;

            @Override
            public int read()
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(final byte[] dst, final int offset, final int length) throws IOException
            {
                if (failed)
                {
                    readsAfterFailure.incrementAndGet();
                }
                if (position >= failAt)
                {
                    failed = true;
                    throw new IOException("device gone (simulated)");
                }
                final int n = Math.min(Math.min(length, maxRead), failAt - position);
                System.arraycopy(content, position, dst, offset, n);
                position += n;
                return n;
            }
        };
    }

    private static List<ChunkId> expectedIds(final byte[] content)
    {
        final List<ChunkId> ids = new ArrayList<>();
        for (int offset = 0; offset < content.length; offset += CHUNK)
        {
            ids.add(ChunkId.of(Sha256.digest(
                Arrays.copyOfRange(content, offset, Math.min(content.length, offset + CHUNK)))));
        }
        return ids;
    }

    /**
     * Checks that every chunk it is given hashes to its id.
     */
    private static class RecordingSink implements ChunkSink
    {
        final AtomicInteger misnamed = new AtomicInteger();
        final ConcurrentHashMap<ChunkId, Boolean> seen = new ConcurrentHashMap<>();

        @Override
        public void accept(final ChunkId id, final byte[] raw, final int length, final ChunkCodec codec)
            throws IOException
        {
            if (!ChunkId.of(Sha256.digest(Arrays.copyOf(raw, length))).equals(id))
            {
                misnamed.incrementAndGet();
            }
            seen.put(id, Boolean.TRUE);
        }

        @Override
        public void force()
        {
        }
    }
}
