package io.rfs.replication.node;

import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.tcp.TcpTransport;
import io.rfs.replication.transport.tcp.TcpTransportContext;

import java.io.IOException;

/**
 * The {@code transport=tcp} factory: a {@link TcpTransport} listening on {@code node.address}, dialling the seed
 * members its rules say it dials, authenticating nodes with {@code cluster.secret} and clients with
 * {@code client.secret} (no client can connect without one), on the node's clock and error handler. The transport's
 * own settings keep their defaults ({@code docs/TRANSPORT.md}).
 * <p>
 * Chunks are gather-offered straight from mapped segments and sent after the offer returns; the node never unmaps a
 * segment while it serves, so no payload release handler is needed.
 */
final class TcpTransportFactory implements TransportFactory
{
    @Override
    public Transport newTransport(final NodeContext context) throws IOException
    {
        final TcpTransportContext tcp = new TcpTransportContext()
            .nodeId(context.nodeId())
            .role(PeerRole.NODE)
            .listenAddress(TcpTransportContext.parseAddress(NodeContext.NODE_ADDRESS_PROP, context.address()))
            .clusterSecret(context.clusterSecret())
            .clientSecret(context.clientSecret())
            .nanoClock(context.nanoClock())
            .errorHandler(context.errorHandler());
        context.seeds().forEach((id, address) ->
        {
            if (id != context.nodeId())
            {
                tcp.peer(id, TcpTransportContext.parseAddress(NodeContext.SEEDS_PROP + "[" + id + "]", address));
            }
        });
        return new TcpTransport(tcp);
    }
}
