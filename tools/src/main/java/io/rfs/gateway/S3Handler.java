package io.rfs.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rfs.replication.http.HealthReport;
import io.rfs.replication.http.PrometheusText;
import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.store.TransferListener;
import io.rfs.store.UnknownFileException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Serves one S3 request (path-style addressing: {@code /bucket/key}) against a {@link FileStore}: authenticates it,
 * dispatches on method, path and query, and answers with S3's headers and XML, or an S3 error document.
 * <p>
 * <b>Threads.</b> Called on the gateway's request threads, many at once; it keeps no per-request state in fields.
 * Bodies stream in both directions: a put hands the decoding, verifying body stream to the store's put, a get hands
 * the response stream to the store's get, so memory per request is the store's window, not the object's size.
 */
final class S3Handler implements HttpHandler
{
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final int MAX_SMALL_BODY_BYTES = 64 * 1024;
    /** The query parameters of ListObjects and ListObjectsV2; any other on a bucket GET is a sub-resource. */
    private static final Set<String> LISTING_PARAMETERS = Set.of("list-type", "prefix",
        "delimiter", "max-keys", "continuation-token", "start-after", "encoding-type", "fetch-owner", "marker");

    private final FileStore store;
    private final SigV4Verifier verifier;
    private final boolean anonymousReads;
    private final GatewayCounters counters;
    private final MultipartRequests multipart;
    private final GatewayHealth health;
    private final HotChunkCache chunkCache;
    private final BucketCache buckets;

    S3Handler(final FileStore store, final SigV4Verifier verifier, final boolean anonymousReads,
        final GatewayCounters counters, final GatewayHealth health, final HotChunkCache chunkCache,
        final BucketCache buckets)
    {
        this.buckets = buckets;
        this.health = health;
        this.chunkCache = chunkCache;
        this.store = store;
        this.verifier = verifier;
        this.anonymousReads = anonymousReads;
        this.counters = counters;
        this.multipart = new MultipartRequests(new MultipartUploads(store), counters);
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        final long startNs = System.nanoTime();
        S3Operation operation = S3Operation.OTHER;
        counters.requests.increment();
        counters.inFlight.incrementAndGet();
        final String requestId = Long.toHexString(UUID.randomUUID().getMostSignificantBits()).toUpperCase(Locale.ROOT);
        exchange.getResponseHeaders().set("x-amz-request-id", requestId);
        exchange.getResponseHeaders().set("Server", "rfs");
        try (exchange)
        {
            final RequestView request = view(exchange);
            final boolean statusPage = !SigV4Verifier.isSigned(request) && isStatusPage(request);
            operation = S3Operation.of(request, statusPage);
            try
            {
                if (statusPage)
                {
                    statusPage(exchange, request);
                    return;
                }
                serve(exchange, request, authenticate(request));
            }
            catch (final RangeOutputStream.RangeComplete ex)
            {
                // the range was sent; the read of the chunks after it stopped
            }
            catch (final S3Exception ex)
            {
                error(exchange, request, ex.error(), ex.getMessage(), requestId);
            }
            catch (final UnknownFileException ex)
            {
                error(exchange, request, S3Error.NO_SUCH_KEY, "The specified key does not exist.", requestId);
            }
            catch (final IOException | RuntimeException ex)
            {
                error(exchange, request, ex instanceof io.rfs.store.RfsException ?
                    S3Error.SERVICE_UNAVAILABLE : S3Error.INTERNAL_ERROR, String.valueOf(ex.getMessage()), requestId);
            }
        }
        finally
        {
            counters.inFlight.decrementAndGet();
            counters.served(operation, System.nanoTime() - startNs);
        }
    }

    private static RequestView view(final HttpExchange exchange)
    {
        final Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        return new RequestView(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
            exchange.getRequestURI().getRawQuery(), headers);
    }

