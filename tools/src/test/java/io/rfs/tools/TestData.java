package io.rfs.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Files of seeded random bytes for the command line tests, and their SHA-256.
 */
final class TestData
{
    private TestData()
    {
    }

    /**
     * @param size how many bytes.
     * @param seed the seed; the same seed gives the same bytes.
     * @return random bytes, which LZ4 cannot shrink.
     */
    static byte[] random(final int size, final long seed)
    {
        final byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * @param file where to write.
     * @param size how many bytes.
     * @param seed the seed.
     * @return the bytes written.
     * @throws IOException if writing fails.
     */
    static byte[] writeRandom(final Path file, final int size, final long seed) throws IOException
    {
        final byte[] bytes = random(size, seed);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
        return bytes;
    }

    /**
     * @param bytes some bytes.
     * @return their SHA-256 as lowercase hex, as {@code sha256sum} prints it.
     */
    static String sha256(final byte[] bytes)
    {
        try
        {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @return the SHA-256 of {@code mebibytes} MiB of seeded random bytes written to {@code file}, in hex.
     */
    static String writeRandomMebibytes(final Path file, final int mebibytes, final long seed) throws Exception
    {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file))
        {
            for (int i = 0; i < mebibytes; i++)
            {
                random.nextBytes(block);
                digest.update(block);
                out.write(block);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * @return the SHA-256 of a file, read in 1 MiB blocks, in hex.
     */
    static String sha256(final Path file) throws Exception
    {
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file))
        {
            final byte[] block = new byte[1024 * 1024];
            for (int read; (read = in.read(block)) > 0; )
            {
                digest.update(block, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
