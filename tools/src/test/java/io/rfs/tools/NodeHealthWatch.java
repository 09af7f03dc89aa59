package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code /health} and {@code /metrics} pages of a running cluster's nodes straight over HTTP (quicker than
 * a {@code rfs cluster status} process per look), for tests that watch elections and failure detection.
 */
final class NodeHealthWatch
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Integer, String> addresses = new TreeMap<>();

    /**
     * @param status what {@code rfs cluster status --json} printed: each node's {@code http}.
     */
    NodeHealthWatch(final JsonNode status)
    {
        for (final JsonNode node : status.get("nodes"))
        {
            addresses.put(node.get("id").asInt(), node.get("http").asText());
        }
    }

    /**
     * The leader as one node reports it.
     *
     * @param leaderId the leader.
     * @param term     its term.
     */
    record Leader(int leaderId, long term)
    {
    }

    /**
     * @return the node's {@code /health} report, or null if it did not answer.
     */
    JsonNode health(final int nodeId)
    {
        final String body = get(nodeId, "/health");
        try
        {
            return body == null ? null : MAPPER.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("node " + nodeId + " /health: " + body, ex);
        }
    }

    /**
     * @return the node's {@code /metrics} text, or null if it did not answer.
     */
    String metrics(final int nodeId)
    {
        return get(nodeId, "/metrics");
    }

    /**
     * @return the leader every node of {@code nodes} names, at a term of at least {@code minTerm}, once they all
     * agree and that leader is one of them; null while they do not.
     */
    Leader agreedLeader(final Collection<Integer> nodes, final long minTerm)
    {
        Leader agreed = null;
        for (final int id : nodes)
        {
            final JsonNode health = health(id);
            if (health == null || health.get("leaderId").asInt() < 0 || health.get("term").asLong() < minTerm)
            {
                return null;
            }
            final Leader named = new Leader(health.get("leaderId").asInt(), health.get("term").asLong());
            if (agreed != null && !agreed.equals(named))
            {
                return null;
            }
            agreed = named;
        }
        return agreed != null && nodes.contains(agreed.leaderId()) ? agreed : null;
    }

    /**
     * @return {@link #agreedLeader} once there is one; fails after {@code timeout}.
     */
    Leader awaitLeader(final Collection<Integer> nodes, final long minTerm, final Duration timeout)
        throws InterruptedException
    {
        // checked often: failover tests measure how soon the leader is agreed
        return Await.await(() -> agreedLeader(nodes, minTerm), timeout, Duration.ofMillis(10),
            "a leader agreed by " + nodes + " at term >= " + minTerm);
    }

    /**
     * @return the value of a counter on the node's {@code /metrics}, -1 if the node did not answer or has no such
     * counter.
     */
    long counter(final int nodeId, final String name)
    {
        final String metrics = metrics(nodeId);
        if (metrics == null)
        {
            return -1;
        }
        final Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+]+)$").matcher(metrics);
        return matcher.find() ? (long)Double.parseDouble(matcher.group(1)) : -1;
    }

    private String get(final int nodeId, final String path)
    {
        try
        {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + addresses.get(nodeId) + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
        catch (final IOException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