    private Authorization authenticate(final RequestView request) throws S3Exception
    {
        if (SigV4Verifier.isSigned(request))
        {
            return verifier.verify(request);
        }
        if (anonymousReads && ("GET".equals(request.method()) || "HEAD".equals(request.method())))
        {
            return null;
        }
        throw S3Error.ACCESS_DENIED.exception("Anonymous access is refused; sign requests with an access key.");
    }

    private void serve(final HttpExchange exchange, final RequestView request, final Authorization authorization)
        throws IOException
    {
        final String path = request.rawPath() == null ? "/" : request.rawPath();
        final int slash = path.indexOf('/', 1);
        final String bucket = SigV4.percentDecode(slash < 0 ? path.substring(1) : path.substring(1, slash));
        final String key = slash < 0 ? "" : SigV4.percentDecode(path.substring(slash + 1));
        final Map<String, String> query = new LinkedHashMap<>();
        SigV4.parseQuery(request.rawQuery()).forEach(pair -> query.putIfAbsent(pair.getKey(), pair.getValue()));
        final String method = request.method();
        if (bucket.isEmpty())
        {
            S3Responses.require(method, "GET");
            listBuckets(exchange);
            return;
        }
        ObjectNames.checkBucket(bucket);
        if (key.isEmpty())
        {
            switch (method)
            {
                case "PUT" -> createBucket(exchange, bucket);
                case "DELETE" -> deleteBucket(exchange, bucket);
                case "HEAD" -> headBucket(exchange, bucket);
                case "GET" ->
                {
                    if (query.containsKey("location"))
                    {
                        bucketLocation(exchange, bucket);
                    }
                    else
                    {
                        listObjects(exchange, bucket, query);
                    }
                }
                default -> throw S3Error.METHOD_NOT_ALLOWED.exception(method + " is not allowed on a bucket");
            }
            return;
        }
        if (query.containsKey("uploads") || query.containsKey("uploadId"))
        {
            ObjectNames.objectName(bucket, key);
            requireBucket(bucket);
            multipart.serve(exchange, request, authorization, bucket, key, query);
            return;
        }
        switch (method)
        {
            case "PUT" -> putObject(exchange, request, authorization, bucket, key);
            case "GET", "HEAD" -> getObject(exchange, request, bucket, key);
            case "DELETE" -> deleteObject(exchange, bucket, key);
            default -> throw S3Error.METHOD_NOT_ALLOWED.exception(method + " is not allowed on an object");
        }
    }

    // ------------------------------------------------------------------------------------------------ buckets

    private void listBuckets(final HttpExchange exchange) throws IOException
    {
        final S3Xml xml = new S3Xml().openRoot("ListAllMyBucketsResult")
            .open("Owner").element("ID", "rfs").element("DisplayName", "rfs").close("Owner").open("Buckets");
        for (final FileStat marker : store.list(ObjectNames.BUCKETS))
        {
            xml.open("Bucket").element("Name", marker.name().substring(ObjectNames.BUCKETS.length()))
                .element("CreationDate", S3Xml.time(Instant.ofEpochMilli(marker.version().physicalMs())))
                .close("Bucket");
        }
        S3Responses.sendXml(exchange, 200, xml.close("Buckets").close("ListAllMyBucketsResult"));
    }

    private void createBucket(final HttpExchange exchange, final String bucket) throws IOException
    {
        readSmallBody(exchange);
        buckets.forget(bucket);
        if (bucketExists(bucket))
        {
            throw S3Error.BUCKET_ALREADY_OWNED_BY_YOU.exception(
                "Your previous request to create the named bucket succeeded and you already own it.");
        }
        SmallFiles.write(store, ObjectNames.bucketMarker(bucket), new byte[0]);
        buckets.sawExisting(bucket);
        exchange.getResponseHeaders().set("Location", "/" + bucket);
        S3Responses.sendEmpty(exchange, 200);
    }

    private void deleteBucket(final HttpExchange exchange, final String bucket) throws IOException
    {
        buckets.forget(bucket);
        requireBucket(bucket);
        if (!store.list(ObjectNames.objectPrefix(bucket)).isEmpty())
        {
            throw S3Error.BUCKET_NOT_EMPTY.exception("The bucket you tried to delete is not empty.");
        }
        store.delete(ObjectNames.bucketMarker(bucket));
        buckets.forget(bucket);
        S3Responses.sendEmpty(exchange, 204);
    }

