package io.rfs.replication.node;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import io.rfs.replication.http.StatusEndpoint;
import io.rfs.replication.transport.ParkingWaiter;
import io.rfs.replication.transport.WaitingIdleStrategy;
import io.rfs.replication.transport.Waiter;
import io.rfs.replication.transport.WakingAgent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node serving on real threads: the production wiring of a {@link Node}. Its agents run on Agrona
 * {@link AgentRunner}s, one thread each ({@link ThreadingMode#DEDICATED}) or both on one
 * ({@link ThreadingMode#SHARED}). An idle thread blocks ({@link WaitingIdleStrategy}): the network thread in its TCP
 * transport's selector, the storage thread parked; each is woken as soon as the other queues work for it. On a
 * transport that can only be polled (shared memory) they back off instead.
 * <pre>{@code
 * try (NodeServer server = NodeServer.start(NodeProperties.load(configFile, Map.of())))
 * {
 *     ...   // serving until closed
 * }
 * }</pre>
 * <p>
 * <b>Threads.</b> This class is the one place in the node that starts threads (the runners' and the shutdown
 * hook's) and waits on the clock: the agents themselves never do (DESIGN.md principle 6). {@link #start} and
 * {@link #close} may be called from any thread; {@code close} is idempotent.
 * <p>
 * <b>Graceful stop.</b> {@link #close()} first stops the node taking requests (new ones are answered
 * {@code Error OVERLOADED}), waits up to {@code shutdown.timeout} for those already taken to be forced and answered,
 * then stops the agents, closes the transport, forces and closes the store. A write still in progress when the
 * timeout passes is simply never acknowledged; whatever was acknowledged was forced first. SIGKILL at any moment
 * loses nothing acknowledged either: recovery on the next start finds every forced record.
 */
public final class NodeServer implements AutoCloseable
{
    private static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * How late a waiting thread runs the work only the clock triggers: heartbeats (100 ms apart by default, with a
     * failure detector that allows 25 ms of spread), request time-outs and keepalives tolerate that easily, while an
     * idle node wakes only 100 times a second per thread.
     */
    private static final long MAX_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int IDLE_SPINS = 20;

    private final Node node;
    private final List<AgentRunner> runners = new ArrayList<>();
    private StatusEndpoint statusEndpoint;
    private boolean closed;

    private NodeServer(final Node node)
    {
        this.node = node;
        final NodeContext context = node.context();
        final Waiter transportWaiter = node.transport().waiter();
        if (context.threading() == ThreadingMode.SHARED)
        {
            runners.add(new AgentRunner(idleStrategy(transportWaiter), context.errorHandler(), null, node.agent()));
        }
        else if (transportWaiter == null)
        {
            runners.add(new AgentRunner(backoff(), context.errorHandler(), null, node.networkAgents()));
            runners.add(new AgentRunner(backoff(), context.errorHandler(), null, node.storageSideAgent()));
        }
        else
        {
            // Each thread blocks while idle and is woken by the other as soon as that queues work for it.
            final Waiter storageWaiter = new ParkingWaiter();
            runners.add(new AgentRunner(idleStrategy(transportWaiter), context.errorHandler(), null,
                new WakingAgent(node.networkAgents(), node.storageCommands(), storageWaiter)));
            runners.add(new AgentRunner(idleStrategy(storageWaiter), context.errorHandler(), null,
                new WakingAgent(node.storageSideAgent(), node.storageResults(), transportWaiter)));
        }
        for (final AgentRunner runner : runners)
        {
            AgentRunner.startOnThread(runner, task ->
            {
                final Thread thread = new Thread(task);
                thread.setName("rfs-node-" + context.nodeId() + "-" + runner.agent().roleName());
                return thread;
            });
        }
    }

    /**
     * Opens the node's transport with the factory of its {@code transport} setting and starts serving.
     *
     * @param context concluded here if it has not been.
     * @return the running server.
     * @throws IOException if the transport or the store cannot be opened.
     */
    public static NodeServer start(final NodeContext context) throws IOException
    {
        context.conclude();
        return start(context, TransportFactory.forKind(context.transport()));
    }

    /**
     * @param context          concluded here if it has not been.
     * @param transportFactory makes the node's endpoint.
     * @return the running server.
     * @throws IOException if the transport or the store cannot be opened.
     */
    public static NodeServer start(final NodeContext context, final TransportFactory transportFactory)
        throws IOException
    {
        context.conclude();
        final NodeServer server = new NodeServer(Node.open(context, transportFactory.newTransport(context)));
        if (context.httpAddress() != null)
        {
            try
            {
                server.startStatusEndpoint(context.httpAddress());
            }
            catch (final IOException | RuntimeException ex)
            {
                server.close();
                throw ex;
            }
        }
        return server;
    }

    private void startStatusEndpoint(final String hostPort) throws IOException
    {
        final int colon = hostPort.lastIndexOf(':');
        final NodeStatusPages pages = new NodeStatusPages(node);
        statusEndpoint = StatusEndpoint.start(
            new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
            pages::health, pages::metrics, "rfs-node-" + node.context().nodeId() + "-http");
    }

    /**
     * @return where {@code /health} and {@code /metrics} are served ({@code http.address}, with the port picked
     * when it was 0), or null if the node serves no HTTP.
     */
    public InetSocketAddress httpAddress()
    {
        return statusEndpoint == null ? null : statusEndpoint.address();
    }

    private static IdleStrategy idleStrategy(final Waiter waiter)
    {
        return waiter == null ? backoff() : new WaitingIdleStrategy(waiter, IDLE_SPINS, MAX_WAIT_NS);
    }

    private static IdleStrategy backoff()
    {
        return new BackoffIdleStrategy(10, 20, 1_000, MAX_PARK_NS);
    }

    /**
     * @return the node served.
     */
    public Node node()
    {
        return node;
    }

    /**
     * Closes this server when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}), then runs
     * {@code afterClose} (a last log line, say).
     *
     * @param afterClose run once the node is closed.
     */
    public void closeOnShutdown(final Runnable afterClose)
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            close();
            afterClose.run();
        }, "rfs-node-" + node.context().nodeId() + "-shutdown"));
    }

    /**
     * @return true once {@link #close()} has begun.
     */
    public synchronized boolean isClosed()
    {
        return closed;
    }

    /**
     * Stops gracefully: no new requests, the ones in progress finished (up to {@code shutdown.timeout}), agents
     * stopped, transport closed, store forced and closed.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final NodeContext context = node.context();
        node.networkAgent().beginShutdown();
        final NanoClock clock = context.nanoClock();
        final long deadlineNs = clock.nanoTime() + context.shutdownTimeoutNs();
        final IdleStrategy idle = new SleepingMillisIdleStrategy(1);
        while (!node.networkAgent().isDrained() && clock.nanoTime() - deadlineNs < 0)
        {
            idle.idle();
        }
        try
        {
            CloseHelper.closeAll(statusEndpoint);
            CloseHelper.closeAll(runners);
        }
        finally
        {
            node.close();
        }
    }
}
