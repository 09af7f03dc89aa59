package io.rfs.gateway;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writing S3 answers on an exchange, and the small request checks every operation shares.
 */
final class S3Responses
{
    /** The most keys or parts a listing answers with, and its default, as S3. */
    static final int MAX_KEYS_DEFAULT = 1000;

    private S3Responses()
    {
    }

    static void sendXml(final HttpExchange exchange, final int status, final S3Xml xml) throws IOException
    {
        send(exchange, status, "application/xml", xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", type);
        if ("HEAD".equals(exchange.getRequestMethod()))
        {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }

    static void sendEmpty(final HttpExchange exchange, final int status) throws IOException
    {
        exchange.getResponseHeaders().set("Content-Length", "0");
        exchange.sendResponseHeaders(status, -1);
    }

    static void require(final String method, final String allowed) throws S3Exception
    {
        if (!allowed.equals(method))
        {
            throw S3Error.METHOD_NOT_ALLOWED.exception(method + " is not allowed here");
        }
    }

    static int maxKeys(final String value) throws S3Exception
    {
        if (value == null)
        {
            return MAX_KEYS_DEFAULT;
        }
        try
        {
            final int maxKeys = Integer.parseInt(value);
            if (maxKeys >= 0)
            {
                return Math.min(maxKeys, MAX_KEYS_DEFAULT);
            }
        }
        catch (final NumberFormatException ignore)
        {
            // answered below
        }
        throw S3Error.INVALID_ARGUMENT.exception("max-keys must be a non-negative integer, not " + value);
    }
}
