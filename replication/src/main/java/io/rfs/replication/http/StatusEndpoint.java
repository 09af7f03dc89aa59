package io.rfs.replication.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP face a load balancer or a monitoring system sees: {@code GET /health} answers 200 with a JSON
 * {@link HealthReport} when the service can serve and 503 with the reasons when it cannot; {@code GET /metrics}
 * answers the Prometheus text format. Nothing else is served (404; 405 for methods other than GET and HEAD).
 * <pre>{@code
 * try (StatusEndpoint endpoint = StatusEndpoint.start(new InetSocketAddress("127.0.0.1", 9100), health, metrics))
 * {
 *     ...
 * }
 * }</pre>
 * <p>
 * <b>Threads.</b> The JDK's built-in server (module {@code jdk.httpserver}) accepts on its own thread and runs the
 * handlers on one more, so a burst of scrapes queues instead of taking cores from the node. Both suppliers are called
 * on that thread and must only read state published for other threads. The built-in server is enough here: two
 * small read-only pages, a few requests a second.
 */
public final class StatusEndpoint implements AutoCloseable
{
    private final HttpServer server;
    private final ExecutorService executor;

    private StatusEndpoint(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param address where to listen; port 0 picks a free one ({@link #address()} tells which).
     * @param health  computes the health report.
     * @param metrics writes every metric into the text it is given.
     * @param name    names the handler thread, e.g. {@code rfs-node-1-http}.
     * @return the running endpoint.
     * @throws IOException if it cannot listen there.
     */
    public static StatusEndpoint start(
        final InetSocketAddress address,
        final Supplier<HealthReport> health,
        final Consumer<PrometheusText> metrics,
        final String name) throws IOException
    {
        final HttpServer server = HttpServer.create(address, 16);
        final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange ->
        {
            try (exchange)
            {
                serve(exchange, health, metrics);
            }
        });
        server.start();
        return new StatusEndpoint(server, executor);
    }

    private static void serve(
        final HttpExchange exchange, final Supplier<HealthReport> health, final Consumer<PrometheusText> metrics)
        throws IOException
    {
        final String method = exchange.getRequestMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method))
        {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
            return;
        }
        switch (exchange.getRequestURI().getPath())
        {
            case "/health" ->
            {
                final HealthReport report = health.get();
                respond(exchange, report.serving() ? 200 : 503, "application/json", report.toJson() + "\n");
            }
            case "/metrics" ->
            {
                final PrometheusText text = new PrometheusText();
                metrics.accept(text);
                respond(exchange, 200, PrometheusText.CONTENT_TYPE, text.toString());
            }
            default -> respond(exchange, 404, "text/plain; charset=utf-8", "try /health or /metrics\n");
        }
    }

    private static void respond(final HttpExchange exchange, final int status, final String type, final String body)
        throws IOException
    {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        final boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head)
        {
            try (OutputStream stream = exchange.getResponseBody())
            {
                stream.write(bytes);
            }
        }
    }

    /**
     * @return where it listens.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * Stops listening and lets a response in progress finish (up to a second).
     */
    @Override
    public void close()
    {
        server.stop(1);
        executor.shutdownNow();
    }
}