    private void headBucket(final HttpExchange exchange, final String bucket) throws IOException
    {
        requireBucket(bucket);
        S3Responses.sendEmpty(exchange, 200);
    }

    /**
     * @return true if the bucket's marker exists, or was seen to within the {@link BucketCache}'s TTL.
     */
    private boolean bucketExists(final String bucket) throws IOException
    {
        if (buckets.exists(bucket))
        {
            return true;
        }
        try
        {
            store.stat(ObjectNames.bucketMarker(bucket));
            buckets.sawExisting(bucket);
            return true;
        }
        catch (final UnknownFileException ex)
        {
            return false;
        }
    }

    private void requireBucket(final String bucket) throws IOException
    {
        if (!bucketExists(bucket))
        {
            throw S3Error.NO_SUCH_BUCKET.exception("The specified bucket does not exist.");
        }
    }

    // ------------------------------------------------------------------------------------------------ listing

    /**
     * ListObjectsV2 ({@code list-type=2}) or the original ListObjects (no {@code list-type}), which clients such as
     * rclone still use by default: the same page, the start point named by a continuation token (or
     * {@code start-after}) in V2 and by {@code marker} in V1.
     */
    private void listObjects(final HttpExchange exchange, final String bucket, final Map<String, String> query)
        throws IOException
    {
        for (final String parameter : query.keySet())
        {
            if (!LISTING_PARAMETERS.contains(parameter))
            {
                throw S3Error.NOT_IMPLEMENTED.exception("GET on a bucket with ?" + parameter + " is not supported");
            }
        }
        final boolean v2 = query.containsKey("list-type");
        if (v2 && !"2".equals(query.get("list-type")))
        {
            throw S3Error.INVALID_ARGUMENT.exception("list-type must be 2, is " + query.get("list-type"));
        }
        requireBucket(bucket);
        final String prefix = query.getOrDefault("prefix", "");
        final String delimiter = query.getOrDefault("delimiter", "");
        final boolean urlEncoding = "url".equals(query.get("encoding-type"));
        final int maxKeys = S3Responses.maxKeys(query.get("max-keys"));
        final String token = v2 ? query.get("continuation-token") : null;
        final String marker = v2 ? "" : query.getOrDefault("marker", "");
        final String startAfter = token != null ? ListingToken.decode(token) :
            v2 ? query.getOrDefault("start-after", "") : marker;
        // A V1 marker is the previous page's last key or common prefix: skip the keys under a common prefix.
        final boolean skipUnder = token != null ? ListingToken.isPrefix(token) : !v2 && !delimiter.isEmpty() &&
            marker.length() > prefix.length() && marker.startsWith(prefix) && marker.endsWith(delimiter);

        final ListingPage page = ListingPage.of(keys(bucket, prefix), prefix, delimiter, startAfter, skipUnder,
            maxKeys);
        final S3Xml xml = new S3Xml().openRoot("ListBucketResult")
            .element("Name", bucket)
            .element("Prefix", encode(prefix, urlEncoding));
        if (v2)
        {
            xml.element("KeyCount", page.keys().size() + page.commonPrefixes().size());
        }
        else
        {
            xml.element("Marker", encode(marker, urlEncoding));
        }
        xml.element("MaxKeys", maxKeys).element("IsTruncated", page.truncated());
        if (!delimiter.isEmpty())
        {
            xml.element("Delimiter", encode(delimiter, urlEncoding));
        }
        if (urlEncoding)
        {
            xml.element("EncodingType", "url");
        }
        if (token != null)
        {
            xml.element("ContinuationToken", token);
        }
        if (v2 && query.containsKey("start-after"))
        {
            xml.element("StartAfter", encode(query.get("start-after"), urlEncoding));
        }
        if (page.truncated())
        {
            if (v2)
            {
                xml.element("NextContinuationToken", ListingToken.encode(page.last(), page.lastIsPrefix()));
            }
            else
            {
                xml.element("NextMarker", encode(page.last(), urlEncoding));
            }
        }
        for (final ListingPage.Entry entry : page.keys())
        {
            final ObjectMetadata metadata = metadata(bucket, entry.key(), entry.stat());
            xml.open("Contents")
                .element("Key", encode(entry.key(), urlEncoding))
                .element("LastModified", S3Xml.time(Instant.ofEpochMilli(entry.stat().version().physicalMs())))
                .element("ETag", metadata.quotedEtag())
                .element("Size", entry.stat().size())
                .element("StorageClass", "STANDARD")
                .close("Contents");
        }
        for (final String common : page.commonPrefixes())
        {
            xml.open("CommonPrefixes").element("Prefix", encode(common, urlEncoding)).close("CommonPrefixes");
        }
        S3Responses.sendXml(exchange, 200, xml.close("ListBucketResult"));
    }

