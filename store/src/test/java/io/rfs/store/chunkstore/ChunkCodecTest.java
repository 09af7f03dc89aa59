package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.rfs.store.chunkstore.ChunkCodec.COPY_BLOCK_BYTES;
import static org.assertj.core.api.Assertions.assertThat;

class ChunkCodecTest
{
    @ParameterizedTest
    @ValueSource(ints = {1, COPY_BLOCK_BYTES - 1, COPY_BLOCK_BYTES, COPY_BLOCK_BYTES + 1, 3 * COPY_BLOCK_BYTES + 5})
    void shouldCopyAChunkOutOfADirectBufferAndNameItsBytes(final int length)
    {
        final long seed = length;
        final byte[] bytes = new byte[length + 100];
        new SplittableRandom(seed).nextBytes(bytes);
        final ByteBuffer src = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        final byte[] dst = new byte[length + 7];
        final ChunkCodec codec = new ChunkCodec();

        final ChunkId id = codec.copyAndHash(src, 37, dst, length);

        final byte[] chunk = Arrays.copyOfRange(bytes, 37, 37 + length);
        assertThat(Arrays.copyOf(dst, length)).as("seed %d", seed).isEqualTo(chunk);
        assertThat(id).as("seed %d", seed).isEqualTo(ChunkId.of(Sha256.digest(chunk)));
        assertThat(codec.hash(chunk, length)).as("the codec's digest is reset after each chunk").isEqualTo(id);
        assertThat(src.position()).isZero();
    }
}
