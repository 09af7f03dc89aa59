package io.rfs.gateway;

import io.rfs.store.FileName;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * How buckets and object keys become rfs file names (docs/GATEWAY.md, "Names"). Keys are never file system paths;
 * they become store names by a reversible escape that can produce neither an invalid nor a colliding name:
 * <ul>
 *   <li>bucket {@code B}: an empty marker file {@code s3-buckets/B};</li>
 *   <li>object {@code K} of bucket {@code B}: the file {@code s3/B/escape(K)};</li>
 *   <li>its metadata (ETag, content type): the file {@code s3-meta/B/escape(K)}.</li>
 * </ul>
 * {@code escape} writes {@code %} as {@code %25} and NUL as {@code %00}, and every dot of a segment that is
 * {@code .} or {@code ..} as {@code %2E}; everything else is kept. Since every {@code %} of the result starts one of
 * these three escapes, {@link #unescape} inverts it exactly, so two keys never share a name.
 */
public final class ObjectNames
{
    /** Where bucket markers live. */
    public static final String BUCKETS = "s3-buckets/";
    /** Where objects live. */
    public static final String OBJECTS = "s3/";
    /** Where object metadata lives. */
    public static final String METADATA = "s3-meta/";
    /** Longest key in UTF-8 bytes, as S3's. */
    public static final int MAX_KEY_BYTES = 1024;

    /** S3's rules for new bucket names: 3 to 63 of lower-case letters, digits, dots and hyphens, no '..'. */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private ObjectNames()
    {
    }

    /**
     * @param bucket a bucket name from a request.
     * @throws S3Exception {@code InvalidBucketName} unless it follows S3's rules.
     */
    public static void checkBucket(final String bucket) throws S3Exception
    {
        if (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))
        {
            throw S3Error.INVALID_BUCKET_NAME.exception("The specified bucket is not valid: " + bucket);
        }
    }

    /**
     * @param bucket a valid bucket name.
     * @return its marker's name.
     */
    public static String bucketMarker(final String bucket)
    {
        return BUCKETS + bucket;
    }

    /**
     * @param bucket a valid bucket name.
     * @return the prefix every object name of the bucket starts with.
     */
    public static String objectPrefix(final String bucket)
    {
        return OBJECTS + bucket + "/";
    }

    /**
     * @param bucket a valid bucket name.
     * @param key    the object's key.
     * @return the object's rfs name.
     * @throws S3Exception {@code KeyTooLongError} if the name would exceed {@link FileName#MAX_BYTES}, or
     *                     {@code InvalidArgument} for an empty key.
     */
    public static String objectName(final String bucket, final String key) throws S3Exception
    {
        return checked(objectPrefix(bucket) + escape(key), key);
    }

    /**
     * @param bucket a valid bucket name.
     * @param key    the object's key.
     * @return the rfs name of the object's metadata.
     * @throws S3Exception as {@link #objectName}.
     */
    public static String metadataName(final String bucket, final String key) throws S3Exception
    {
        return checked(METADATA + bucket + "/" + escape(key), key);
    }

    /**
     * @param bucket     a valid bucket name.
     * @param keyPrefix  a key prefix from a listing.
     * @return an rfs name prefix under which every object whose key starts with {@code keyPrefix} lies (possibly
     * with others, which the caller filters out after {@link #keyOf}).
     */
    public static String listingPrefix(final String bucket, final String keyPrefix)
    {
        final int slash = keyPrefix.lastIndexOf('/');
        return objectPrefix(bucket) + (slash < 0 ? "" : escape(keyPrefix.substring(0, slash + 1)));
    }

    /**
     * @param bucket a valid bucket name.
     * @param name   an rfs name under {@link #objectPrefix}.
     * @return the key it stores.
     */
    public static String keyOf(final String bucket, final String name)
    {
        return unescape(name.substring(objectPrefix(bucket).length()));
    }

    static String escape(final String key)
    {
        final StringBuilder escaped = new StringBuilder(key.length() + 8);
        int segmentStart = 0;
        for (int i = 0; i <= key.length(); i++)
        {
            if (i == key.length() || key.charAt(i) == '/')
            {
                final String segment = key.substring(segmentStart, i);
                if (segment.equals(".") || segment.equals(".."))
                {
                    escaped.append(segment.replace(".", "%2E"));
                }
                else
                {
                    for (int j = 0; j < segment.length(); j++)
                    {
                        final char c = segment.charAt(j);
                        escaped.append(c == '%' ? "%25" : c == '\0' ? "%00" : String.valueOf(c));
                    }
                }
                if (i < key.length())
                {
                    escaped.append('/');
                }
                segmentStart = i + 1;
            }
        }
        return escaped.toString();
    }

    static String unescape(final String escaped)
    {
        final StringBuilder key = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++)
        {
            final char c = escaped.charAt(i);
            if (c == '%' && i + 2 < escaped.length())
            {
                final String code = escaped.substring(i + 1, i + 3);
                key.append(switch (code)
                {
                    case "25" -> '%';
                    case "00" -> '\0';
                    case "2E" -> '.';
                    default -> throw new IllegalArgumentException("not an escaped key: " + escaped);
                });
                i += 2;
            }
            else
            {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static String checked(final String name, final String key) throws S3Exception
    {
        if (key.isEmpty())
        {
            throw S3Error.INVALID_ARGUMENT.exception("an object key must not be empty");
        }
        final int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        final int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes > MAX_KEY_BYTES || nameBytes > FileName.MAX_BYTES)
        {
            throw S3Error.KEY_TOO_LONG.exception("Your key is too long: " + keyBytes + " bytes, stored as a name of " +
                nameBytes + " bytes where rfs allows " + FileName.MAX_BYTES);
        }
        return name;
    }
}
