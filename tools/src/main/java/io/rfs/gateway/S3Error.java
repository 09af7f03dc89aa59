package io.rfs.gateway;

/**
 * The S3 error codes the gateway answers with, each with its HTTP status, as Amazon S3 uses them
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
 */
public enum S3Error
{
    ACCESS_DENIED("AccessDenied", 403),
    BAD_DIGEST("BadDigest", 400),
    BUCKET_ALREADY_OWNED_BY_YOU("BucketAlreadyOwnedByYou", 409),
    BUCKET_NOT_EMPTY("BucketNotEmpty", 409),
    ENTITY_TOO_SMALL("EntityTooSmall", 400),
    INCOMPLETE_BODY("IncompleteBody", 400),
    INTERNAL_ERROR("InternalError", 500),
    INVALID_ACCESS_KEY_ID("InvalidAccessKeyId", 403),
    INVALID_ARGUMENT("InvalidArgument", 400),
    INVALID_BUCKET_NAME("InvalidBucketName", 400),
    INVALID_DIGEST("InvalidDigest", 400),
    INVALID_PART("InvalidPart", 400),
    INVALID_PART_ORDER("InvalidPartOrder", 400),
    INVALID_RANGE("InvalidRange", 416),
    INVALID_REQUEST("InvalidRequest", 400),
    AUTHORIZATION_HEADER_MALFORMED("AuthorizationHeaderMalformed", 400),
    KEY_TOO_LONG("KeyTooLongError", 400),
    MALFORMED_XML("MalformedXML", 400),
    METHOD_NOT_ALLOWED("MethodNotAllowed", 405),
    MISSING_CONTENT_LENGTH("MissingContentLength", 411),
    NO_SUCH_BUCKET("NoSuchBucket", 404),
    NO_SUCH_KEY("NoSuchKey", 404),
    NO_SUCH_UPLOAD("NoSuchUpload", 404),
    NOT_IMPLEMENTED("NotImplemented", 501),
    REQUEST_TIME_TOO_SKEWED("RequestTimeTooSkewed", 403),
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
    SIGNATURE_DOES_NOT_MATCH("SignatureDoesNotMatch", 403),
    X_AMZ_CONTENT_SHA256_MISMATCH("XAmzContentSHA256Mismatch", 400);

    private final String code;
    private final int status;

    S3Error(final String code, final int status)
    {
        this.code = code;
        this.status = status;
    }

    /**
     * @return the {@code <Code>} of the error document.
     */
    public String code()
    {
        return code;
    }

    /**
     * @return the HTTP status.
     */
    public int status()
    {
        return status;
    }

    /**
     * @param message the {@code <Message>}, for people.
     * @return an exception carrying this error.
     */
    public S3Exception exception(final String message)
    {
        return new S3Exception(this, message);
    }
}
