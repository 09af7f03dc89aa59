package io.rfs.gateway;

import com.sun.net.httpserver.HttpExchange;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * The HTTP side of multipart uploads ({@code ?uploads} and {@code ?uploadId=} requests on an object): decodes
 * requests, calls {@link MultipartUploads}, writes S3's XML answers. Thread-safe; called on the request threads.
 */
final class MultipartRequests
{
    private final MultipartUploads uploads;
    private final GatewayCounters counters;

    MultipartRequests(final MultipartUploads uploads, final GatewayCounters counters)
    {
        this.uploads = uploads;
        this.counters = counters;
    }

    /**
     * Serves a request of an upload of an existing bucket, whose key is valid.
     */
    void serve(final HttpExchange exchange, final RequestView request, final Authorization authorization,
        final String bucket, final String key, final Map<String, String> query) throws IOException
    {
        final String uploadId = query.get("uploadId");
        final String method = request.method();
        if (uploadId == null)
        {
            S3Responses.require(method, "POST");
            final String contentType = request.header("content-type");
            final String id = uploads.initiate(bucket, key,
                contentType == null ? ObjectMetadata.DEFAULT_CONTENT_TYPE : contentType);
            S3Responses.sendXml(exchange, 200, new S3Xml().openRoot("InitiateMultipartUploadResult").element("Bucket", bucket)
                .element("Key", key).element("UploadId", id).close("InitiateMultipartUploadResult"));
            return;
        }
        switch (method)
        {
            case "PUT" ->
            {
                if (request.header("x-amz-copy-source") != null)
                {
                    throw S3Error.NOT_IMPLEMENTED.exception("UploadPartCopy is not supported yet");
                }
                final RequestBody body = RequestBody.open(
                    new BufferedInputStream(exchange.getRequestBody(), RequestBody.BUFFER_BYTES), request, authorization);
                counters.putBody(authorization == null ? SigV4.UNSIGNED_PAYLOAD : authorization.payloadHash());
                final String etag = uploads.uploadPart(uploadId, bucket, key, query.get("partNumber"), body.stream());
                counters.bytesIn.add(body.stream().length());
                exchange.getResponseHeaders().set("ETag", "\"" + etag + "\"");
                body.checksumHeaders().forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
                S3Responses.sendEmpty(exchange, 200);
            }
            case "POST" ->
            {
                final RequestBody body = RequestBody.open(exchange.getRequestBody(), request, authorization);
                final byte[] xml = body.stream().readNBytes(CompleteMultipartRequest.MAX_BYTES + 1);
                if (xml.length > CompleteMultipartRequest.MAX_BYTES || body.stream().read() >= 0)
                {
                    throw S3Error.MALFORMED_XML.exception("the part list is larger than " +
                        CompleteMultipartRequest.MAX_BYTES + " bytes");
                }
                final MultipartUploads.Completed completed =
                    uploads.complete(uploadId, bucket, key, CompleteMultipartRequest.parse(xml));
                S3Responses.sendXml(exchange, 200, new S3Xml().openRoot("CompleteMultipartUploadResult")
                    .element("Location", "/" + bucket + "/" + SigV4.uriEncode(key, true))
                    .element("Bucket", bucket).element("Key", key)
                    .element("ETag", completed.metadata().quotedEtag()).close("CompleteMultipartUploadResult"));
            }
            case "DELETE" ->
            {
                uploads.abort(uploadId, bucket, key);
                S3Responses.sendEmpty(exchange, 204);
            }
            case "GET" -> listParts(exchange, bucket, key, uploadId, query);
            default -> throw S3Error.METHOD_NOT_ALLOWED.exception(method + " is not allowed on an upload");
        }
    }

    private void listParts(final HttpExchange exchange, final String bucket, final String key, final String uploadId,
        final Map<String, String> query) throws IOException
    {
        final int marker = query.containsKey("part-number-marker") ?
            MultipartUploads.partNumber(query.get("part-number-marker")) : 0;
        final int maxParts = S3Responses.maxKeys(query.get("max-parts"));
        final S3Xml xml = new S3Xml().openRoot("ListPartsResult").element("Bucket", bucket).element("Key", key)
            .element("UploadId", uploadId).element("PartNumberMarker", marker).element("MaxParts", maxParts);
        int listed = 0;
        int last = marker;
        boolean truncated = false;
        for (final MultipartUploads.Part part : uploads.parts(uploadId, bucket, key))
        {
            if (part.number() <= marker)
            {
                continue;
            }
            if (listed == maxParts)
            {
                truncated = true;
                break;
            }
            xml.open("Part").element("PartNumber", part.number())
                .element("LastModified", S3Xml.time(Instant.ofEpochMilli(part.modified())))
                .element("ETag", "\"" + part.etag() + "\"").element("Size", part.size()).close("Part");
            listed++;
            last = part.number();
        }
        S3Responses.sendXml(exchange, 200, xml.element("NextPartNumberMarker", last).element("IsTruncated", truncated)
            .element("StorageClass", "STANDARD").close("ListPartsResult"));
    }
}
