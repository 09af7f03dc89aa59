package io.rfs.gateway;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Passes a request body through while computing its MD5 (the ETag) and every checksum the request states, and at
 * the end of the body, before it reports end-of-stream, compares them. A mismatch fails that last read with
 * {@code BadDigest} (or {@code XAmzContentSHA256Mismatch}): the store's put has then read every byte but written no
 * manifest, so nothing becomes visible (docs/GATEWAY.md, "Integrity"). Not thread-safe.
 */
public final class VerifyingInputStream extends FilterInputStream
{
    private final Map<ChecksumAlgorithm, ChecksumAlgorithm.Running> running = new EnumMap<>(ChecksumAlgorithm.class);
    private final Map<ChecksumAlgorithm, Supplier<String>> expectedBase64 = new EnumMap<>(ChecksumAlgorithm.class);
    private final Map<ChecksumAlgorithm, byte[]> results = new EnumMap<>(ChecksumAlgorithm.class);
    private byte[] contentSha256;
    private long length;
    private boolean verified;

    /**
     * @param in the decoded body.
     */
    public VerifyingInputStream(final InputStream in)
    {
        super(in);
        running.put(ChecksumAlgorithm.MD5, ChecksumAlgorithm.MD5.start());
    }

    /**
     * Adds a checksum to compute and compare at the end.
     *
     * @param algorithm which.
     * @param base64    its expected value, base64 as S3 headers carry it; asked for only at the end of the body,
     *                  so that it may come from a trailer.
     * @return this.
     */
    public VerifyingInputStream expect(final ChecksumAlgorithm algorithm, final Supplier<String> base64)
    {
        running.computeIfAbsent(algorithm, ChecksumAlgorithm::start);
        expectedBase64.put(algorithm, base64);
        return this;
    }

    /**
     * Expects the body's SHA-256 to be the hex value of a signed {@code x-amz-content-sha256}.
     *
     * @param hex the value.
     * @return this.
     * @throws S3Exception if it is not 64 hex digits.
     */
    public VerifyingInputStream expectContentSha256(final String hex) throws S3Exception
    {
        try
        {
            contentSha256 = HexFormat.of().parseHex(hex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-content-sha256 is neither a SHA-256 nor a known mode");
        }
        if (contentSha256.length != 32)
        {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-content-sha256 is not a SHA-256");
        }
        running.computeIfAbsent(ChecksumAlgorithm.SHA256, ChecksumAlgorithm::start);
        return this;
    }

    /**
     * @param algorithm which.
     * @return its value over the whole body; only after the body was read to its end.
     */
    public byte[] result(final ChecksumAlgorithm algorithm)
    {
        return results.get(algorithm);
    }

    /**
     * @return the number of body bytes read so far.
     */
    public long length()
    {
        return length;
    }

    @Override
    public int read() throws IOException
    {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int count) throws IOException
    {
        final int n = in.read(buffer, offset, count);
        if (n > 0)
        {
            length += n;
            for (final ChecksumAlgorithm.Running checksum : running.values())
            {
                checksum.update(buffer, offset, n);
            }
        }
        else if (n < 0 && !verified)
        {
            verify();
        }
        return n;
    }

    @Override
    public long skip(final long n) throws IOException
    {
        throw new IOException("a verified body is read, not skipped");
    }

    private void verify() throws S3Exception
    {
        running.forEach((algorithm, checksum) -> results.put(algorithm, checksum.finish()));
        if (contentSha256 != null && !MessageDigest.isEqual(contentSha256, results.get(ChecksumAlgorithm.SHA256)))
        {
            throw S3Error.X_AMZ_CONTENT_SHA256_MISMATCH.exception(
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        for (final Map.Entry<ChecksumAlgorithm, Supplier<String>> expected : expectedBase64.entrySet())
        {
            final String given = expected.getValue().get();
            final ChecksumAlgorithm algorithm = expected.getKey();
            if (given == null)
            {
                throw S3Error.INVALID_REQUEST.exception("the body ended without its " + algorithm.header());
            }
            final byte[] value;
            try
            {
                value = Base64.getDecoder().decode(given.trim());
            }
            catch (final IllegalArgumentException ex)
            {
                throw (algorithm == ChecksumAlgorithm.MD5 ? S3Error.INVALID_DIGEST : S3Error.INVALID_REQUEST)
                    .exception(algorithm.header() + " is not base64: " + given);
            }
            if (!MessageDigest.isEqual(value, results.get(algorithm)))
            {
                throw S3Error.BAD_DIGEST.exception("The " + algorithm.header() + " you specified did not match " +
                    "the calculated checksum.");
            }
        }
        verified = true;
    }
}
