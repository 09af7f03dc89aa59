package io.rfs.store.write;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class FixedStreamChunkSourceTest
{
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
}
