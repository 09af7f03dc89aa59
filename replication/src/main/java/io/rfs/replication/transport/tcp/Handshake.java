package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * One connection's handshake after the socket (and, in TLS mode, the TLS session) is up: HELLO both ways with
 * version negotiation and identity checks, then, in HMAC mode, the two AUTH proofs ({@link HmacAuthenticator}).
 * Specified in {@code docs/TRANSPORT.md}. It decides; the {@link TcpSession} frames the bytes, sends what this class
 * writes into its send buffer and closes the connection when told to fail. Transport thread only.
 */
final class Handshake
{
    private final TcpSession session;
    private final TcpTransport transport;
    private final TcpTransportContext context;
    private final Peer dialled;
    private final UnsafeBuffer localHello = new UnsafeBuffer(new byte[HandshakeDescriptor.HELLO_LENGTH]);
    private final UnsafeBuffer peerHello = new UnsafeBuffer(new byte[HandshakeDescriptor.HELLO_LENGTH]);
    private final byte[] nonce = new byte[HandshakeDescriptor.NONCE_LENGTH];
    private CertificateIdentity certificateIdentity;
    private boolean awaitingAuth;
    private int version;
    private int peerId = -1;
    private PeerRole peerRole;

    /**
     * @param session   the connection.
     * @param transport its transport.
     * @param dialled   the peer this end dialled, or null if it accepted the connection.
     */
    Handshake(final TcpSession session, final TcpTransport transport, final Peer dialled)
    {
        this.session = session;
        this.transport = transport;
        this.context = transport.context();
        this.dialled = dialled;
    }

    int version()
    {
        return version;
    }

    int peerId()
    {
        return peerId;
    }

    PeerRole peerRole()
    {
        return peerRole;
    }

    /**
     * The connection is up (and TLS, if any, is complete): the dialler speaks first.
     */
    void start()
    {
        if (dialled != null)
        {
            sendHello();
        }
    }

