package io.rfs.gateway;

/**
 * A request whose signature verified: who sent it and what {@code aws-chunked} body signatures chain from.
 *
 * @param accessKeyId the access key that signed it.
 * @param signingKey  the key for the credential scope, which also signs each chunk of a streaming body.
 * @param amzDate     the request's {@code X-Amz-Date} ({@code yyyyMMdd'T'HHmmss'Z'}).
 * @param scope       {@code date/region/s3/aws4_request}.
 * @param signature   the request's signature, the seed of a streaming body's chunk signatures.
 * @param payloadHash what the request says of its body: a SHA-256 in hex, {@code UNSIGNED-PAYLOAD} or a
 *                    {@code STREAMING-*} mode.
 */
public record Authorization(
    String accessKeyId, byte[] signingKey, String amzDate, String scope, String signature, String payloadHash)
{
}
