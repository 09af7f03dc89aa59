package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkTouchesTest
{
    private static final long GRACE_NS = 1_000;

    @Test
    void shouldCountAChunkNeverTouchedAsTouchedWhenTheStoreOpened()
    {
        final ChunkTouches touches = new ChunkTouches(5_000, 7);

        assertThat(touches.lastTouchedNs(id(1))).isEqualTo(5_000);
        assertThat(touches.isIdle(id(1), 6_000, GRACE_NS)).isFalse();
        assertThat(touches.isIdle(id(1), 6_001, GRACE_NS)).isTrue();
        assertThat(touches.size()).isZero();
    }

    @Test
    void shouldMakeATouchedChunkWaitAFullGraceAgain()
    {
        final ChunkTouches touches = new ChunkTouches(0, 7);
        touches.touch(id(1), 10_000);

        assertThat(touches.isIdle(id(1), 10_500, GRACE_NS)).isFalse();
        assertThat(touches.isIdle(id(1), 11_001, GRACE_NS)).isTrue();
        assertThat(touches.isIdle(id(2), 11_001, GRACE_NS)).isTrue();
    }

    @Test
    void shouldSayUntouchedSinceOnlyForAReadingOfThisClockInstanceBeforeTheLastTouch()
    {
        final ChunkTouches touches = new ChunkTouches(0, 7);
        touches.touch(id(1), 2_000);

        assertThat(touches.isUntouchedSince(id(1), 2_001, 7)).isTrue();
        assertThat(touches.isUntouchedSince(id(1), 2_000, 7)).isFalse();
        assertThat(touches.isUntouchedSince(id(1), 1_999, 7)).isFalse();
        assertThat(touches.isUntouchedSince(id(1), 2_001, 8)).isFalse();
    }

    @Test
    void shouldShareATimeBetweenIdsWithTheSamePrefixWhichOnlyDelaysReclaim()
    {
        final ChunkTouches touches = new ChunkTouches(0, 7);
        final byte[] other = id(1).toBytes();
        other[31] ^= 1;
        touches.touch(id(1), 3_000);

        assertThat(touches.lastTouchedNs(ChunkId.of(other))).isEqualTo(3_000);
    }

    @Test
    void shouldForgetADroppedChunk()
    {
        final ChunkTouches touches = new ChunkTouches(100, 7);
        touches.touch(id(1), 3_000);
        touches.forget(id(1));

        assertThat(touches.lastTouchedNs(id(1))).isEqualTo(100);
        assertThat(touches.size()).isZero();
    }

    static ChunkId id(final int n)
    {
        final byte[] bytes = new byte[ChunkId.LENGTH];
        Arrays.fill(bytes, (byte)n);
        return ChunkId.of(bytes);
    }
}
