package io.rfs.replication.node;

import io.rfs.replication.transport.Transport;

import java.io.IOException;

/**
 * Makes a node's transport endpoint from its settings ({@code transport} and the {@code transport.*} keys). The
 * node logic never opens sockets or maps files itself (DESIGN.md principle 6); this is where production wiring
 * chooses what it talks over.
 * <p>
 * Tests and the embedded cluster pass their own, e.g. {@code context -> network.newTransport(context.nodeId())} over
 * an in-process network.
 */
@FunctionalInterface
public interface TransportFactory
{
    /**
     * @param context a concluded context.
     * @return the node's endpoint, owned by the caller (closing it frees everything the factory made for it).
     * @throws IOException if it cannot be opened.
     */
    Transport newTransport(NodeContext context) throws IOException;

    /**
     * @param kind the {@code transport} setting.
     * @return the factory of that kind.
     */
    static TransportFactory forKind(final TransportKind kind)
    {
        return kind == TransportKind.SHM ? new MappedFileTransportFactory() : new TcpTransportFactory();
    }
}
