package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.MessageHandler;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SystemNanoClock;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP node in a child JVM for {@link TcpPeerProcessRestartTest}: listens on a port (0 for any), knows one peer
 * (which dials it, having the lower id) and sends every message back to it with the same type, correlation id and
 * body. Prints {@code ready <port>} once listening. Exits 3 when the deadline passes, 4 if an echo is refused (the
 * test keeps few enough messages in flight that the send queue never fills), unless it is killed first.
 * <p>
 * Arguments: node id, port, peer node id, peer port, timeout in seconds.
 */
public final class TcpEchoNode
{
    private TcpEchoNode()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int nodeId = Integer.parseInt(args[0]);
        final int port = Integer.parseInt(args[1]);
        final int peerId = Integer.parseInt(args[2]);
        final int peerPort = Integer.parseInt(args[3]);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));

        final TcpTransportContext context = new TcpTransportContext()
            .nodeId(nodeId)
            .listenAddress(new InetSocketAddress("127.0.0.1", port))
            .clusterSecret(TestNode.SECRET)
            .messageAuthorizer(TestNode.AUTHORIZER)
            .nanoClock(new SystemNanoClock())
            .errorHandler(Throwable::printStackTrace)
            .peer(peerId, new InetSocketAddress("127.0.0.1", peerPort));
        try (TcpTransport transport = new TcpTransport(context))
        {
            final MessageHandler echo = (source, type, correlationId, buffer, offset, length) ->
            {
                if (!transport.offer(source, type, correlationId, buffer, offset, length))
                {
                    System.err.println("echo of " + correlationId + " refused");
                    System.exit(4);
                }
            };
            final IdleStrategy idle = new BackoffIdleStrategy();
            System.out.println("ready " + transport.boundAddress().getPort());
            System.out.flush();
            while (System.nanoTime() - deadlineNs < 0)
            {
                idle.idle(transport.doWork() + transport.poll(echo, 256));
            }
        }
        System.err.println("deadline passed");
        System.exit(3);
    }
}
