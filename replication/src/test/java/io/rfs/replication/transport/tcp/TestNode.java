package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.MessageAuthorizer;
import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.PeerRole;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedNanoClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport under test with what it received and why its connections closed. Driven by hand: {@link #step()}.
 */
final class TestNode implements MessageHandler, AutoCloseable
{
    static final byte[] SECRET = "cluster-secret-0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CLIENT_SECRET = "client-secret-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII);
    static final InetSocketAddress ANY_PORT = new InetSocketAddress("127.0.0.1", 0);

    /** Nodes may send types 16..1000, clients 16..40; nothing else is known. */
    static final MessageAuthorizer AUTHORIZER = (role, type) ->
        type >= 16 && type <= (role == PeerRole.NODE ? 1000 : 40);

    final TcpTransport transport;
    final List<Received> received = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    boolean polling = true;
    int pollLimit = 1000;

    TestNode(final TcpTransportContext context)
    {
        if (context.errorHandler() == null)
        {
            context.errorHandler(errors::add);
        }
        try
        {
            transport = new TcpTransport(context);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return a node context with the test secret, authorizer, an ephemeral port and the clock.
     */
    static TcpTransportContext nodeContext(final int nodeId, final CachedNanoClock clock)
    {
        return new TcpTransportContext()
            .nodeId(nodeId)
            .listenAddress(ANY_PORT)
            .clusterSecret(SECRET)
            .clientSecret(CLIENT_SECRET)
            .messageAuthorizer(AUTHORIZER)
            .nanoClock(clock);
    }

    int step()
    {
        int work = transport.doWork();
        if (polling)
        {
            work += transport.poll(this, pollLimit);
        }
        return work;
    }

    long counter(final TcpTransportCounters.Counter counter)
    {
        return transport.counters().get(counter);
    }

    InetSocketAddress address()
    {
        return transport.boundAddress();
    }

    @Override
    public void onMessage(
        final int sourceNodeId,
        final int messageType,
        final long correlationId,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final byte[] body = new byte[length];
        buffer.getBytes(offset, body);
        received.add(new Received(sourceNodeId, messageType, correlationId, body));
    }

    @Override
    public void close()
    {
        transport.close();
    }

    record Received(int source, int type, long correlationId, byte[] body)
    {
    }
}
