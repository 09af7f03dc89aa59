package io.rfs.gateway;

/**
 * The S3 operation a request asks for, named as in the S3 API reference: the label of the gateway's per-operation
 * metrics. Told from the method, whether the path names a bucket and a key, and the query's sub-resources alone, so
 * a request is counted under its operation even when it is refused (bad signature, no such bucket).
 */
enum S3Operation
{
    LIST_BUCKETS("ListBuckets"),
    CREATE_BUCKET("CreateBucket"),
    DELETE_BUCKET("DeleteBucket"),
    HEAD_BUCKET("HeadBucket"),
    LIST_OBJECTS("ListObjects"),
    LIST_OBJECTS_V2("ListObjectsV2"),
    GET_BUCKET_LOCATION("GetBucketLocation"),
    PUT_OBJECT("PutObject"),
    COPY_OBJECT("CopyObject"),
    GET_OBJECT("GetObject"),
    HEAD_OBJECT("HeadObject"),
    DELETE_OBJECT("DeleteObject"),
    CREATE_MULTIPART_UPLOAD("CreateMultipartUpload"),
    UPLOAD_PART("UploadPart"),
    LIST_PARTS("ListParts"),
    COMPLETE_MULTIPART_UPLOAD("CompleteMultipartUpload"),
    ABORT_MULTIPART_UPLOAD("AbortMultipartUpload"),
    HEALTH("Health"),
    METRICS("Metrics"),
    OTHER("Other");

    private final String apiName;

    S3Operation(final String apiName)
    {
        this.apiName = apiName;
    }

    /**
     * @return the operation's name in the S3 API reference, e.g. {@code GetObject}.
     */
    String apiName()
    {
        return apiName;
    }

    /**
     * @param request    the request.
     * @param statusPage whether it is an unsigned {@code /health} or {@code /metrics} request.
     * @return what it asks for.
     */
    static S3Operation of(final RequestView request, final boolean statusPage)
    {
        final String path = request.rawPath() == null ? "/" : request.rawPath();
        if (statusPage)
        {
            return "/health".equals(path) ? HEALTH : METRICS;
        }
        final String query = request.rawQuery() == null ? "" : "&" + request.rawQuery();
        final int slash = path.indexOf('/', 1);
        final boolean bucket = path.length() > 1;
        final boolean key = slash > 0 && slash < path.length() - 1;
        final String method = request.method();
        if (!bucket)
        {
            return "GET".equals(method) ? LIST_BUCKETS : OTHER;
        }
        if (!key)
        {
            return switch (method)
            {
                case "PUT" -> CREATE_BUCKET;
                case "DELETE" -> DELETE_BUCKET;
                case "HEAD" -> HEAD_BUCKET;
                case "GET" -> has(query, "location") ? GET_BUCKET_LOCATION :
                    has(query, "list-type") ? LIST_OBJECTS_V2 : LIST_OBJECTS;
                default -> OTHER;
            };
        }
        if (has(query, "uploads"))
        {
            return "POST".equals(method) ? CREATE_MULTIPART_UPLOAD : OTHER;
        }
        if (has(query, "uploadId"))
        {
            return switch (method)
            {
                case "PUT" -> UPLOAD_PART;
                case "POST" -> COMPLETE_MULTIPART_UPLOAD;
                case "DELETE" -> ABORT_MULTIPART_UPLOAD;
                case "GET" -> LIST_PARTS;
                default -> OTHER;
            };
        }
        return switch (method)
        {
            case "PUT" -> request.header("x-amz-copy-source") != null ? COPY_OBJECT : PUT_OBJECT;
            case "GET" -> GET_OBJECT;
            case "HEAD" -> HEAD_OBJECT;
            case "DELETE" -> DELETE_OBJECT;
            default -> OTHER;
        };
    }

    private static boolean has(final String query, final String parameter)
    {
        return query.contains("&" + parameter + "=") || query.contains("&" + parameter + "&") ||
            query.endsWith("&" + parameter);
    }
}
