package io.rfs.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks AWS Signature Version 4 on a request, in the header form ({@code Authorization: AWS4-HMAC-SHA256 ...}) or
 * the presigned form ({@code X-Amz-Signature} and friends in the query), against the access keys it was given.
 * <p>
 * The canonical request is rebuilt from the decoded path and query, re-encoded the way SigV4 specifies, so a client
 * that escapes more or fewer characters than needed still verifies. A header-signed request must carry an
 * {@code X-Amz-Date} within {@link #MAX_SKEW} of the gateway's clock; a presigned one must be used between its
 * {@code X-Amz-Date} and that plus {@code X-Amz-Expires} (at most seven days). Thread-safe.
 */
public final class SigV4Verifier
{
    /** How far a header-signed request's time may be from the gateway's clock, as S3 allows. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned URL may live, as S3 allows. */
    public static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

    private static final DateTimeFormatter AMZ_DATE =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Map<String, String> secrets;
    private final String region;
    private final Clock clock;

    /**
     * @param secrets access key ids to secret access keys.
     * @param region  the only region a credential scope may name.
     * @param clock   the gateway's clock.
     */
    public SigV4Verifier(final Map<String, String> secrets, final String region, final Clock clock)
    {
        this.secrets = Map.copyOf(secrets);
        this.region = region;
        this.clock = clock;
    }

    /**
     * @return the region a credential scope must name.
     */
    public String region()
    {
        return region;
    }

    /**
     * @param request the request.
     * @return true if it carries a SigV4 signature in either form (else it is anonymous).
     */
    public static boolean isSigned(final RequestView request)
    {
        final String authorization = request.header("authorization");
        final String query = request.rawQuery();
        return authorization != null || (query != null && query.contains("X-Amz-Signature="));
    }

    /**
     * @param request the request, signed in one of the two forms.
     * @return who signed it.
     * @throws S3Exception {@code AccessDenied}, {@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch},
     *                     {@code RequestTimeTooSkewed}, {@code AuthorizationHeaderMalformed}.
     */
    public Authorization verify(final RequestView request) throws S3Exception
    {
        final List<Map.Entry<String, String>> query = SigV4.parseQuery(request.rawQuery());
        final String header = request.header("authorization");
        return header != null ? verifyHeader(request, query, header) : verifyPresigned(request, query);
    }

    private Authorization verifyHeader(
        final RequestView request, final List<Map.Entry<String, String>> query, final String header) throws S3Exception
    {
        if (!header.startsWith(SigV4.ALGORITHM + " "))
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("only " + SigV4.ALGORITHM + " is supported");
        }
        final Map<String, String> fields = new HashMap<>();
        for (final String part : header.substring(SigV4.ALGORITHM.length() + 1).split(","))
        {
            final int eq = part.indexOf('=');
            if (eq > 0)
            {
                fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        final String credential = fields.get("Credential");
        final String signedHeaders = fields.get("SignedHeaders");
        final String signature = fields.get("Signature");
        final String amzDate = request.header("x-amz-date");
        if (credential == null || signedHeaders == null || signature == null || amzDate == null)
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "the Authorization header needs Credential, SignedHeaders and Signature, and the request X-Amz-Date");
        }
        final Instant time = parseDate(amzDate);
        final Instant now = clock.instant();
        if (Duration.between(time, now).abs().compareTo(MAX_SKEW) > 0)
        {
            throw S3Error.REQUEST_TIME_TOO_SKEWED.exception(
                "the request time " + amzDate + " differs from the gateway's " + AMZ_DATE.format(now) +
                " by more than " + MAX_SKEW.toMinutes() + " minutes");
        }
        final String payloadHash = request.header("x-amz-content-sha256");
        if (payloadHash == null)
        {
            throw S3Error.INVALID_REQUEST.exception("missing required header x-amz-content-sha256");
        }
        return check(request, query, credential, signedHeaders, signature, amzDate, payloadHash);
    }

    private Authorization verifyPresigned(final RequestView request, final List<Map.Entry<String, String>> query)
        throws S3Exception
    {
        final Map<String, String> params = new HashMap<>();
        query.forEach(pair -> params.putIfAbsent(pair.getKey(), pair.getValue()));
        final String algorithm = params.get("X-Amz-Algorithm");
        final String credential = params.get("X-Amz-Credential");
        final String amzDate = params.get("X-Amz-Date");
        final String expires = params.get("X-Amz-Expires");
        final String signedHeaders = params.get("X-Amz-SignedHeaders");
        final String signature = params.get("X-Amz-Signature");
        if (!SigV4.ALGORITHM.equals(algorithm) || credential == null || amzDate == null || expires == null ||
            signedHeaders == null || signature == null)
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("a presigned URL needs X-Amz-Algorithm=" +
                SigV4.ALGORITHM + ", X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and " +
                "X-Amz-Signature");
        }
        final long expiresSeconds;
        try
        {
            expiresSeconds = Long.parseLong(expires);
        }
        catch (final NumberFormatException ex)
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("X-Amz-Expires=" + expires + " is not a number");
        }
        if (expiresSeconds < 1 || expiresSeconds > MAX_EXPIRES_SECONDS)
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "X-Amz-Expires must be between 1 and " + MAX_EXPIRES_SECONDS + " seconds, not " + expires);
        }
        final Instant time = parseDate(amzDate);
        final Instant now = clock.instant();
        if (now.isAfter(time.plusSeconds(expiresSeconds)))
        {
            throw S3Error.ACCESS_DENIED.exception("Request has expired: signed at " + amzDate + " for " +
                expiresSeconds + " seconds");
        }
        if (now.plus(MAX_SKEW).isBefore(time))
        {
            throw S3Error.ACCESS_DENIED.exception("Request is not yet valid: signed for " + amzDate);
        }
        final List<Map.Entry<String, String>> signedQuery = new ArrayList<>(query.size());
        for (final Map.Entry<String, String> pair : query)
        {
            if (!"X-Amz-Signature".equals(pair.getKey()))
            {
                signedQuery.add(pair);
            }
        }
        final String payloadHash = params.getOrDefault("X-Amz-Content-Sha256", SigV4.UNSIGNED_PAYLOAD);
        return check(request, signedQuery, credential, signedHeaders, signature, amzDate, payloadHash);
    }

    private Authorization check(
        final RequestView request,
        final List<Map.Entry<String, String>> query,
        final String credential,
        final String signedHeaders,
        final String signature,
        final String amzDate,
        final String payloadHash) throws S3Exception
    {
        final String[] parts = credential.split("/", -1);
        if (parts.length != 5 || !"aws4_request".equals(parts[4]) || !"s3".equals(parts[3]))
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "the credential must be KEY/yyyyMMdd/REGION/s3/aws4_request, not " + credential);
        }
        if (!region.equals(parts[2]))
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "the region '" + parts[2] + "' is wrong; expecting '" + region + "'");
        }
        if (!amzDate.startsWith(parts[1]))
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "the credential's date " + parts[1] + " is not the day of X-Amz-Date " + amzDate);
        }
        final String secret = secrets.get(parts[0]);
        if (secret == null)
        {
            throw S3Error.INVALID_ACCESS_KEY_ID.exception(
                "The AWS Access Key Id you provided does not exist in our records.");
        }
        final String canonical = canonicalRequest(request, query, signedHeaders, payloadHash);
        final String scope = parts[1] + "/" + parts[2] + "/s3/aws4_request";
        final String stringToSign = SigV4.ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + SigV4.sha256Hex(canonical);
        final byte[] signingKey = SigV4.signingKey(secret, parts[1], parts[2], "s3");
        final String expected = SigV4.sign(signingKey, stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII)))
        {
            throw S3Error.SIGNATURE_DOES_NOT_MATCH.exception("The request signature we calculated does not match " +
                "the signature you provided. Check your key and signing method.");
        }
        return new Authorization(parts[0], signingKey, amzDate, scope, signature, payloadHash);
    }

    /**
     * @param request       the request.
     * @param query         the decoded query pairs that are signed.
     * @param signedHeaders the {@code ;}-separated lower-case header names that are signed.
     * @param payloadHash   the payload hash line.
     * @return the canonical request.
     * @throws S3Exception if a signed header is missing or {@code host} is not signed.
     */
    static String canonicalRequest(
        final RequestView request,
        final List<Map.Entry<String, String>> query,
        final String signedHeaders,
        final String payloadHash) throws S3Exception
    {
        final StringBuilder canonical = new StringBuilder(512).append(request.method()).append('\n')
            .append(SigV4.uriEncode(SigV4.percentDecode(request.rawPath()), true)).append('\n');
        final List<String[]> encoded = new ArrayList<>(query.size());
        for (final Map.Entry<String, String> pair : query)
        {
            encoded.add(new String[]{SigV4.uriEncode(pair.getKey(), false), SigV4.uriEncode(pair.getValue(), false)});
        }
        encoded.sort(Comparator.<String[], String>comparing(pair -> pair[0]).thenComparing(pair -> pair[1]));
        for (int i = 0; i < encoded.size(); i++)
        {
            canonical.append(i == 0 ? "" : "&").append(encoded.get(i)[0]).append('=').append(encoded.get(i)[1]);
        }
        canonical.append('\n');
        final List<String> names = Arrays.asList(signedHeaders.split(";"));
        if (!names.contains("host"))
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception("the host header must be signed");
        }
        for (final String name : names)
        {
            final List<String> values = request.headers().get(name);
            if (values == null)
            {
                throw S3Error.ACCESS_DENIED.exception("the signed header '" + name + "' is missing");
            }
            canonical.append(name).append(':');
            for (int i = 0; i < values.size(); i++)
            {
                canonical.append(i == 0 ? "" : ",").append(values.get(i).trim().replaceAll(" +", " "));
            }
            canonical.append('\n');
        }
        return canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash).toString();
    }

    private static Instant parseDate(final String amzDate) throws S3Exception
    {
        try
        {
            return Instant.from(AMZ_DATE.parse(amzDate));
        }
        catch (final DateTimeParseException ex)
        {
            throw S3Error.AUTHORIZATION_HEADER_MALFORMED.exception(
                "X-Amz-Date must be yyyyMMdd'T'HHmmss'Z', not " + amzDate);
        }
    }
}
