package io.rfs.gateway;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unsigned trailer variant the AWS SDKs send over HTTPS: plain chunks, then a checksum trailer, verified at the
 * end of the body.
 */
class AwsChunkedInputStreamTest
{
    private static final Authorization UNSIGNED_TRAILER = new Authorization(
        "id", new byte[32], "20260101T000000Z", "20260101/us-east-1/s3/aws4_request", "seed",
        "STREAMING-UNSIGNED-PAYLOAD-TRAILER");

    private static String crc32(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int)crc.getValue()).array());
    }

    private static byte[] body(final String trailerValue)
    {
        return ("5\r\nhello\r\n7\r\n, world\r\n0\r\nx-amz-checksum-crc32:" + trailerValue + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void shouldDecodeUnsignedChunksAndVerifyTheTrailer() throws IOException
    {
        final byte[] content = "hello, world".getBytes(StandardCharsets.US_ASCII);
        final AwsChunkedInputStream chunked =
            new AwsChunkedInputStream(new ByteArrayInputStream(body(crc32(content))), UNSIGNED_TRAILER, 12);
        final VerifyingInputStream verified = new VerifyingInputStream(chunked)
            .expect(ChecksumAlgorithm.CRC32, () -> chunked.trailers().get("x-amz-checksum-crc32"));

        assertThat(verified.readAllBytes()).isEqualTo(content);
        assertThat(chunked.trailers()).containsEntry("x-amz-checksum-crc32", crc32(content));
    }

    @Test
    void shouldFailTheLastReadWhenTheTrailingChecksumDiffers()
    {
        final AwsChunkedInputStream chunked = new AwsChunkedInputStream(
            new ByteArrayInputStream(body(crc32("hello, World".getBytes(StandardCharsets.US_ASCII)))),
            UNSIGNED_TRAILER, 12);
        final VerifyingInputStream verified = new VerifyingInputStream(chunked)
            .expect(ChecksumAlgorithm.CRC32, () -> chunked.trailers().get("x-amz-checksum-crc32"));

        assertThatThrownBy(verified::readAllBytes).isInstanceOfSatisfying(S3Exception.class,
            ex -> assertThat(ex.error()).isEqualTo(S3Error.BAD_DIGEST));
    }

    @Test
    void shouldRefuseABodyShorterThanItsDecodedLength()
    {
        final AwsChunkedInputStream chunked = new AwsChunkedInputStream(
            new ByteArrayInputStream(body("AAAAAA==")), UNSIGNED_TRAILER, 13);

        assertThatThrownBy(chunked::readAllBytes).isInstanceOfSatisfying(S3Exception.class,
            ex -> assertThat(ex.error()).isEqualTo(S3Error.INCOMPLETE_BODY));
    }
}
