package io.rfs.gateway;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BucketCacheTest
{
    private final AtomicLong nowNs = new AtomicLong(-5_000);

    @Test
    void shouldTakeABucketSeenToExistToExistUntilItsTtlRunsOut()
    {
        final BucketCache cache = new BucketCache(1_000, nowNs::get);
        assertThat(cache.exists("photos")).as("never seen").isFalse();
        cache.sawExisting("photos");
        nowNs.addAndGet(999);
        assertThat(cache.exists("photos")).isTrue();
        assertThat(cache.exists("other")).isFalse();
        nowNs.addAndGet(1);
        assertThat(cache.exists("photos")).as("expired: the marker must be read again").isFalse();
        cache.sawExisting("photos");
        assertThat(cache.exists("photos")).isTrue();
    }

    @Test
    void shouldForgetABucketThisGatewayDeletes()
    {
        final BucketCache cache = new BucketCache(1_000_000, nowNs::get);
        cache.sawExisting("photos");
        cache.forget("photos");
        assertThat(cache.exists("photos")).isFalse();
    }

    @Test
    void shouldRememberNothingWithAZeroTtl()
    {
        final BucketCache cache = new BucketCache(0, nowNs::get);
        cache.sawExisting("photos");
        assertThat(cache.exists("photos")).isFalse();
        assertThatThrownBy(() -> new BucketCache(-1, nowNs::get)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ttlNs=-1");
    }
}
