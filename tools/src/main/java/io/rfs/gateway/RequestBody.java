package io.rfs.gateway;

import java.io.InputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A put's body as the store reads it: {@code aws-chunked} decoded (chunk and trailer signatures checked) when the
 * request says so, then passed through a {@link VerifyingInputStream} that checks, at its end, every checksum the
 * request states: a hex {@code x-amz-content-sha256}, {@code Content-MD5}, {@code x-amz-checksum-*} headers and the
 * trailer named by {@code x-amz-trailer}.
 *
 * @param stream   the decoded, verifying stream.
 * @param checksum the {@code x-amz-checksum-*} algorithm the client asked for (header or trailer), or null.
 */
record RequestBody(VerifyingInputStream stream, ChecksumAlgorithm checksum)
{
    /** The buffer between the socket and the body's decoders. */
    static final int BUFFER_BYTES = 64 * 1024;

    private static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    private static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    private static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /**
     * @param raw           the raw body.
     * @param request       the request.
     * @param authorization its verified signature, or null for an anonymous request.
     * @return the body to read.
     * @throws S3Exception for a payload mode or checksum the gateway does not support.
     */
    static RequestBody open(final InputStream raw, final RequestView request, final Authorization authorization)
        throws S3Exception
    {
        final String payloadHash = authorization == null ? SigV4.UNSIGNED_PAYLOAD : authorization.payloadHash();
        AwsChunkedInputStream chunked = null;
        final VerifyingInputStream stream;
        if (payloadHash.startsWith("STREAMING-"))
        {
            if (!payloadHash.equals(STREAMING_SIGNED) && !payloadHash.equals(STREAMING_SIGNED_TRAILER) &&
                !payloadHash.equals(STREAMING_UNSIGNED_TRAILER))
            {
                throw S3Error.NOT_IMPLEMENTED.exception("x-amz-content-sha256 " + payloadHash + " is not supported");
            }
            chunked = new AwsChunkedInputStream(raw, authorization, decodedLength(request));
            stream = new VerifyingInputStream(chunked);
        }
        else
        {
            stream = new VerifyingInputStream(raw);
            if (!SigV4.UNSIGNED_PAYLOAD.equals(payloadHash))
            {
                stream.expectContentSha256(payloadHash);
            }
        }
        final String md5 = request.header("content-md5");
        if (md5 != null)
        {
            stream.expect(ChecksumAlgorithm.MD5, () -> md5);
        }
        ChecksumAlgorithm checksum = null;
        for (final String header : request.headers().keySet())
        {
            if (header.startsWith("x-amz-checksum-") && !header.equals("x-amz-checksum-type") &&
                !header.equals("x-amz-checksum-algorithm") && !header.equals("x-amz-checksum-mode"))
            {
                checksum = ChecksumAlgorithm.ofHeader(header);
                final String value = request.header(header);
                stream.expect(checksum, () -> value);
            }
        }
        final String trailer = request.header("x-amz-trailer");
        if (trailer != null)
        {
            if (chunked == null)
            {
                throw S3Error.INVALID_REQUEST.exception("x-amz-trailer needs an aws-chunked body");
            }
            final String name = trailer.trim().toLowerCase(java.util.Locale.ROOT);
            checksum = ChecksumAlgorithm.ofHeader(name);
            final AwsChunkedInputStream decoder = chunked;
            stream.expect(checksum, () -> decoder.trailers().get(name));
        }
        return new RequestBody(stream, checksum);
    }

    /**
     * @return the checksum the client asked for, as a response header, once the body was read.
     */
    Map<String, String> checksumHeaders()
    {
        final Map<String, String> headers = new LinkedHashMap<>();
        if (checksum != null && stream.result(checksum) != null)
        {
            headers.put(checksum.header(), Base64.getEncoder().encodeToString(stream.result(checksum)));
        }
        return headers;
    }

    private static long decodedLength(final RequestView request) throws S3Exception
    {
        final String value = request.header("x-amz-decoded-content-length");
        if (value == null)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-decoded-content-length is not a number: " + value);
        }
    }
}