    /**
     * Checks the identity a TLS peer's certificate names; the chain itself was verified by the TLS handshake.
     *
     * @return false if the connection was failed.
     */
    boolean onTlsComplete(final Certificate[] chain)
    {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate))
        {
            session.fail(Counter.AUTHENTICATION_FAILURES, "no X.509 peer certificate");
            return false;
        }
        final X509Certificate certificate = (X509Certificate)chain[0];
        final CertificateIdentity identity = CertificateIdentity.of(certificate);
        if (identity == null)
        {
            session.fail(Counter.AUTHENTICATION_FAILURES, "the peer's certificate names no node-<id> or " +
                "client-<id>: " + CertificateIdentity.describe(certificate));
            return false;
        }
        if (dialled != null && (identity.role() != PeerRole.NODE || identity.id() != dialled.nodeId))
        {
            session.fail(Counter.AUTHENTICATION_FAILURES, "dialled " + dialled + " but its certificate names " +
                CertificateIdentity.nameOf(identity.role(), identity.id()));
            return false;
        }
        certificateIdentity = identity;
        return true;
    }

    /**
     * Takes one checked handshake frame.
     *
     * @param buffer holds the frame.
     * @param frame  where it starts; its checksum has been verified.
     * @param length its length.
     * @param nowNs  the transport's clock.
     */
    void onFrame(final DirectBuffer buffer, final int frame, final int length, final long nowNs)
    {
        final int type = FrameDescriptor.messageType(buffer, frame);
        final int body = frame + FrameDescriptor.HEADER_LENGTH;
        final int bodyLength = length - FrameDescriptor.HEADER_LENGTH;
        if (type == HandshakeDescriptor.HELLO_TYPE && !awaitingAuth)
        {
            onHello(buffer, frame, body, bodyLength, nowNs);
        }
        else if (type == HandshakeDescriptor.AUTH_TYPE && awaitingAuth)
        {
            onAuth(buffer, body, bodyLength, nowNs);
        }
        else if (type == HandshakeDescriptor.REJECT_TYPE)
        {
            final boolean versions = bodyLength >= HandshakeDescriptor.TEXT_OFFSET && buffer.getInt(
                body + HandshakeDescriptor.REASON_OFFSET) == HandshakeDescriptor.REASON_NO_COMMON_VERSION;
            session.fail(versions ? Counter.VERSION_MISMATCHES : Counter.AUTHENTICATION_FAILURES,
                "refused by the peer: " + HandshakeDescriptor.describeReject(buffer, body, bodyLength));
        }
        else
        {
            session.fail(Counter.UNAUTHENTICATED_FRAMES, "frame type=0x" + Integer.toHexString(type) +
                (awaitingAuth ? " while awaiting AUTH" : " while awaiting HELLO") + ", before authentication");
        }
    }

    private void onHello(
        final DirectBuffer buffer, final int frame, final int body, final int bodyLength, final long nowNs)
    {
        if (bodyLength != HandshakeDescriptor.HELLO_LENGTH)
        {
            session.fail(Counter.MALFORMED_FRAMES, "HELLO body length=" + bodyLength);
            return;
        }
        final int peerMin = HandshakeDescriptor.minVersion(buffer, body);
        final int peerMax = HandshakeDescriptor.maxVersion(buffer, body);
        final int roleCode = HandshakeDescriptor.role(buffer, body);
        final int claimedId = HandshakeDescriptor.nodeId(buffer, body);
        final PeerRole role = PeerRole.fromCode(roleCode);
        if (role == null || claimedId < 0 || FrameDescriptor.sourceNodeId(buffer, frame) != claimedId)
        {
            session.fail(Counter.MALFORMED_FRAMES, "HELLO role=" + roleCode + " id=" + claimedId + " source=" +
                FrameDescriptor.sourceNodeId(buffer, frame));
            return;
        }
        final int negotiated = HandshakeDescriptor.negotiate(
            TcpTransport.MIN_PROTOCOL_VERSION, TcpTransport.MAX_PROTOCOL_VERSION, peerMin, peerMax);
        if (negotiated == 0)
        {
            final String text = "no common protocol version: this end speaks " + TcpTransport.MIN_PROTOCOL_VERSION +
                ".." + TcpTransport.MAX_PROTOCOL_VERSION + ", the peer " + peerMin + ".." + peerMax;
            reject(HandshakeDescriptor.REASON_NO_COMMON_VERSION, text);
            session.fail(Counter.VERSION_MISMATCHES, text);
            return;
        }
        peerHello.putBytes(0, buffer, body, HandshakeDescriptor.HELLO_LENGTH);
        version = negotiated;
        if (dialled != null)
        {
            onAcceptorHello(role, claimedId, nowNs);
        }
        else
        {
            onDiallerHello(role, claimedId, nowNs);
        }
    }

    private void onAcceptorHello(final PeerRole role, final int claimedId, final long nowNs)
    {
        if (role != PeerRole.NODE || claimedId != dialled.nodeId)
        {
            session.fail(Counter.AUTHENTICATION_FAILURES, "dialled " + dialled + " but the peer says it is " +
                CertificateIdentity.nameOf(role, claimedId));
            return;
        }
        peerId = claimedId;
        peerRole = role;
        if (context.authMode() == AuthMode.TLS)
        {
            session.establish(nowNs);
        }
        else
        {
            awaitingAuth = true;
        }
    }

    private void onDiallerHello(final PeerRole role, final int claimedId, final long nowNs)
    {
        final int refusal = transport.checkInbound(role, claimedId);
        if (refusal != 0)
        {
            final String text = CertificateIdentity.nameOf(role, claimedId) + (refusal ==
                HandshakeDescriptor.REASON_WRONG_DIRECTION ? " must wait to be dialled (the lower node id dials)" :
                " is not known to this node");
            reject(refusal, text);
            session.fail(Counter.AUTHENTICATION_FAILURES, text);
            return;
        }
        if (certificateIdentity != null &&
            (certificateIdentity.role() != role || certificateIdentity.id() != claimedId))
        {
            reject(HandshakeDescriptor.REASON_AUTHENTICATION_FAILED, "authentication failed");
            session.fail(Counter.AUTHENTICATION_FAILURES, "certificate names " +
                CertificateIdentity.nameOf(certificateIdentity.role(), certificateIdentity.id()) +
                " but HELLO claims " + CertificateIdentity.nameOf(role, claimedId));
            return;
        }
        peerId = claimedId;
        peerRole = role;
        if (context.authMode() == AuthMode.TLS)
        {
            sendHello();
            session.establish(nowNs);
            return;
        }
        final HmacAuthenticator authenticator = transport.authenticator();
        if (!authenticator.hasSecretFor(role))
        {
            reject(HandshakeDescriptor.REASON_AUTHENTICATION_FAILED, "this node accepts no " + role);
            session.fail(Counter.AUTHENTICATION_FAILURES, role + " refused: no secret configured for that role");
            return;
        }
        sendHello();
        sendAuth(role, HmacAuthenticator.ACCEPTOR, peerHello, localHello);
        awaitingAuth = true;
        session.send(nowNs);
    }

    private void onAuth(final DirectBuffer buffer, final int body, final int bodyLength, final long nowNs)
    {
        if (bodyLength != HandshakeDescriptor.MAC_LENGTH)
        {
            session.fail(Counter.MALFORMED_FRAMES, "AUTH body length=" + bodyLength);
            return;
        }
        final HmacAuthenticator authenticator = transport.authenticator();
        if (dialled != null)
        {
            if (!authenticator.verify(context.role(), HmacAuthenticator.ACCEPTOR, version, localHello, 0, peerHello,
                0, buffer, body))
            {
                session.fail(Counter.AUTHENTICATION_FAILURES,
                    "the peer's proof of the secret is wrong (another secret?)");
                return;
            }
            sendAuth(context.role(), HmacAuthenticator.INITIATOR, localHello, peerHello);
        }
        else if (!authenticator.verify(peerRole, HmacAuthenticator.INITIATOR, version, peerHello, 0, localHello, 0,
            buffer, body))
        {
            reject(HandshakeDescriptor.REASON_AUTHENTICATION_FAILED, "authentication failed");
            session.fail(Counter.AUTHENTICATION_FAILURES, "the peer's proof of the secret is wrong (another secret, " +
                "or a replayed handshake)");
            return;
        }
        session.establish(nowNs);
    }

    private void sendHello()
    {
        transport.nextNonce(nonce);
        HandshakeDescriptor.writeHello(localHello, 0, TcpTransport.MIN_PROTOCOL_VERSION,
            TcpTransport.MAX_PROTOCOL_VERSION, context.role().code(), context.nodeId(), nonce);
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        buffer.putBytes(offset + FrameDescriptor.HEADER_LENGTH, localHello, 0, HandshakeDescriptor.HELLO_LENGTH);
        session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, HandshakeDescriptor.HELLO_TYPE,
            HandshakeDescriptor.HELLO_LENGTH, context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
    }

    private void sendAuth(
        final PeerRole initiatorRole, final byte prover, final DirectBuffer initiatorHello,
        final DirectBuffer acceptorHello)
    {
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        transport.authenticator().prove(initiatorRole, prover, version, initiatorHello, 0, acceptorHello, 0, buffer,
            offset + FrameDescriptor.HEADER_LENGTH);
        session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, HandshakeDescriptor.AUTH_TYPE,
            HandshakeDescriptor.MAC_LENGTH, context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
    }

    /**
     * Queues a REJECT and tries once to write it; the caller fails the connection next.
     */
    private void reject(final int reason, final String text)
    {
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        if (buffer.capacity() - offset < FrameDescriptor.HEADER_LENGTH + HandshakeDescriptor.TEXT_OFFSET +
            HandshakeDescriptor.MAX_TEXT_LENGTH)
        {
            return;
        }
        final int bodyLength = HandshakeDescriptor.writeReject(
            buffer, offset + FrameDescriptor.HEADER_LENGTH, reason, text);
        session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, HandshakeDescriptor.REJECT_TYPE,
            bodyLength, context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
        session.flushOnce();
    }
}
