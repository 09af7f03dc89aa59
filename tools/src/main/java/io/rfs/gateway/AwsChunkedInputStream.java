package io.rfs.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} request body
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html) and checks what it signs:
 * <pre>
 *   hex-size [;chunk-signature=SIG] CRLF  data  CRLF      one per chunk
 *   0 [;chunk-signature=SIG] CRLF                         the last chunk
 *   [name:value CRLF]...                                  trailers, e.g. x-amz-checksum-crc32
 *   [x-amz-trailer-signature:SIG CRLF]
 *   CRLF
 * </pre>
 * In the signed modes each chunk's signature chains from the one before it, the first from the request's own
 * signature, and is checked once the chunk's bytes have passed (they are streamed, not held); a wrong one fails the
 * read with {@code SignatureDoesNotMatch}, so a put that reads this stream writes no manifest. The decoded length is
 * checked against {@code x-amz-decoded-content-length} at the end. Trailers are available from {@link #trailers()}
 * once {@link #read} has returned -1. Not thread-safe.
 */
public final class AwsChunkedInputStream extends InputStream
{
    /** The longest chunk header or trailer line accepted. */
    public static final int MAX_LINE_BYTES = 4096;
    /** The most trailers accepted. */
    public static final int MAX_TRAILERS = 16;

    private static final String SIGNATURE_EXTENSION = "chunk-signature=";
    private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

    private final InputStream in;
    private final Authorization authorization;
    private final boolean signed;
    private final long decodedLength;
    private final MessageDigest chunkDigest = SigV4.newSha256();
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private String previousSignature;
    private String chunkSignature;
    private long chunkRemaining;
    private long decoded;
    private boolean inChunk;
    private boolean finished;

    /**
     * @param in            the raw body.
     * @param authorization the request's verified signature; its {@link Authorization#payloadHash()} says whether
     *                      chunks are signed ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]}).
     * @param decodedLength {@code x-amz-decoded-content-length}, or -1 if absent.
     */
    public AwsChunkedInputStream(final InputStream in, final Authorization authorization, final long decodedLength)
    {
        this.in = in;
        this.authorization = authorization;
        this.signed = authorization.payloadHash().startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
        this.previousSignature = authorization.signature();
        this.decodedLength = decodedLength;
    }

    /**
     * @return the trailers, lower-case names to values; complete once the stream has ended.
     */
    public Map<String, String> trailers()
    {
        return Collections.unmodifiableMap(trailers);
    }

    @Override
    public int read() throws IOException
    {
        final byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(final byte[] buffer, final int offset, final int length) throws IOException
    {
        if (length == 0)
        {
            return 0;
        }
        while (!finished && chunkRemaining == 0)
        {
            nextChunk();
        }
        if (finished)
        {
            return -1;
        }
        final int n = in.read(buffer, offset, (int)Math.min(length, chunkRemaining));
        if (n < 0)
        {
            throw S3Error.INCOMPLETE_BODY.exception("the aws-chunked body ended inside a chunk");
        }
        chunkDigest.update(buffer, offset, n);
        chunkRemaining -= n;
        decoded += n;
        return n;
    }

    private void nextChunk() throws IOException
    {
        if (inChunk)
        {
            endChunk();
        }
        final String header = readLine();
        if (header == null)
        {
            throw S3Error.INCOMPLETE_BODY.exception("the aws-chunked body ended before its last chunk");
        }
        final int semicolon = header.indexOf(';');
        final String sizeText = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        final long size;
        try
        {
            size = Long.parseLong(sizeText, 16);
        }
        catch (final NumberFormatException ex)
        {
            throw S3Error.INVALID_REQUEST.exception("bad aws-chunked chunk header: " + header);
        }
        if (size < 0)
        {
            throw S3Error.INVALID_REQUEST.exception("bad aws-chunked chunk size: " + header);
        }
        chunkSignature = null;
        if (semicolon >= 0)
        {
            final String extension = header.substring(semicolon + 1).trim();
            if (extension.startsWith(SIGNATURE_EXTENSION))
            {
                chunkSignature = extension.substring(SIGNATURE_EXTENSION.length());
            }
        }
        if (signed && chunkSignature == null)
        {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("an aws-chunked chunk carries no chunk-signature");
        }
        chunkDigest.reset();
        chunkRemaining = size;
        inChunk = size > 0;
        if (size == 0)
        {
            checkChunkSignature();
            readTrailers();
            if (decodedLength >= 0 && decoded != decodedLength)
            {
                throw S3Error.INCOMPLETE_BODY.exception("the body decodes to " + decoded +
                    " bytes, x-amz-decoded-content-length says " + decodedLength);
            }
            finished = true;
        }
    }

    private void endChunk() throws IOException
    {
        if (in.read() != '\r' || in.read() != '\n')
        {
            throw S3Error.INVALID_REQUEST.exception("an aws-chunked chunk is not followed by CRLF");
        }
        checkChunkSignature();
        inChunk = false;
    }

    private void checkChunkSignature() throws S3Exception
    {
        if (!signed)
        {
            return;
        }
        final String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + authorization.amzDate() + "\n" +
            authorization.scope() + "\n" + previousSignature + "\n" + SigV4.EMPTY_SHA256 + "\n" +
            SigV4.hex(chunkDigest.digest());
        verifySignature(stringToSign, chunkSignature, "chunk");
    }

    private void readTrailers() throws IOException
    {
        String trailerSignature = null;
        final StringBuilder canonical = new StringBuilder();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine())
        {
            final int colon = line.indexOf(':');
            if (colon <= 0 || trailers.size() >= MAX_TRAILERS)
            {
                throw S3Error.INVALID_REQUEST.exception("bad aws-chunked trailer: " + line);
            }
            final String name = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            final String value = line.substring(colon + 1).trim();
            if (TRAILER_SIGNATURE.equals(name))
            {
                trailerSignature = value;
            }
            else
            {
                trailers.put(name, value);
                canonical.append(name).append(':').append(value).append('\n');
            }
        }
        if (signed && authorization.payloadHash().endsWith("-TRAILER"))
        {
            if (trailerSignature == null)
            {
                throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("the aws-chunked trailer carries no signature");
            }
            final String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + authorization.amzDate() + "\n" +
                authorization.scope() + "\n" + previousSignature + "\n" + SigV4.sha256Hex(canonical.toString());
            verifySignature(stringToSign, trailerSignature, "trailer");
        }
    }

    private void verifySignature(final String stringToSign, final String given, final String what)
        throws S3Exception
    {
        final String expected = SigV4.sign(authorization.signingKey(), stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            given.getBytes(StandardCharsets.US_ASCII)))
        {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("an aws-chunked " + what + " signature does not match");
        }
        previousSignature = expected;
    }

    /**
     * @return the next CRLF-terminated line without its terminator, or null at the end of the body.
     */
    private String readLine() throws IOException
    {
        final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int c = in.read(); ; c = in.read())
        {
            if (c < 0)
            {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n')
            {
                final byte[] bytes = line.toByteArray();
                final int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_LINE_BYTES)
            {
                throw S3Error.INVALID_REQUEST.exception("an aws-chunked line is longer than " + MAX_LINE_BYTES);
            }
            line.write(c);
        }
    }
}
