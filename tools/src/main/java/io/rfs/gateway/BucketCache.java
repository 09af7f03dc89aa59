package io.rfs.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The buckets this gateway saw exist in the last {@code ttlNs}, so that a PutObject need not read the bucket's
 * marker (a quorum read) every time. Only existence is remembered, never absence: a bucket created through another
 * gateway is seen at once. A bucket deleted through this gateway is forgotten at once; one deleted through another
 * gateway is still taken to exist here for up to {@code ttlNs}, the same outcome as a put whose check passed just
 * before the delete (the store has no transaction across the two), for a longer while. A TTL of 0 turns the cache
 * off. Holds at most as many entries as there are buckets. Thread-safe.
 */
final class BucketCache
{
    private final ConcurrentHashMap<String, Long> expiresAtNs = new ConcurrentHashMap<>();
    private final long ttlNs;
    private final LongSupplier nanoClock;

    /**
     * @param ttlNs     how long a bucket seen to exist is taken to exist; 0 for never.
     * @param nanoClock the time, {@link System#nanoTime()} outside tests.
     */
    BucketCache(final long ttlNs, final LongSupplier nanoClock)
    {
        if (ttlNs < 0)
        {
            throw new IllegalArgumentException("ttlNs=" + ttlNs + " must not be negative");
        }
        this.ttlNs = ttlNs;
        this.nanoClock = nanoClock;
    }

    /**
     * @param bucket a bucket name.
     * @return true if it was seen to exist within the TTL.
     */
    boolean exists(final String bucket)
    {
        final Long expires = expiresAtNs.get(bucket);
        if (expires == null)
        {
            return false;
        }
        if (nanoClock.getAsLong() - expires < 0)
        {
            return true;
        }
        expiresAtNs.remove(bucket, expires);
        return false;
    }

    /**
     * @param bucket a bucket just seen to exist (its marker read or written).
     */
    void sawExisting(final String bucket)
    {
        if (ttlNs > 0)
        {
            expiresAtNs.put(bucket, nanoClock.getAsLong() + ttlNs);
        }
    }

    /**
     * @param bucket a bucket this gateway deleted or is deleting.
     */
    void forget(final String bucket)
    {
        expiresAtNs.remove(bucket);
    }
}
