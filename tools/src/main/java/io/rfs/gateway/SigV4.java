package io.rfs.gateway;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The pieces of AWS Signature Version 4 that the header form, the presigned form and {@code aws-chunked} bodies share:
 * hashing, the signing key, and the URI encoding of canonical requests
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
public final class SigV4
{
    /** The only algorithm accepted. */
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    /** The payload hash of a request whose body is not signed. */
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    /** SHA-256 of nothing, as lowercase hex. */
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final HexFormat HEX = HexFormat.of();

    private SigV4()
    {
    }

    /**
     * @param secret   the secret access key.
     * @param date     {@code yyyyMMdd}.
     * @param region   the region of the credential scope.
     * @param service  the service, {@code s3}.
     * @return the key that signs strings to sign under that scope.
     */
    public static byte[] signingKey(final String secret, final String date, final String region, final String service)
    {
        final byte[] dateKey = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        return hmac(hmac(hmac(dateKey, region), service), "aws4_request");
    }

    /**
     * @param key  the key.
     * @param data the data, UTF-8.
     * @return HMAC-SHA256 of the data.
     */
    public static byte[] hmac(final byte[] key, final String data)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
        }
    }

    /**
     * @param key          the signing key.
     * @param stringToSign what is signed.
     * @return the signature as lowercase hex.
     */
    public static String sign(final byte[] key, final String stringToSign)
    {
        return hex(hmac(key, stringToSign));
    }

    /**
     * @param data UTF-8 text.
     * @return its SHA-256 as lowercase hex.
     */
    public static String sha256Hex(final String data)
    {
        return hex(newSha256().digest(data.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return a fresh SHA-256 digest.
     */
    public static MessageDigest newSha256()
    {
        return digest("SHA-256");
    }

    /**
     * @param algorithm a JDK digest name.
     * @return a fresh digest.
     */
    static MessageDigest digest(final String algorithm)
    {
        try
        {
            return MessageDigest.getInstance(algorithm);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(algorithm + " is part of every JDK", ex);
        }
    }

    /**
     * @param bytes bytes.
     * @return lowercase hex.
     */
    public static String hex(final byte[] bytes)
    {
        return HEX.formatHex(bytes);
    }

    /**
     * Encodes as SigV4 asks: every byte of the UTF-8 form except the unreserved characters
     * {@code A-Z a-z 0-9 - _ . ~} becomes {@code %XY} in upper-case hex; {@code /} is kept when {@code keepSlash}.
     *
     * @param value     the decoded text.
     * @param keepSlash true for a path, false for a query name or value.
     * @return the encoded text.
     */
    public static String uriEncode(final String value, final boolean keepSlash)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        final StringBuilder encoded = new StringBuilder(bytes.length + 16);
        for (final byte b : bytes)
        {
            final int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/'))
            {
                encoded.append((char)c);
            }
            else
            {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return encoded.toString();
    }

    /**
     * Decodes {@code %XY} escapes (and nothing else: a {@code +} stays a plus, as S3 reads paths and queries).
     *
     * @param raw the encoded text.
     * @return the decoded text.
     * @throws S3Exception if an escape is malformed or the bytes are not UTF-8.
     */
    public static String percentDecode(final String raw) throws S3Exception
    {
        if (raw.indexOf('%') < 0)
        {
            return raw;
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++)
        {
            final char c = raw.charAt(i);
            if (c == '%')
            {
                final int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                final int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (lo < 0)
                {
                    throw S3Error.INVALID_ARGUMENT.exception("malformed percent escape at index " + i);
                }
                bytes.write((hi << 4) | lo);
                i += 2;
            }
            else
            {
                final byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length())
                {
                    bytes.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                    i++;
                }
                else
                {
                    bytes.writeBytes(utf8);
                }
            }
        }
        final byte[] decoded = bytes.toByteArray();
        final String text = new String(decoded, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), decoded))
        {
            throw S3Error.INVALID_ARGUMENT.exception("percent escapes do not decode to UTF-8");
        }
        return text;
    }

    /**
     * Splits a raw query string into decoded name and value pairs, in order; a name without {@code =} has an empty
     * value.
     *
     * @param rawQuery the query as received, or null.
     * @return the pairs.
     * @throws S3Exception if an escape is malformed.
     */
    public static List<Map.Entry<String, String>> parseQuery(final String rawQuery) throws S3Exception
    {
        final List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty())
        {
            return pairs;
        }
        for (final String part : rawQuery.split("&"))
        {
            if (part.isEmpty())
            {
                continue;
            }
            final int eq = part.indexOf('=');
            final String name = eq < 0 ? part : part.substring(0, eq);
            final String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(Map.entry(percentDecode(name), percentDecode(value)));
        }
        return pairs;
    }
}
