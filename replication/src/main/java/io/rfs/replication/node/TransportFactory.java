package io.rfs.replication.node;

import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;

import java.io.IOException;

/**
 * Makes a node's transport endpoint from its settings ({@code transport} and the {@code transport.*} keys). The
 * node logic never opens sockets or maps files itself (DESIGN.md principle 6); this is where production wiring
 * chooses what it talks over.
 * <p>
 * The TCP transport plugs in here: a factory that builds a {@code TcpTransportContext} from
 * {@link NodeContext#address()}, {@link NodeContext#seeds()}, the secrets and the clock, and returns
 * {@link #forKind} for {@link TransportKind#TCP}.
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
     * @throws ConfigurationException if this build cannot serve on that kind.
     */
    static TransportFactory forKind(final TransportKind kind)
    {
        switch (kind)
        {
            case SHM:
                return new MappedFileTransportFactory();
            case TCP:
            default:
                throw new ConfigurationException(NodeContext.TRANSPORT_PROP, "tcp",
                    "the TCP transport is not part of this build yet; use transport=shm");
        }
    }
}
