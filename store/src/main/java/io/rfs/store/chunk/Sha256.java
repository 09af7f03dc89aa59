package io.rfs.store.chunk;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one place SHA-256 digests are made. The JDK's implementation uses the CPU's SHA instructions where there are
 * any, which is as fast as native code gets.
 */
public final class Sha256
{
    private Sha256()
    {
    }

    /**
     * @return a new SHA-256 digest.
     */
    public static MessageDigest newDigest()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK has no SHA-256", ex);
        }
    }

    /**
     * @param bytes input.
     * @return its SHA-256.
     */
    public static byte[] digest(final byte[] bytes)
    {
        return newDigest().digest(bytes);
    }

    /**
     * Completes a digest into a caller's array, without allocating, and resets it for the next input.
     *
     * @param sha256 a SHA-256 digest from {@link #newDigest()}.
     * @param out    receives the 32 bytes at {@code out[0..32)}.
     */
    public static void finish(final MessageDigest sha256, final byte[] out)
    {
        try
        {
            sha256.digest(out, 0, ChunkId.LENGTH);
        }
        catch (final DigestException ex)
        {
            throw new IllegalStateException("a 32-byte SHA-256 always fits", ex);
        }
    }
}
