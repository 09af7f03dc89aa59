package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FixedStreamChunkSourceTest
{
    private static final int CHUNK = 3 * FixedStreamChunkSource.PIECE_BYTES + 100;

    @Test
    void shouldNameEveryChunkByItsSha256WhenPartOfItsHashIsLeftUntilTheStreamIsReleased() throws IOException
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 60; round++)
        {
            final int readers = random.nextInt(1, 5);
            final int chunkSize = random.nextInt(64, 5 * FixedStreamChunkSource.PIECE_BYTES);
            final byte[] content = new byte[random.nextInt(0, 12 * chunkSize)];
            random.nextBytes(content);
            final String context = "seed " + seed + " round " + round + " readers " + readers + " chunkSize " +
                chunkSize + " size " + content.length;
            final FixedStreamChunkSource source = new FixedStreamChunkSource(
                PutPipelineTest.shortReads(content, random.split()), chunkSize, readers);
            final byte[] buffer = new byte[chunkSize];

            int offset = 0;
            int chunks = 0;
            try (ChunkSource.Reader reader = source.newReader())
            {
                while (reader.next(buffer))
                {
                    final int length = Math.min(chunkSize, content.length - offset);
                    assertThat(reader.sequence).as(context).isEqualTo(chunks);
                    assertThat(reader.length).as(context).isEqualTo(length);
                    assertThat(reader.id).as(context + " chunk " + chunks)
                        .isEqualTo(ChunkId.of(Sha256.digest(Arrays.copyOfRange(content, offset, offset + length))));
                    offset += length;
                    chunks++;
                }
            }
            assertThat(offset).as(context).isEqualTo(content.length);
            assertThat(source.chunkCount()).as(context).isEqualTo(chunks);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldEndWithAShortLastChunkOfTheBytesLeftWhenReadersTakeTurns(final int readers) throws IOException
    {
        for (final int last : new int[]{1, 63, 64, 65, FixedStreamChunkSource.PIECE_BYTES + 1, CHUNK - 1, CHUNK})
        {
            final byte[] content = new byte[5 * CHUNK + last];
            new SplittableRandom(last).nextBytes(content);
            final FixedStreamChunkSource source = new FixedStreamChunkSource(
                new ByteArrayInputStream(content), CHUNK, readers);
            final List<ChunkSource.Reader> turns = new ArrayList<>();
            for (int i = 0; i < readers; i++)
            {
                turns.add(source.newReader());
            }
            final byte[] buffer = new byte[CHUNK];

            int chunks = 0;
            while (turns.get(chunks % readers).next(buffer))
            {
                final ChunkSource.Reader reader = turns.get(chunks % readers);
                final int offset = chunks * CHUNK;
                final int length = Math.min(CHUNK, content.length - offset);
                assertThat(reader.sequence).as("last " + last).isEqualTo(chunks);
                assertThat(reader.length).as("last " + last).isEqualTo(length);
                assertThat(reader.id).as("last " + last + " chunk " + chunks)
                    .isEqualTo(ChunkId.of(Sha256.digest(Arrays.copyOfRange(content, offset, offset + length))));
                chunks++;
            }
            assertThat(chunks).as("last " + last).isEqualTo(6);
            assertThat(source.chunkCount()).as("last " + last).isEqualTo(6);
            for (final ChunkSource.Reader reader : turns)
            {
                assertThat(reader.next(buffer)).as("last " + last).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldHandOutNoChunkAndReadNoMoreWhenTheStreamIsEmpty(final int readers) throws IOException
    {
        final AtomicInteger reads = new AtomicInteger();
        final InputStream empty = new InputStream()
        {
            @Override
            public int read()
            {
                reads.incrementAndGet();
                return -1;
            }

            @Override
            public int read(final byte[] dst, final int offset, final int length)
            {
                reads.incrementAndGet();
                return -1;
            }
        };
        final FixedStreamChunkSource source = new FixedStreamChunkSource(empty, CHUNK, readers);
        final byte[] buffer = new byte[CHUNK];

        assertThat(source.chunkCount()).isEqualTo(-1);
        for (int i = 0; i < readers; i++)
        {
            assertThat(source.newReader().next(buffer)).isFalse();
        }
        assertThat(source.chunkCount()).isZero();
        assertThat(reads.get()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void shouldFailTheChunkWhoseReadFailsAndHandOutNoMoreWhenTheStreamFailsMidChunk(final int readers)
        throws IOException
    {
        final byte[] content = new byte[4 * CHUNK];
        new SplittableRandom(readers).nextBytes(content);
        final int failAt = 2 * CHUNK + FixedStreamChunkSource.PIECE_BYTES + 7;
        final AtomicInteger readsAfterFailure = new AtomicInteger();
        final InputStream failing = PutPipelineTest.failingAt(content, failAt, CHUNK, readsAfterFailure);
        final FixedStreamChunkSource source = new FixedStreamChunkSource(failing, CHUNK, readers);
        final List<ChunkSource.Reader> turns = new ArrayList<>();
        for (int i = 0; i < readers; i++)
        {
            turns.add(source.newReader());
        }
        final byte[] buffer = new byte[CHUNK];

        assertThat(turns.get(0).next(buffer)).isTrue();
        assertThat(turns.get(1 % readers).next(buffer)).isTrue();
        final ChunkSource.Reader failed = turns.get(2 % readers);
        assertThatThrownBy(() -> failed.next(buffer)).isInstanceOf(IOException.class)
            .hasMessageContaining("device gone");
        for (final ChunkSource.Reader reader : turns)
        {
            assertThat(reader.next(buffer)).isFalse();
        }
        assertThat(readsAfterFailure.get()).isZero();
        assertThat(source.chunkCount()).isEqualTo(-1);
    }

    @Test
    void shouldNameEveryChunkByItsSha256WhenReadersRunOnTheirOwnThreads() throws Exception
    {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final ExecutorService executor = Executors.newFixedThreadPool(4);
        try
        {
            for (int round = 0; round < 20; round++)
            {
                final int readers = random.nextInt(2, 5);
                final byte[] content = new byte[random.nextInt(0, 200 * CHUNK)];
                random.nextBytes(content);
                final String context = "seed " + seed + " round " + round + " readers " + readers + " size " +
                    content.length;
                final int expectedChunks = (content.length + CHUNK - 1) / CHUNK;
                final FixedStreamChunkSource source = new FixedStreamChunkSource(
                    PutPipelineTest.shortReads(content, random.split()), CHUNK, readers);
                final AtomicReferenceArray<ChunkId> ids = new AtomicReferenceArray<>(expectedChunks);
                final AtomicReferenceArray<Integer> lengths = new AtomicReferenceArray<>(expectedChunks);
                final AtomicInteger misnamed = new AtomicInteger();
                final List<Future<?>> workers = new ArrayList<>();
                for (int i = 0; i < readers; i++)
                {
                    workers.add(executor.submit(() ->
                    {
                        final byte[] buffer = new byte[CHUNK];
                        try (ChunkSource.Reader reader = source.newReader())
                        {
                            while (reader.next(buffer))
                            {
                                if (!ChunkId.of(Sha256.digest(Arrays.copyOf(buffer, reader.length))).equals(reader.id))
                                {
                                    misnamed.incrementAndGet();
                                }
                                ids.set(reader.sequence, reader.id);
                                lengths.set(reader.sequence, reader.length);
                            }
                        }
                        return null;
                    }));
                }
                for (final Future<?> worker : workers)
                {
                    worker.get(60, TimeUnit.SECONDS);
                }

                assertThat(source.chunkCount()).as(context).isEqualTo(expectedChunks);
                assertThat(misnamed.get()).as(context + ": buffers whose bytes do not hash to their id").isZero();
                for (int i = 0; i < expectedChunks; i++)
                {
                    final int offset = i * CHUNK;
                    final int length = Math.min(CHUNK, content.length - offset);
                    assertThat(lengths.get(i)).as(context + " chunk " + i).isEqualTo(length);
                    assertThat(ids.get(i)).as(context + " chunk " + i)
                        .isEqualTo(ChunkId.of(Sha256.digest(Arrays.copyOfRange(content, offset, offset + length))));
                }
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }
}
