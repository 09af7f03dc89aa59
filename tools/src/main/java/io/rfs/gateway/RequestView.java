package io.rfs.gateway;

import java.util.List;
import java.util.Map;

/**
 * What SigV4 verification reads of an HTTP request, apart from its body.
 *
 * @param method   the method, e.g. {@code PUT}.
 * @param rawPath  the path as received, still percent-encoded.
 * @param rawQuery the query as received, or null.
 * @param headers  header names in lower case to their values in the order received.
 */
public record RequestView(String method, String rawPath, String rawQuery, Map<String, List<String>> headers)
{
    /**
     * @param name a header name in lower case.
     * @return its first value, or null.
     */
    public String header(final String name)
    {
        final List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
