package io.rfs.store.chunkstore;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferPoolTest
{
    @Test
    void shouldHandOutTheMostRecentlyReleasedBufferFirst() throws Exception
    {
        final BufferPool pool = new BufferPool(3, 16);
        final byte[] a = pool.take();
        final byte[] b = pool.take();
        pool.release(a);

        assertThat(pool.take()).isSameAs(a);
        pool.release(b);
        assertThat(pool.take()).isSameAs(b);
    }

    @Test
    void shouldBlockTakersUntilABufferIsReleased() throws Exception
    {
        final BufferPool pool = new BufferPool(1, 16);
        final byte[] only = pool.take();
        final CompletableFuture<byte[]> waiting = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return pool.take();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(waiting).isNotDone();

        pool.release(only);

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isSameAs(only);
    }

    @Test
    void shouldBeIdleOnlyWithEveryBufferBackAndTheSameShape() throws Exception
    {
        final BufferPool pool = new BufferPool(2, 16);
        assertThat(pool.isIdle(2, 16)).isTrue();
        assertThat(pool.isIdle(2, 32)).isFalse();
        assertThat(pool.isIdle(3, 16)).isFalse();

        final byte[] taken = pool.take();
        assertThat(pool.isIdle(2, 16)).isFalse();
        pool.release(taken);
        assertThat(pool.isIdle(2, 16)).isTrue();
        assertThatThrownBy(() -> pool.release(new byte[16])).isInstanceOf(IllegalStateException.class);
    }
}
