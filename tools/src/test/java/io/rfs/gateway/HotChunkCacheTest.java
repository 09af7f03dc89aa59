package io.rfs.gateway;

import io.rfs.store.chunk.ChunkId;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class HotChunkCacheTest
{
    private static ChunkId idOf(final byte[] bytes) throws NoSuchAlgorithmException
    {
        return ChunkId.of(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] chunk(final int fill, final int length)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)fill);
        return bytes;
    }

    @Test
    void shouldAnswerAnOfferedChunkWithACopyOfItsBytes() throws Exception
    {
        final HotChunkCache cache = new HotChunkCache(1024);
        final byte[] raw = chunk(7, 100);
        final ChunkId id = idOf(raw);
        final byte[] target = new byte[200];

        assertThat(cache.read(id, 100, target)).isFalse();
        cache.offer(id, raw, 100);
        Arrays.fill(raw, (byte)0); // the client reuses its array: the cache must have copied
        assertThat(cache.read(id, 100, target)).isTrue();

        assertThat(Arrays.copyOf(target, 100)).isEqualTo(chunk(7, 100));
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedToStayWithinCapacity() throws Exception
    {
        final HotChunkCache cache = new HotChunkCache(300);
        final byte[] a = chunk(1, 100);
        final byte[] b = chunk(2, 100);
        final byte[] c = chunk(3, 100);
        final byte[] d = chunk(4, 100);
        final byte[] target = new byte[100];
        cache.offer(idOf(a), a, 100);
        cache.offer(idOf(b), b, 100);
        cache.offer(idOf(c), c, 100);
        assertThat(cache.read(idOf(a), 100, target)).isTrue(); // a is now the most recently used

        cache.offer(idOf(d), d, 100);

        assertThat(cache.sizeBytes()).isEqualTo(300);
        assertThat(cache.chunks()).isEqualTo(3);
        assertThat(cache.read(idOf(b), 100, target)).as("least recently used").isFalse();
        assertThat(cache.read(idOf(a), 100, target)).isTrue();
        assertThat(cache.read(idOf(c), 100, target)).isTrue();
        assertThat(cache.read(idOf(d), 100, target)).isTrue();
    }

    @Test
    void shouldNotKeepAChunkLargerThanItsCapacity() throws Exception
    {
        final HotChunkCache cache = new HotChunkCache(50);
        final byte[] big = chunk(9, 100);

        cache.offer(idOf(big), big, 100);

        assertThat(cache.chunks()).isZero();
        assertThat(cache.read(idOf(big), 100, new byte[100])).isFalse();
    }

    @Test
    void shouldMissWhenTheLengthAskedForIsNotTheCachedOne() throws Exception
    {
        final HotChunkCache cache = new HotChunkCache(1024);
        final byte[] raw = chunk(5, 64);
        cache.offer(idOf(raw), raw, 64);

        assertThat(cache.read(idOf(raw), 65, new byte[65])).isFalse();
    }
}
