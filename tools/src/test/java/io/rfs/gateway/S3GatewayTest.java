package io.rfs.gateway;

import io.rfs.replication.client.ClientContext;
import io.rfs.replication.client.RfsClient;
import io.rfs.replication.cluster.EmbeddedCluster;
import io.rfs.store.UnknownFileException;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AWS SDK for Java v2, with its defaults (aws-chunked bodies, signed chunks, a CRC32 trailer) and with request
 * checksums turned off, against a gateway over an embedded three-node cluster.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3GatewayTest
{
    private static final String ACCESS_KEY = "RFSTESTACCESSKEY";
    private static final String SECRET = "rfs-test-secret-access-key/0123456789";
    private static final int CLIENT_ID = 1000;

    @TempDir
    static Path directory;

    private static EmbeddedCluster cluster;
    private static RfsClient store;
    private static S3Gateway gateway;
    private static S3Client s3;
    private static final HotChunkCache CACHE = new HotChunkCache(64L * 1024 * 1024);
    private static final SettableClock CLOCK = new SettableClock();

    @BeforeAll
    static void start() throws IOException
    {
        cluster = EmbeddedCluster.open(new EmbeddedCluster.Context().rootDirectory(directory.resolve("cluster")));
        store = RfsClient.connect(new ClientContext().ring(cluster.ring())
            .transport(cluster.newClientTransport(CLIENT_ID)).clientId(CLIENT_ID).chunkCache(CACHE));
        gateway = S3Gateway.start(new S3Gateway.Context().address(new java.net.InetSocketAddress("127.0.0.1", 0))
            .store(store).credentials(Map.of(ACCESS_KEY, SECRET)).clock(CLOCK).chunkCache(CACHE));
        s3 = client(SECRET, false);
    }

    @AfterAll
    static void stop()
    {
        CloseHelper.closeAll(s3, gateway, store, cluster);
    }

    private static URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + gateway.address().getPort());
    }

    private static S3Client client(final String secret, final boolean checksumsOff)
    {
        return S3Client.builder()
            .endpointOverride(endpoint())
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, secret)))
            .requestChecksumCalculation(checksumsOff ?
                RequestChecksumCalculation.WHEN_REQUIRED : RequestChecksumCalculation.WHEN_SUPPORTED)
            .build();
    }

    private static byte[] random(final long seed, final int length)
    {
        final byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static String md5(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    private static String sha256(final byte[] bytes) throws Exception
    {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void shouldCreateListAndDeleteBuckets()
    {
        s3.createBucket(b -> b.bucket("buckets-1"));
        s3.headBucket(b -> b.bucket("buckets-1"));
        assertThat(s3.listBuckets().buckets()).anySatisfy(b -> assertThat(b.name()).isEqualTo("buckets-1"));
        assertThatThrownBy(() -> s3.createBucket(b -> b.bucket("buckets-1"))).isInstanceOfSatisfying(
            S3Exception.class, ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("BucketAlreadyOwnedByYou"));

        s3.putObject(b -> b.bucket("buckets-1").key("k"), RequestBody.fromString("v"));
        assertThatThrownBy(() -> s3.deleteBucket(b -> b.bucket("buckets-1"))).isInstanceOfSatisfying(
            S3Exception.class, ex ->
            {
                assertThat(ex.statusCode()).isEqualTo(409);
                assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("BucketNotEmpty");
            });
        s3.deleteObject(b -> b.bucket("buckets-1").key("k"));
        s3.deleteBucket(b -> b.bucket("buckets-1"));

        assertThat(s3.listBuckets().buckets()).noneSatisfy(b -> assertThat(b.name()).isEqualTo("buckets-1"));
        assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("buckets-1"))).isInstanceOfSatisfying(
            S3Exception.class, ex -> assertThat(ex.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("buckets-1").key("k"), RequestBody.fromString("v")))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
    }

    @Test
    void shouldPutGetHeadAndDeleteWithTheSdkDefaults() throws Exception
    {
        s3.createBucket(b -> b.bucket("objects-1"));
        final byte[] content = random(1, 3 * 1024 * 1024 + 17);

        final PutObjectResponse put = s3.putObject(b -> b.bucket("objects-1").key("dir/../odd key%.bin")
            .contentType("application/x-test"), RequestBody.fromBytes(content));

        assertThat(put.eTag()).isEqualTo("\"" + md5(content) + "\"");
        assertThat(store.stat(ObjectNames.objectName("objects-1", "dir/../odd key%.bin")).sha256())
            .isEqualTo(sha256(content));
        final ResponseBytes<GetObjectResponse> got =
            s3.getObjectAsBytes(b -> b.bucket("objects-1").key("dir/../odd key%.bin"));
        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(got.response().eTag()).isEqualTo(put.eTag());
        assertThat(got.response().contentType()).isEqualTo("application/x-test");
        final HeadObjectResponse head = s3.headObject(b -> b.bucket("objects-1").key("dir/../odd key%.bin"));
        assertThat(head.contentLength()).isEqualTo(content.length);
        assertThat(head.eTag()).isEqualTo(put.eTag());

        s3.putObject(b -> b.bucket("objects-1").key("empty"), RequestBody.empty());
        assertThat(s3.getObjectAsBytes(b -> b.bucket("objects-1").key("empty")).asByteArray()).isEmpty();
        assertThat(s3.headObject(b -> b.bucket("objects-1").key("empty")).eTag())
            .isEqualTo("\"" + md5(new byte[0]) + "\"");

        s3.deleteObject(b -> b.bucket("objects-1").key("dir/../odd key%.bin"));

        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("objects-1").key("dir/../odd key%.bin")))
            .isInstanceOf(NoSuchKeyException.class);
        assertThatThrownBy(() -> store.stat(ObjectNames.objectName("objects-1", "dir/../odd key%.bin")))
            .isInstanceOf(UnknownFileException.class);
    }

    @Test
    void shouldPutAndGetWithRequestChecksumsTurnedOff() throws Exception
    {
        s3.createBucket(b -> b.bucket("objects-2"));
        final byte[] content = random(2, 1_500_000);
        try (S3Client plain = client(SECRET, true))
        {
            final PutObjectResponse put = plain.putObject(b -> b.bucket("objects-2").key("plain"),
                RequestBody.fromBytes(content));
            assertThat(put.eTag()).isEqualTo("\"" + md5(content) + "\"");
            assertThat(plain.getObjectAsBytes(b -> b.bucket("objects-2").key("plain")).asByteArray())
                .isEqualTo(content);
        }
    }

    @Test
    void shouldReadRanges()
    {
        s3.createBucket(b -> b.bucket("ranges-1"));
        final byte[] content = random(3, 2 * 1024 * 1024 + 5);
        s3.putObject(b -> b.bucket("ranges-1").key("r"), RequestBody.fromBytes(content));

        final ResponseBytes<GetObjectResponse> middle =
            s3.getObjectAsBytes(b -> b.bucket("ranges-1").key("r").range("bytes=1048570-1048680"));
        assertThat(middle.asByteArray()).isEqualTo(java.util.Arrays.copyOfRange(content, 1048570, 1048681));
        assertThat(middle.response().contentRange()).isEqualTo("bytes 1048570-1048680/" + content.length);
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ranges-1").key("r").range("bytes=-10")).asByteArray())
            .isEqualTo(java.util.Arrays.copyOfRange(content, content.length - 10, content.length));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("ranges-1").key("r").range("bytes=2097150-")).asByteArray())
            .isEqualTo(java.util.Arrays.copyOfRange(content, 2097150, content.length));
        assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("ranges-1").key("r")
            .range("bytes=" + content.length + "-"))).isInstanceOfSatisfying(S3Exception.class, ex ->
            {
                assertThat(ex.statusCode()).isEqualTo(416);
                assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("InvalidRange");
            });
    }

    @Test
    void shouldListWithPrefixDelimiterAndPages()
    {
        s3.createBucket(b -> b.bucket("lists-1"));
        final List<String> keys = List.of("a/1", "a/2", "b/1", "b/c/2", "b/c/3", "c", "d.txt", "e/%/..", "f");
        for (final String key : keys)
        {
            s3.putObject(b -> b.bucket("lists-1").key(key), RequestBody.fromString(key));
        }

        final ListObjectsV2Response top = s3.listObjectsV2(b -> b.bucket("lists-1").delimiter("/"));
        assertThat(top.contents()).extracting(S3Object::key).containsExactly("c", "d.txt", "f");
        assertThat(top.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("a/", "b/", "e/");
        final ListObjectsV2Response underB = s3.listObjectsV2(b -> b.bucket("lists-1").prefix("b/").delimiter("/"));
        assertThat(underB.contents()).extracting(S3Object::key).containsExactly("b/1");
        assertThat(underB.commonPrefixes()).extracting(CommonPrefix::prefix).containsExactly("b/c/");
        assertThat(s3.listObjectsV2(b -> b.bucket("lists-1").prefix("e/%/.")).contents())
            .extracting(S3Object::key).containsExactly("e/%/..");

        final List<String> paged = new ArrayList<>();
        int pages = 0;
        for (final ListObjectsV2Response page : s3.listObjectsV2Paginator(b -> b.bucket("lists-1").maxKeys(2)))
        {
            page.contents().forEach(o -> paged.add(o.key()));
            pages++;
        }
        assertThat(paged).containsExactlyElementsOf(keys);
        assertThat(pages).isEqualTo(5);

        final List<String> pagedWithDelimiter = new ArrayList<>();
        for (final ListObjectsV2Response page :
            s3.listObjectsV2Paginator(b -> b.bucket("lists-1").delimiter("/").maxKeys(1)))
        {
            page.contents().forEach(o -> pagedWithDelimiter.add(o.key()));
            page.commonPrefixes().forEach(p -> pagedWithDelimiter.add(p.prefix()));
        }
        assertThat(pagedWithDelimiter).containsExactly("a/", "b/", "c", "d.txt", "e/", "f");

        // The original ListObjects (V1), paged by NextMarker (a key or a common prefix).
        final List<String> pagedV1 = new ArrayList<>();
        int pagesV1 = 0;
        String marker = "";
        for (boolean more = true; more; pagesV1++)
        {
            final String from = marker;
            final ListObjectsResponse page = s3.listObjects(b -> b.bucket("lists-1").delimiter("/").maxKeys(2)
                .marker(from));
            page.contents().forEach(o -> pagedV1.add(o.key()));
            page.commonPrefixes().forEach(p -> pagedV1.add(p.prefix()));
            more = page.isTruncated();
            marker = page.nextMarker();
        }
        assertThat(pagedV1).containsExactlyInAnyOrder("a/", "b/", "c", "d.txt", "e/", "f");
        assertThat(pagesV1).isEqualTo(3);
        final ListObjectsResponse afterMarker = s3.listObjects(b -> b.bucket("lists-1").prefix("b/").marker("b/1"));
        assertThat(afterMarker.contents()).extracting(S3Object::key).containsExactly("b/c/2", "b/c/3");
        assertThat(afterMarker.isTruncated()).isFalse();
        assertThat(s3.getBucketLocation(b -> b.bucket("lists-1")).locationConstraintAsString()).isEmpty();
    }

    @Test
    void shouldRefuseAWrongSecretAndAnonymousRequests() throws IOException
    {
        s3.createBucket(b -> b.bucket("auth-1"));
        s3.putObject(b -> b.bucket("auth-1").key("k"), RequestBody.fromString("secret bytes"));
        try (S3Client wrong = client(SECRET + "x", false))
        {
            assertThatThrownBy(() -> wrong.getObjectAsBytes(b -> b.bucket("auth-1").key("k")))
                .isInstanceOfSatisfying(S3Exception.class, ex ->
                {
                    assertThat(ex.statusCode()).isEqualTo(403);
                    assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                });
            assertThatThrownBy(() -> wrong.putObject(b -> b.bucket("auth-1").key("k"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class,
                    ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
        final HttpURLConnection anonymous = (HttpURLConnection)endpoint().resolve("/auth-1/k").toURL().openConnection();
        assertThat(anonymous.getResponseCode()).isEqualTo(403);
        try (InputStream error = anonymous.getErrorStream())
        {
            assertThat(new String(error.readAllBytes(), StandardCharsets.UTF_8)).contains("<Code>AccessDenied</Code>");
        }
        assertThat(s3.getObjectAsBytes(b -> b.bucket("auth-1").key("k")).asUtf8String()).isEqualTo("secret bytes");
    }

    @Test
    void shouldServePresignedUrlsUntilTheyExpire() throws IOException
    {
        s3.createBucket(b -> b.bucket("presigned-1"));
        s3.putObject(b -> b.bucket("presigned-1").key("p"), RequestBody.fromString("presigned bytes"));
        final URL url;
        try (S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
            .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                .pathStyleAccessEnabled(true).build())
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
            .build())
        {
            url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofSeconds(60))
                .getObjectRequest(g -> g.bucket("presigned-1").key("p"))).url();
        }
        final HttpURLConnection fresh = (HttpURLConnection)url.openConnection();
        assertThat(fresh.getResponseCode()).isEqualTo(200);
        try (InputStream body = fresh.getInputStream())
        {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("presigned bytes");
        }

        CLOCK.advance(Duration.ofSeconds(120));
        try
        {
            final HttpURLConnection expired = (HttpURLConnection)url.openConnection();
            assertThat(expired.getResponseCode()).isEqualTo(403);
            try (InputStream error = expired.getErrorStream())
            {
                assertThat(new String(error.readAllBytes(), StandardCharsets.UTF_8))
                    .contains("<Code>AccessDenied</Code>").contains("expired");
            }
        }
        finally
        {
            CLOCK.advance(Duration.ofSeconds(-120));
        }
    }

    @Test
    void shouldRejectAWrongChecksumAndStoreNothing() throws Exception
    {
        s3.createBucket(b -> b.bucket("digests-1"));
        final byte[] old = random(4, 100_000);
        s3.putObject(b -> b.bucket("digests-1").key("kept"), RequestBody.fromBytes(old));
        final byte[] content = random(5, 1_200_000);
        final String wrongSha256 = Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(old));

        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("digests-1").key("kept").checksumSHA256(wrongSha256),
            RequestBody.fromBytes(content))).isInstanceOfSatisfying(S3Exception.class, ex ->
            {
                assertThat(ex.statusCode()).isEqualTo(400);
                assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
            });
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("digests-1").key("new").checksumSHA256(wrongSha256),
            RequestBody.fromBytes(content))).isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));
        final String wrongMd5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(old));
        assertThatThrownBy(() -> s3.putObject(b -> b.bucket("digests-1").key("new").contentMD5(wrongMd5),
            RequestBody.fromBytes(content))).isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("BadDigest"));

        assertThat(s3.getObjectAsBytes(b -> b.bucket("digests-1").key("kept")).asByteArray()).isEqualTo(old);
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("digests-1").key("new")))
            .isInstanceOf(NoSuchKeyException.class);
        assertThat(store.list(ObjectNames.objectPrefix("digests-1"))).hasSize(1);

        final String rightSha256 = Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(content));
        s3.putObject(b -> b.bucket("digests-1").key("new").checksumSHA256(rightSha256), RequestBody.fromBytes(content));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("digests-1").key("new")).asByteArray()).isEqualTo(content);
    }

    @Test
    void shouldUploadInPartsOutOfOrderAndListAbortAndComplete() throws Exception
    {
        s3.createBucket(b -> b.bucket("multipart-1"));
        final byte[][] parts = {random(11, 5 * 1024 * 1024), random(12, 5 * 1024 * 1024 + 3), random(13, 700_001)};
        final String uploadId = s3.createMultipartUpload(b -> b.bucket("multipart-1").key("big/object")
            .contentType("application/x-parts")).uploadId();
        final String[] etags = new String[parts.length];
        for (final int index : new int[]{2, 0, 1})
        {
            etags[index] = s3.uploadPart(b -> b.bucket("multipart-1").key("big/object").uploadId(uploadId)
                .partNumber(index + 1), RequestBody.fromBytes(parts[index])).eTag();
            assertThat(etags[index]).isEqualTo("\"" + md5(parts[index]) + "\"");
        }
        final var listed = s3.listParts(b -> b.bucket("multipart-1").key("big/object").uploadId(uploadId));
        assertThat(listed.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::partNumber)
            .containsExactly(1, 2, 3);
        assertThat(listed.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::eTag)
            .containsExactly(etags);
        assertThat(listed.parts()).extracting(software.amazon.awssdk.services.s3.model.Part::size)
            .containsExactly((long)parts[0].length, (long)parts[1].length, (long)parts[2].length);

        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("multipart-1").key("big/object")
            .uploadId(uploadId).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(etags[1]).build()))))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("InvalidPart"));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("multipart-1").key("big/object")
            .uploadId(uploadId).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(3).eTag(etags[2]).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(etags[0]).build()))))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("InvalidPartOrder"));
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("multipart-1").key("big/object")))
            .isInstanceOf(NoSuchKeyException.class);

        final var completed = s3.completeMultipartUpload(b -> b.bucket("multipart-1").key("big/object")
            .uploadId(uploadId).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1).eTag(etags[0]).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2).eTag(etags[1]).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(3).eTag(etags[2]).build())));

        final MessageDigest partDigests = MessageDigest.getInstance("MD5");
        final java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            partDigests.update(MessageDigest.getInstance("MD5").digest(part));
            whole.writeBytes(part);
        }
        assertThat(completed.eTag()).isEqualTo("\"" + HexFormat.of().formatHex(partDigests.digest()) + "-3\"");
        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("multipart-1").key("big/object"));
        assertThat(got.asByteArray()).isEqualTo(whole.toByteArray());
        assertThat(got.response().eTag()).isEqualTo(completed.eTag());
        assertThat(got.response().contentType()).isEqualTo("application/x-parts");
        assertThat(store.list(MultipartUploads.UPLOADS)).isEmpty();
        assertThatThrownBy(() -> s3.listParts(b -> b.bucket("multipart-1").key("big/object").uploadId(uploadId)))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("NoSuchUpload"));

        final String tinyEtag = "\"" + md5("tiny".getBytes(StandardCharsets.UTF_8)) + "\"";
        final String aborted = s3.createMultipartUpload(b -> b.bucket("multipart-1").key("never")).uploadId();
        s3.uploadPart(b -> b.bucket("multipart-1").key("never").uploadId(aborted).partNumber(1),
            RequestBody.fromString("tiny"));
        final String tooSmall = s3.uploadPart(b -> b.bucket("multipart-1").key("never").uploadId(aborted)
            .partNumber(2), RequestBody.fromString("tiny too")).eTag();
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket("multipart-1").key("never")
            .uploadId(aborted).multipartUpload(m -> m.parts(
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(1)
                    .eTag(tinyEtag).build(),
                software.amazon.awssdk.services.s3.model.CompletedPart.builder().partNumber(2).eTag(tooSmall).build()))))
            .isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("EntityTooSmall"));
        s3.abortMultipartUpload(b -> b.bucket("multipart-1").key("never").uploadId(aborted));
        assertThat(store.list(MultipartUploads.UPLOADS)).isEmpty();
        assertThatThrownBy(() -> s3.headObject(b -> b.bucket("multipart-1").key("never")))
            .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void shouldCopyObjects() throws Exception
    {
        s3.createBucket(b -> b.bucket("copy-from"));
        s3.createBucket(b -> b.bucket("copy-to"));
        final byte[] content = random(21, 2_500_000);
        s3.putObject(b -> b.bucket("copy-from").key("src/a b").contentType("text/x-source"),
            RequestBody.fromBytes(content));

        final var copied = s3.copyObject(b -> b.sourceBucket("copy-from").sourceKey("src/a b")
            .destinationBucket("copy-to").destinationKey("dst/c%d"));

        assertThat(copied.copyObjectResult().eTag()).isEqualTo("\"" + md5(content) + "\"");
        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("copy-to").key("dst/c%d"));
        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(got.response().contentType()).isEqualTo("text/x-source");
        assertThatThrownBy(() -> s3.copyObject(b -> b.sourceBucket("copy-from").sourceKey("missing")
            .destinationBucket("copy-to").destinationKey("x"))).isInstanceOfSatisfying(S3Exception.class,
                ex -> assertThat(ex.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey"));
    }

    @Test
    void shouldServeHealthAndMetrics() throws IOException
    {
        s3.createBucket(b -> b.bucket("metrics-1"));
        s3.putObject(b -> b.bucket("metrics-1").key("m"), RequestBody.fromString("counted"));
        final HttpURLConnection health = (HttpURLConnection)endpoint().resolve("/health").toURL().openConnection();
        assertThat(health.getResponseCode()).isEqualTo(200);
        final HttpURLConnection metrics = (HttpURLConnection)endpoint().resolve("/metrics").toURL().openConnection();
        assertThat(metrics.getResponseCode()).isEqualTo(200);
        try (InputStream body = metrics.getInputStream())
        {
            // The SDK's defaults over plain HTTP: aws-chunked with signed chunks and a signed checksum trailer.
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                .contains("rfs_gateway_requests_total ")
                .containsPattern("rfs_gateway_request_duration_seconds_count\\{operation=\"PutObject\"} [1-9]")
                .containsPattern("rfs_gateway_request_duration_seconds_bucket\\{operation=\"CreateBucket\",le=\"\\+Inf\"} [1-9]")
                .contains("rfs_gateway_chunk_cache_hit_ratio ")
                .containsPattern("rfs_gateway_put_bodies_total\\{mode=\"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER\"} [1-9]");
        }
    }

    @Test
    void shouldServeARepeatedGetFromTheChunkCache() throws Exception
    {
        final byte[] bytes = random(11, 3 * 1024 * 1024 + 17);
        s3.createBucket(b -> b.bucket("cache-1"));
        s3.putObject(b -> b.bucket("cache-1").key("hot"), RequestBody.fromBytes(bytes));
        assertThat(s3.getObjectAsBytes(b -> b.bucket("cache-1").key("hot")).asByteArray()).isEqualTo(bytes);
        final long hitsAfterFirst = CACHE.hits();
        final long missesAfterFirst = CACHE.misses();

        assertThat(s3.getObjectAsBytes(b -> b.bucket("cache-1").key("hot")).asByteArray()).isEqualTo(bytes);

        final int chunks = store.stat(ObjectNames.objectName("cache-1", "hot")).chunkCount();
        assertThat(chunks).isGreaterThan(1);
        assertThat(CACHE.hits() - hitsAfterFirst).as("every chunk of the second get").isGreaterThanOrEqualTo(chunks);
        assertThat(CACHE.misses()).isEqualTo(missesAfterFirst);
        final HttpURLConnection metrics = (HttpURLConnection)endpoint().resolve("/metrics").toURL().openConnection();
        try (InputStream body = metrics.getInputStream())
        {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8))
                .containsPattern("rfs_gateway_chunk_cache_hits_total [1-9]")
                .containsPattern("rfs_gateway_chunk_cache_hit_bytes_total [1-9]");
        }
    }

    /**
     * The gateway's clock, which the test moves to expire presigned URLs.
     */
    private static final class SettableClock extends Clock
    {
        private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

        void advance(final Duration by)
        {
            offset.updateAndGet(current -> current.plus(by));
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant()
        {
            return Instant.now().plus(offset.get());
        }
    }
}