    /**
     * GetBucketLocation: the gateway's region, which S3 writes as an empty constraint for {@code us-east-1}.
     */
    private void bucketLocation(final HttpExchange exchange, final String bucket) throws IOException
    {
        requireBucket(bucket);
        final String region = verifier.region();
        S3Responses.sendXml(exchange, 200, new S3Xml().openRoot("LocationConstraint")
            .text("us-east-1".equals(region) ? "" : region).close("LocationConstraint"));
    }

    private List<ListingPage.Entry> keys(final String bucket, final String prefix) throws IOException
    {
        final List<ListingPage.Entry> keys = new ArrayList<>();
        for (final FileStat stat : store.list(ObjectNames.listingPrefix(bucket, prefix)))
        {
            final String key = ObjectNames.keyOf(bucket, stat.name());
            if (key.startsWith(prefix))
            {
                keys.add(new ListingPage.Entry(key, stat));
            }
        }
        return keys;
    }

    private static String encode(final String value, final boolean urlEncoding)
    {
        return urlEncoding ? SigV4.uriEncode(value, true) : value;
    }

    // ------------------------------------------------------------------------------------------------ objects

    private void putObject(final HttpExchange exchange, final RequestView request, final Authorization authorization,
        final String bucket, final String key) throws IOException
    {
        final String name = ObjectNames.objectName(bucket, key);
        requireBucket(bucket);
        if (request.header("x-amz-copy-source") != null)
        {
            copyObject(exchange, request, bucket, key);
            return;
        }
        final RequestBody body = RequestBody.open(
            new BufferedInputStream(exchange.getRequestBody(), RequestBody.BUFFER_BYTES), request, authorization);
        counters.putBody(authorization == null ? SigV4.UNSIGNED_PAYLOAD : authorization.payloadHash());
        final FileStat stat = store.put(name, body.stream(), TransferListener.NONE);
        counters.bytesIn.add(stat.size());
        final String etag = SigV4.hex(body.stream().result(ChecksumAlgorithm.MD5));
        final String contentType = request.header("content-type");
        final ObjectMetadata metadata = new ObjectMetadata(
            etag, contentType == null ? ObjectMetadata.DEFAULT_CONTENT_TYPE : contentType, stat.sha256());
        SmallFiles.write(store, ObjectNames.metadataName(bucket, key), metadata.encode());
        exchange.getResponseHeaders().set("ETag", metadata.quotedEtag());
        body.checksumHeaders().forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
        S3Responses.sendEmpty(exchange, 200);
    }

