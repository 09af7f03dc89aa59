package io.rfs.gateway;

import io.rfs.store.FileStore;
import io.rfs.store.LocalFileStore;
import io.rfs.store.LocalStoreContext;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which store operations a small PutObject and GetObject cost (each one is a quorum operation on a cluster): the
 * gateway over a local store behind a proxy that records every {@link FileStore} call.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class S3GatewayStoreCallsTest
{
    private static final String ACCESS_KEY = "RFSTESTACCESSKEY";
    private static final String SECRET = "rfs-test-secret-access-key/0123456789";

    @TempDir
    Path directory;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private LocalFileStore local;
    private S3Gateway gateway;
    private S3Client s3;

    @AfterEach
    void stop()
    {
        CloseHelper.closeAll(s3, gateway, local);
    }

    private void start(final long bucketCacheTtlNs) throws Exception
    {
        local = LocalFileStore.open(new LocalStoreContext().dataDirectory(directory.resolve("data")));
        final FileStore recorded = (FileStore)Proxy.newProxyInstance(FileStore.class.getClassLoader(),
            new Class<?>[]{FileStore.class}, (proxy, method, args) ->
            {
                calls.add(method.getName() + (args == null ? "" : " " + args[0]));
                try
                {
                    return method.invoke(local, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
        gateway = S3Gateway.start(new S3Gateway.Context().address(new InetSocketAddress("127.0.0.1", 0))
            .store(recorded).credentials(Map.of(ACCESS_KEY, SECRET)).healthIntervalNs(TimeUnit.HOURS.toNanos(1))
            .bucketCacheTtlNs(bucketCacheTtlNs));
        s3 = S3Client.builder()
            .endpointOverride(URI.create("http://127.0.0.1:" + gateway.address().getPort()))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET)))
            .build();
        s3.createBucket(b -> b.bucket("calls"));
    }

    @Test
    void shouldPutASmallObjectWithTwoStoreWritesAndGetItWithTwoReadsOfOneVersionEach() throws Exception
    {
        start(TimeUnit.HOURS.toNanos(1));
        final byte[] content = new byte[4096];
        s3.putObject(b -> b.bucket("calls").key("k").contentType("text/plain"), RequestBody.fromBytes(content));
        calls.clear();

        s3.putObject(b -> b.bucket("calls").key("k").contentType("text/plain"), RequestBody.fromBytes(content));
        assertThat(calls).as("the bucket was seen within the TTL: no marker read")
            .containsExactly("put " + ObjectNames.objectName("calls", "k"),
                "put " + ObjectNames.metadataName("calls", "k"));
        calls.clear();

        final ResponseBytes<GetObjectResponse> got = s3.getObjectAsBytes(b -> b.bucket("calls").key("k"));
        assertThat(got.asByteArray()).isEqualTo(content);
        assertThat(got.response().contentType()).isEqualTo("text/plain");
        assertThat(got.response().eTag()).isEqualTo("\"620f0b67a91f7f74151bc5be745b7110\"");
        assertThat(calls).as("the metadata, then the object's one version")
            .containsExactly("get " + ObjectNames.metadataName("calls", "k"),
                "get " + ObjectNames.objectName("calls", "k"));
    }

    @Test
    void shouldReadTheBucketMarkerForEveryPutWithTheCacheOff() throws Exception
    {
        start(0);
        calls.clear();
        s3.putObject(b -> b.bucket("calls").key("k"), RequestBody.fromBytes(new byte[10]));
        assertThat(calls).containsExactly("stat " + ObjectNames.bucketMarker("calls"),
            "put " + ObjectNames.objectName("calls", "k"), "put " + ObjectNames.metadataName("calls", "k"));
    }
}
