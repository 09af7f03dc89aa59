package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Parses what a command printed with {@code --json}.
 */
final class JsonOutput
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonOutput()
    {
    }

    /**
     * @param result a command that printed one JSON value.
     * @return the value.
     * @throws IOException if it is not JSON.
     */
    static JsonNode parse(final RfsCli.Result result) throws IOException
    {
        return MAPPER.readTree(result.stdout());
    }

    /**
     * @param result a command that printed one JSON object.
     * @return the object.
     * @throws IOException if it is not a JSON object.
     */
    static JsonNode object(final RfsCli.Result result) throws IOException
    {
        final JsonNode node = parse(result);
        if (!node.isObject())
        {
            throw new AssertionError("expected a JSON object from " + result);
        }
        return node;
    }
}
