package io.rfs.gateway;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SigV4 checked against the worked examples of Amazon S3's documentation ("Signature Calculations for the
 * Authorization Header", "Query String Authentication", "Transferring Payload in Multiple Chunks"), which use these
 * credentials, this time and these signatures.
 */
class SigV4VerifierTest
{
    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant SIGNED_AT = Instant.parse("2013-05-24T00:00:00Z");

    private static SigV4Verifier verifierAt(final Instant now)
    {
        return new SigV4Verifier(Map.of(ACCESS_KEY, SECRET), "us-east-1", Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RequestView getObjectWithRange(final String signature)
    {
        final Map<String, List<String>> headers = new HashMap<>();
        headers.put("host", List.of("examplebucket.s3.amazonaws.com"));
        headers.put("range", List.of("bytes=0-9"));
        headers.put("x-amz-content-sha256", List.of(SigV4.EMPTY_SHA256));
        headers.put("x-amz-date", List.of("20130524T000000Z"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY +
            "/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=" +
            signature));
        return new RequestView("GET", "/test.txt", null, headers);
    }

    @Test
    void shouldVerifyTheDocumentedHeaderSignature() throws S3Exception
    {
        final Authorization authorization = verifierAt(SIGNED_AT.plusSeconds(60)).verify(
            getObjectWithRange("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));

        assertThat(authorization.accessKeyId()).isEqualTo(ACCESS_KEY);
        assertThat(authorization.scope()).isEqualTo("20130524/us-east-1/s3/aws4_request");
    }

    @Test
    void shouldRefuseAWrongSignature()
    {
        assertThatThrownBy(() -> verifierAt(SIGNED_AT).verify(
            getObjectWithRange("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb42")))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.error()).isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH));
    }

    @Test
    void shouldRefuseARequestSignedTooLongAgo()
    {
        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plusSeconds(16 * 60)).verify(
            getObjectWithRange("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.error()).isEqualTo(S3Error.REQUEST_TIME_TOO_SKEWED));
    }

    @Test
    void shouldRefuseAnUnknownAccessKey()
    {
        final SigV4Verifier verifier = new SigV4Verifier(Map.of("OTHER", SECRET), "us-east-1",
            Clock.fixed(SIGNED_AT, ZoneOffset.UTC));
        assertThatThrownBy(() -> verifier.verify(
            getObjectWithRange("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.error()).isEqualTo(S3Error.INVALID_ACCESS_KEY_ID));
    }

    private static RequestView presigned()
    {
        return new RequestView("GET", "/test.txt", "X-Amz-Algorithm=AWS4-HMAC-SHA256" +
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
            Map.of("host", List.of("examplebucket.s3.amazonaws.com")));
    }

    @Test
    void shouldVerifyTheDocumentedPresignedUrlUntilItExpires() throws S3Exception
    {
        assertThat(verifierAt(SIGNED_AT.plusSeconds(86_400)).verify(presigned()).accessKeyId()).isEqualTo(ACCESS_KEY);
        assertThatThrownBy(() -> verifierAt(SIGNED_AT.plusSeconds(86_401)).verify(presigned()))
            .isInstanceOfSatisfying(S3Exception.class, ex ->
            {
                assertThat(ex.error()).isEqualTo(S3Error.ACCESS_DENIED);
                assertThat(ex.getMessage()).contains("expired");
            });
    }

    private static RequestView chunkedPut()
    {
        final Map<String, List<String>> headers = new HashMap<>();
        headers.put("host", List.of("s3.amazonaws.com"));
        headers.put("x-amz-date", List.of("20130524T000000Z"));
        headers.put("x-amz-storage-class", List.of("REDUCED_REDUNDANCY"));
        headers.put("content-encoding", List.of("aws-chunked"));
        headers.put("x-amz-decoded-content-length", List.of("66560"));
        headers.put("content-length", List.of("66824"));
        headers.put("x-amz-content-sha256", List.of("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY +
            "/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;" +
            "x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
            "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"));
        return new RequestView("PUT", "/examplebucket/chunkObject.txt", null, headers);
    }

    private static byte[] chunkedBody(final String secondChunkSignature)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final byte[] first = new byte[65536];
        Arrays.fill(first, (byte)'a');
        final byte[] second = new byte[1024];
        Arrays.fill(second, (byte)'a');
        body.writeBytes(("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(first);
        body.writeBytes(("\r\n400;chunk-signature=" + secondChunkSignature + "\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(second);
        body.writeBytes(("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    @Test
    void shouldDecodeTheDocumentedChunkedUploadAndCheckEveryChunkSignature() throws IOException
    {
        final Authorization authorization = verifierAt(SIGNED_AT).verify(chunkedPut());
        final byte[] body = chunkedBody("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
        assertThat(body).hasSize(66824);

        final byte[] decoded = new AwsChunkedInputStream(new ByteArrayInputStream(body), authorization, 66560)
            .readAllBytes();

        assertThat(decoded).hasSize(66560).containsOnly((byte)'a');
    }

    @Test
    void shouldFailTheReadOfAChunkWhoseSignatureIsWrong() throws IOException
    {
        final Authorization authorization = verifierAt(SIGNED_AT).verify(chunkedPut());
        final byte[] body = chunkedBody("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5498");

        assertThatThrownBy(() ->
            new AwsChunkedInputStream(new ByteArrayInputStream(body), authorization, 66560).readAllBytes())
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.error()).isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH));
    }
}
