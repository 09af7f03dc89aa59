package io.rfs.replication.repair;

import io.rfs.store.chunk.ChunkId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The keyed hash that a range digest sums: two independent 64-bit SipHash-2-4 values of a chunk id, under a 128-bit
 * key every node of a cluster derives the same way ({@link #of}).
 * <p>
 * <b>Why keyed.</b> A range digest is a sum of per-id values, and sums can be steered: with public per-id values an
 * adversary who can store chunks of its choosing could search (a generalised birthday search) for a set of ids whose
 * sum equals another's and so hide a difference between two replicas. Under a key the adversary does not know, each
 * id's value is a pseudo-random function output, and two different sets collide only by chance, with probability
 * about 2^-128 over the two lanes (the count is compared too). In a cluster without a secret (shared memory, one
 * host) the key is a public constant, which keeps the chance argument for accidental differences, the case that
 * matters there.
 * <p>
 * Immutable and thread safe.
 */
public final class DigestKey
{
    private static final long SECOND_LANE = 0x9E3779B97F4A7C15L;
    private static final byte[] LABEL = "rfs range digest v1".getBytes(StandardCharsets.US_ASCII);

    private final long k0;
    private final long k1;

    /**
     * @param k0 first half of the key.
     * @param k1 second half.
     */
    public DigestKey(final long k0, final long k1)
    {
        this.k0 = k0;
        this.k1 = k1;
    }

    /**
     * @param clusterSecret the cluster's shared secret, or null.
     * @return the key: the first 16 bytes of SHA-256 of a fixed label and the secret (of the label alone if null).
     */
    public static DigestKey of(final byte[] clusterSecret)
    {
        try
        {
            final MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(LABEL);
            if (clusterSecret != null)
            {
                sha256.update(clusterSecret);
            }
            final ByteBuffer digest = ByteBuffer.wrap(sha256.digest());
            return new DigestKey(digest.getLong(0), digest.getLong(8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
        }
    }

    /**
     * @param id a chunk id.
     * @return the first lane's value of the id.
     */
    public long lane0(final ChunkId id)
    {
        return sipHash24(k0, k1, id);
    }

    /**
     * @param id a chunk id.
     * @return the second lane's value, under a key independent of the first lane's.
     */
    public long lane1(final ChunkId id)
    {
        return sipHash24(k0 ^ SECOND_LANE, Long.rotateLeft(k1, 32) ^ SECOND_LANE, id);
    }

    /**
     * SipHash-2-4 (Aumasson and Bernstein) of the id's four 64-bit words, taken as the message's four 8-byte blocks,
     * with the final block holding the message length, 32.
     */
    static long sipHash24(final long k0, final long k1, final ChunkId id)
    {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        for (int block = 0; block <= 5; block++)
        {
            final boolean finish = block == 5;
            final long m = block < 4 ? id.word(block) : (long)ChunkId.LENGTH << 56;
            if (finish)
            {
                v2 ^= 0xff;
            }
            else
            {
                v3 ^= m;
            }
            for (int round = finish ? 4 : 2; round > 0; round--)
            {
                v0 += v1;
                v1 = Long.rotateLeft(v1, 13) ^ v0;
                v0 = Long.rotateLeft(v0, 32);
                v2 += v3;
                v3 = Long.rotateLeft(v3, 16) ^ v2;
                v0 += v3;
                v3 = Long.rotateLeft(v3, 21) ^ v0;
                v2 += v1;
                v1 = Long.rotateLeft(v1, 17) ^ v2;
                v2 = Long.rotateLeft(v2, 32);
            }
            if (!finish)
            {
                v0 ^= m;
            }
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
