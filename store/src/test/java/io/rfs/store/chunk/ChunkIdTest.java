package io.rfs.store.chunk;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkIdTest
{
    @Test
    void shouldRoundTripThroughBytesBuffersAndHex() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++)
        {
            final byte[] digest = new byte[32];
            random.nextBytes(digest);
            final ChunkId id = ChunkId.of(digest);

            assertThat(id.toBytes()).isEqualTo(digest);
            assertThat(ChunkId.parse(id.toHex())).isEqualTo(id);
            assertThat(id.matches(digest, 0)).isTrue();

            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[40]);
            id.write(buffer, 8);
            assertThat(ChunkId.read(buffer, 8)).isEqualTo(id);
            assertThat(id.matches(buffer, 8)).isTrue();
        }
    }

    @Test
    void shouldPrintLikeSha256sum() throws Exception
    {
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest("abc".getBytes());
        assertThat(ChunkId.of(digest).toHex())
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ChunkId.of(digest).prefix()).isEqualTo(0xba7816bf8f01cfeaL);
    }

    @Test
    void shouldOrderAsUnsignedBytes()
    {
        final ChunkId low = ChunkId.parse("00" + "ff".repeat(31));
        final ChunkId high = ChunkId.parse("ff" + "00".repeat(31));
        assertThat(low).isLessThan(high);
        assertThat(low.matches(high.toBytes(), 0)).isFalse();
    }

    @Test
    void shouldRejectWrongLengths()
    {
        assertThatThrownBy(() -> ChunkId.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChunkId.parse("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
