package io.rfs.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Asks a node's {@code GET /health} (docs/NODE.md, "Health and metrics") what it says of itself and of the cluster.
 */
final class HealthProbe
{
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * What one node answered.
     *
     * @param reachable whether it answered at all.
     * @param body      its JSON report ({@code status}, {@code reasons}, {@code role}, {@code term},
     *                  {@code leaderId}, ...), or an empty object if it did not answer.
     * @param error     why it did not answer, or null.
     */
    record Answer(boolean reachable, JsonNode body, String error)
    {
        boolean serving()
        {
            return reachable && "ok".equals(body.path("status").asText());
        }
    }

    /**
     * @param hostPort the node's {@code http.address}.
     * @return its answer, within about two seconds.
     */
    Answer probe(final String hostPort)
    {
        try
        {
            final HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://" + hostPort + "/health")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
            return new Answer(true, MAPPER.readTree(response.body()), null);
        }
        catch (final JsonProcessingException ex)
        {
            return new Answer(false, MAPPER.createObjectNode(), "not a health report: " + ex.getOriginalMessage());
        }
        catch (final IOException | IllegalArgumentException ex)
        {
            return new Answer(false, MAPPER.createObjectNode(), String.valueOf(ex.getMessage()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Answer(false, MAPPER.createObjectNode(), "interrupted");
        }
    }
}
