package io.rfs.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code continuation-token} of ListObjectsV2: {@code K} and the last key, or {@code P} and the last common
 * prefix, of the page before, base64url encoded. Listing resumes after it (and after every key under it, for a
 * common prefix).
 */
final class ListingToken
{
    private ListingToken()
    {
    }

    static String encode(final String last, final boolean isPrefix)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
            ((isPrefix ? "P" : "K") + last).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param token a token from {@link #encode}.
     * @return true if it marks a common prefix.
     * @throws S3Exception if it is not a token.
     */
    static boolean isPrefix(final String token) throws S3Exception
    {
        return decoded(token).startsWith("P");
    }

    static String decode(final String token) throws S3Exception
    {
        return decoded(token).substring(1);
    }

    private static String decoded(final String token) throws S3Exception
    {
        try
        {
            final String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("K") || text.startsWith("P"))
            {
                return text;
            }
        }
        catch (final IllegalArgumentException ex)
        {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception("The continuation token provided is incorrect");
    }
}
