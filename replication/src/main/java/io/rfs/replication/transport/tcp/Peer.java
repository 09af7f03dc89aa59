package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.PeerRole;

import java.net.InetSocketAddress;

/**
 * A node or client this transport talks to: its outbound queue, which outlives connections, and its current
 * connection. Only {@link #connected} and {@link #proxy} are read by other threads (producers in
 * {@link TcpTransport#offer}); everything else belongs to the transport's thread.
 */
final class Peer
{
    final int nodeId;
    final PeerRole role;
    final InetSocketAddress address;
    final boolean dials;
    final SendProxy proxy;
    volatile boolean connected;
    TcpSession session;
    long backoffNs;
    long nextConnectNs;

    /**
     * @param nodeId  the peer's id.
     * @param role    its role.
     * @param address where to dial it, or null if this end never dials it.
     * @param dials   true if this end opens the connection.
     * @param proxy   its outbound queue.
     */
    Peer(final int nodeId, final PeerRole role, final InetSocketAddress address, final boolean dials,
        final SendProxy proxy)
    {
        this.nodeId = nodeId;
        this.role = role;
        this.address = address;
        this.dials = dials;
        this.proxy = proxy;
    }

    @Override
    public String toString()
    {
        return CertificateIdentity.nameOf(role, nodeId) + (address == null ? "" : " (" + address + ")");
    }
}