    private void copyObject(final HttpExchange exchange, final RequestView request, final String bucket,
        final String key) throws IOException
    {
        String source = SigV4.percentDecode(request.header("x-amz-copy-source"));
        source = source.startsWith("/") ? source.substring(1) : source;
        final int slash = source.indexOf('/');
        if (slash <= 0 || slash == source.length() - 1 || source.contains("?versionId="))
        {
            throw S3Error.INVALID_ARGUMENT.exception("x-amz-copy-source must be BUCKET/KEY (no versions)");
        }
        final String sourceBucket = source.substring(0, slash);
        final String sourceKey = source.substring(slash + 1);
        ObjectNames.checkBucket(sourceBucket);
        final String sourceName = ObjectNames.objectName(sourceBucket, sourceKey);
        final FileStat sourceStat = statObject(sourceBucket, sourceName);
        final ObjectMetadata sourceMetadata = metadata(sourceBucket, sourceKey, sourceStat);
        final String name = ObjectNames.objectName(bucket, key);
        final FileStat stat = StorePipe.copy(store, List.of(sourceName),
            in -> store.put(name, in, TransferListener.NONE));
        // The same bytes have the same MD5 and the same multipart ETag; if the source changed meanwhile, the
        // SHA-256 link leaves the copy with the derived ETag rather than a wrong one.
        final String contentType = "REPLACE".equals(request.header("x-amz-metadata-directive")) &&
            request.header("content-type") != null ? request.header("content-type") : sourceMetadata.contentType();
        final ObjectMetadata metadata = new ObjectMetadata(sourceMetadata.etag(), contentType,
            stat.sha256().equals(sourceStat.sha256()) ? stat.sha256() : "");
        SmallFiles.write(store, ObjectNames.metadataName(bucket, key), metadata.encode());
        counters.bytesIn.add(stat.size());
        S3Responses.sendXml(exchange, 200, new S3Xml().openRoot("CopyObjectResult")
            .element("LastModified", S3Xml.time(Instant.ofEpochMilli(stat.version().physicalMs())))
            .element("ETag", ObjectMetadata.decode(metadata.encode(), stat).quotedEtag())
            .close("CopyObjectResult"));
    }

    /**
     * GetObject and HeadObject. A GET reads the object's metadata file, then the object, whose headers are sent as
     * soon as its version is known ({@link FileStore#get(String, FileStore.VersionedSink, TransferListener)}): two
     * quorum reads, and the headers always describe the bytes that follow. A HEAD sends no body: the object's
     * {@code stat} and its metadata.
     */
    private void getObject(final HttpExchange exchange, final RequestView request, final String bucket,
        final String key) throws IOException
    {
        final String name = ObjectNames.objectName(bucket, key);
        if ("HEAD".equals(request.method()))
        {
            final FileStat stat = statObject(bucket, name);
            sendObjectHeaders(exchange, request, stat, metadata(bucket, key, stat));
            return;
        }
        final byte[] metadataFile = SmallFiles.read(store, ObjectNames.metadataName(bucket, key));
        try
        {
            store.get(name, stat ->
            {
                final ByteRange span = sendObjectHeaders(exchange, request, stat,
                    ObjectMetadata.decode(metadataFile, stat));
                counters.bytesOut.add(span.length());
                return span.length() == 0 ? OutputStream.nullOutputStream() :
                    new RangeOutputStream(exchange.getResponseBody(), span.start(), span.length());
            }, TransferListener.NONE);
        }
        catch (final UnknownFileException ex)
        {
            requireBucket(bucket);
            throw S3Error.NO_SUCH_KEY.exception("The specified key does not exist.");
        }
    }

