package io.rfs.replication.http;

import java.util.List;
import java.util.Map;

/**
 * A service's answer to {@code GET /health}: whether it can serve and, when it cannot, why; plus a few facts for
 * operators (role, term, ...), written as the JSON body of the response.
 *
 * @param serving whether the service can serve requests now (HTTP 200) or not (HTTP 503).
 * @param reasons why it cannot serve, one short sentence each; empty when serving.
 * @param facts   names to values (strings, numbers, booleans, or maps of names to such values, written as JSON
 *                objects) written after {@code status} and {@code reasons}, in their iteration order.
 */
public record HealthReport(boolean serving, List<String> reasons, Map<String, Object> facts)
{
    public HealthReport
    {
        reasons = List.copyOf(reasons);
        facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
    }

    /**
     * @return the body: {@code {"status":"ok"|"unavailable","reasons":[...], facts...}}.
     */
    public String toJson()
    {
        final StringBuilder json = new StringBuilder(256).append("{\"status\":\"")
            .append(serving ? "ok" : "unavailable").append("\",\"reasons\":[");
        for (int i = 0; i < reasons.size(); i++)
        {
            appendString(json.append(i == 0 ? "" : ","), reasons.get(i));
        }
        json.append(']');
        appendFacts(json, facts, true);
        return json.append('}').toString();
    }

    private static void appendFacts(final StringBuilder json, final Map<?, ?> facts, final boolean afterOthers)
    {
        boolean first = !afterOthers;
        for (final Map.Entry<?, ?> fact : facts.entrySet())
        {
            appendString(json.append(first ? "" : ","), String.valueOf(fact.getKey())).append(':');
            first = false;
            final Object value = fact.getValue();
            if (value instanceof Number || value instanceof Boolean)
            {
                json.append(value);
            }
            else if (value instanceof Map<?, ?> map)
            {
                appendFacts(json.append('{'), map, false);
                json.append('}');
            }
            else
            {
                appendString(json, String.valueOf(value));
            }
        }
    }

    private static StringBuilder appendString(final StringBuilder json, final String value)
    {
        json.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            if (c == '"' || c == '\\')
            {
                json.append('\\').append(c);
            }
            else if (c < 0x20)
            {
                json.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                json.append(c);
            }
        }
        return json.append('"');
    }
}
