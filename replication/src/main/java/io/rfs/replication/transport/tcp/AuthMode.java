package io.rfs.replication.transport.tcp;

/**
 * How a {@link TcpTransport} proves who is at each end of a connection. See {@code docs/TRANSPORT.md}.
 */
public enum AuthMode
{
    /**
     * Plaintext frames after an HMAC-SHA256 challenge-response over fresh nonces: both ends prove that they know the
     * shared secret of their role. For trusted networks: it stops a stranger or a misconfigured node, not an
     * eavesdropper or a man in the middle.
     */
    HMAC,
    /**
     * Mutual TLS 1.3 through the JDK's {@code SSLEngine}: both ends present a certificate from the configured trust
     * anchors that names their node id ({@code node-<id>}) or client id ({@code client-<id>}). For untrusted
     * networks.
     */
    TLS
}