    /**
     * Sends the status line and headers of a GetObject or HeadObject of one version of an object.
     *
     * @return the bytes of the object the body carries: the range asked for, else all of them.
     */
    private static ByteRange sendObjectHeaders(final HttpExchange exchange, final RequestView request,
        final FileStat stat, final ObjectMetadata metadata) throws IOException
    {
        final ByteRange range = ByteRange.parse(request.header("range"), stat.size());
        final var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", metadata.contentType());
        headers.set("ETag", metadata.quotedEtag());
        headers.set("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(stat.version().physicalMs())));
        headers.set("Accept-Ranges", "bytes");
        final int status;
        if (range != null)
        {
            status = 206;
            headers.set("Content-Range", "bytes " + range.start() + "-" + (range.start() + range.length() - 1) +
                "/" + stat.size());
        }
        else
        {
            status = 200;
            if ("ENABLED".equalsIgnoreCase(request.header("x-amz-checksum-mode")))
            {
                // The store keeps every file's SHA-256: clients that ask can check the whole body end to end.
                headers.set("x-amz-checksum-sha256", Base64.getEncoder().encodeToString(
                    java.util.HexFormat.of().parseHex(stat.sha256())));
                headers.set("x-amz-checksum-type", "FULL_OBJECT");
            }
        }
        final ByteRange span = range != null ? range : new ByteRange(0, stat.size());
        if ("HEAD".equals(request.method()))
        {
            headers.set("Content-Length", Long.toString(span.length()));
            exchange.sendResponseHeaders(status, -1);
            return new ByteRange(span.start(), 0);
        }
        exchange.sendResponseHeaders(status, span.length() == 0 ? -1 : span.length());
        return span;
    }

    private void deleteObject(final HttpExchange exchange, final String bucket, final String key) throws IOException
    {
        final String name = ObjectNames.objectName(bucket, key);
        requireBucket(bucket);
        try
        {
            store.delete(name);
        }
        catch (final UnknownFileException ignore)
        {
            // S3 answers a delete of a missing key as a success
        }
        SmallFiles.delete(store, ObjectNames.metadataName(bucket, key));
        S3Responses.sendEmpty(exchange, 204);
    }

    /**
     * The object's current version. Its bucket is asked for only when the object does not exist (to tell
     * {@code NoSuchBucket} from {@code NoSuchKey}): a bucket is deleted only once empty, so an object's existence
     * proves its bucket's, and a read saves a quorum read.
     */
    private FileStat statObject(final String bucket, final String name) throws IOException
    {
        try
        {
            return store.stat(name);
        }
        catch (final UnknownFileException ex)
        {
            requireBucket(bucket);
            throw S3Error.NO_SUCH_KEY.exception("The specified key does not exist.");
        }
    }

    private ObjectMetadata metadata(final String bucket, final String key, final FileStat object) throws IOException
    {
        return ObjectMetadata.decode(SmallFiles.read(store, ObjectNames.metadataName(bucket, key)), object);
    }

    // ------------------------------------------------------------------------------------------------ responses

    private static boolean isStatusPage(final RequestView request)
    {
        return ("GET".equals(request.method()) || "HEAD".equals(request.method())) &&
            ("/health".equals(request.rawPath()) || "/metrics".equals(request.rawPath())) &&
            request.rawQuery() == null;
    }

    private void statusPage(final HttpExchange exchange, final RequestView request) throws IOException
    {
        if ("/health".equals(request.rawPath()))
        {
            final HealthReport report = health.report(Map.of("requestsInFlight", counters.inFlight.get()));
            S3Responses.send(exchange, report.serving() ? 200 : 503, "application/json", (report.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        else
        {
            final PrometheusText text = new PrometheusText();
            counters.write(text);
            if (chunkCache != null)
            {
                chunkCache.write(text);
            }
            S3Responses.send(exchange, 200, PrometheusText.CONTENT_TYPE, text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private void error(final HttpExchange exchange, final RequestView request, final S3Error error,
        final String message, final String requestId) throws IOException
    {
        counters.error(error);
        if (exchange.getResponseCode() != -1)
        {
            // The status line is out: all that can still be said is to cut the body short.
            return;
        }
        final S3Xml xml = new S3Xml().open("Error").element("Code", error.code()).element("Message", message)
            .element("Resource", request.rawPath()).element("RequestId", requestId).close("Error");
        S3Responses.send(exchange, error.status(), "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] readSmallBody(final HttpExchange exchange) throws IOException
    {
        final byte[] body = exchange.getRequestBody().readNBytes(MAX_SMALL_BODY_BYTES + 1);
        if (body.length > MAX_SMALL_BODY_BYTES)
        {
            throw S3Error.INVALID_REQUEST.exception("the request body is larger than " + MAX_SMALL_BODY_BYTES + " bytes");
        }
        return body;
    }
}
