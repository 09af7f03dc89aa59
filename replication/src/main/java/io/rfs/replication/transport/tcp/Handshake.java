package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorDecoder;
import io.rfs.replication.protocol.ErrorEncoder;
import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.HelloDecoder;
import io.rfs.replication.protocol.HelloDescriptor;
import io.rfs.replication.protocol.HelloEncoder;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * One connection's handshake after the socket (and, in TLS mode, the TLS session) is up: {@code Hello} both ways
 * with version negotiation and identity checks, then, in HMAC mode, the two Auth proofs ({@link HmacAuthenticator}).
 * A refusal is an {@code Error} frame before the close. Specified in {@code docs/TRANSPORT.md} and section 2 of
 * {@code docs/PROTOCOL.md}. It decides; the {@link TcpSession} frames the bytes, sends what this class writes into
 * its send buffer and closes the connection when told to fail. Transport thread only.
 */
final class Handshake
{
    private static final int MAX_ERROR_TEXT = 200;

    private final TcpSession session;
    private final TcpTransport transport;
    private final TcpTransportContext context;
    private final Peer dialled;
    private final HelloEncoder helloEncoder = new HelloEncoder();
    private final HelloDecoder helloDecoder = new HelloDecoder();
    private final ErrorEncoder errorEncoder = new ErrorEncoder();
    private final ErrorDecoder errorDecoder = new ErrorDecoder();
    private final UnsafeBuffer localHello = new UnsafeBuffer(new byte[HandshakeDescriptor.MAX_HELLO_LENGTH]);
    private final UnsafeBuffer peerHello = new UnsafeBuffer(new byte[HandshakeDescriptor.MAX_HELLO_LENGTH]);
    private final UnsafeBuffer nonce = new UnsafeBuffer(new byte[HelloDescriptor.NONCE_LENGTH]);
    private int localHelloLength;
    private int peerHelloLength;
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
     * Takes one handshake frame whose header and checksum passed.
     *
     * @param buffer holds the frame.
     * @param frame  where it starts.
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
        else if (type == MessageTypes.ERROR)
        {
            onError(buffer, body, bodyLength);
        }
        else
        {
            session.fail(Counter.UNAUTHENTICATED_FRAMES, "frame type=" + type + " (" + MessageTypes.name(type) + ")" +
                (awaitingAuth ? " while awaiting Auth" : " while awaiting Hello") + ", before authentication");
        }
    }

    private void onHello(
        final DirectBuffer buffer, final int frame, final int body, final int bodyLength, final long nowNs)
    {
        try
        {
            helloDecoder.wrap(buffer, body, bodyLength);
        }
        catch (final MalformedMessageException ex)
        {
            refuse(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED, ex.getMessage());
            return;
        }
        final int claimedId = helloDecoder.nodeId();
        final PeerRole role = PeerRole.fromCode(helloDecoder.role());
        if (claimedId < 0 || bodyLength > HandshakeDescriptor.MAX_HELLO_LENGTH ||
            FrameDescriptor.sourceNodeId(buffer, frame) != claimedId)
        {
            refuse(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED, "Hello nodeId=" + claimedId + " length=" +
                bodyLength + " source=" + FrameDescriptor.sourceNodeId(buffer, frame));
            return;
        }
        final int peerMin = helloDecoder.minVersion();
        final int peerMax = helloDecoder.maxVersion();
        final int negotiated = HelloDescriptor.negotiateVersion(
            TcpTransport.MIN_PROTOCOL_VERSION, TcpTransport.MAX_PROTOCOL_VERSION, peerMin, peerMax);
        if (negotiated == 0)
        {
            refuse(Counter.VERSION_MISMATCHES, ErrorCode.NO_COMMON_VERSION, "no common protocol version: this end " +
                "speaks " + TcpTransport.MIN_PROTOCOL_VERSION + ".." + TcpTransport.MAX_PROTOCOL_VERSION +
                ", the peer " + peerMin + ".." + peerMax);
            return;
        }
        peerHello.putBytes(0, buffer, body, bodyLength);
        peerHelloLength = bodyLength;
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
        if (refusal != TcpTransport.INBOUND_ALLOWED)
        {
            refuse(Counter.AUTHENTICATION_FAILURES, ErrorCode.NOT_AUTHORISED, CertificateIdentity.nameOf(role,
                claimedId) + (refusal == TcpTransport.INBOUND_WRONG_DIRECTION ?
                " must wait to be dialled (the lower node id dials)" : " is not known to this node"));
            return;
        }
        if (certificateIdentity != null &&
            (certificateIdentity.role() != role || certificateIdentity.id() != claimedId))
        {
            refuse(Counter.AUTHENTICATION_FAILURES, ErrorCode.NOT_AUTHORISED, "certificate names " +
                CertificateIdentity.nameOf(certificateIdentity.role(), certificateIdentity.id()) +
                " but Hello claims " + CertificateIdentity.nameOf(role, claimedId));
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
        if (!transport.authenticator().hasSecretFor(role))
        {
            refuse(Counter.AUTHENTICATION_FAILURES, ErrorCode.NOT_AUTHORISED, "this node accepts no " + role);
            return;
        }
        sendHello();
        sendAuth(role, HmacAuthenticator.ACCEPTOR, peerHello, peerHelloLength, localHello, localHelloLength);
        awaitingAuth = true;
        session.send(nowNs);
    }

    private void onAuth(final DirectBuffer buffer, final int body, final int bodyLength, final long nowNs)
    {
        if (bodyLength != HandshakeDescriptor.MAC_LENGTH)
        {
            refuse(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED, "Auth body length=" + bodyLength);
            return;
        }
        final HmacAuthenticator authenticator = transport.authenticator();
        if (dialled != null)
        {
            if (!authenticator.verify(context.role(), HmacAuthenticator.ACCEPTOR, version, localHello,
                localHelloLength, peerHello, peerHelloLength, buffer, body))
            {
                session.fail(Counter.AUTHENTICATION_FAILURES,
                    "the peer's proof of the secret is wrong (another secret?)");
                return;
            }
            sendAuth(context.role(), HmacAuthenticator.INITIATOR, localHello, localHelloLength, peerHello,
                peerHelloLength);
        }
        else if (!authenticator.verify(peerRole, HmacAuthenticator.INITIATOR, version, peerHello, peerHelloLength,
            localHello, localHelloLength, buffer, body))
        {
            refuse(Counter.AUTHENTICATION_FAILURES, ErrorCode.NOT_AUTHORISED, "authentication failed",
                "the peer's proof of the secret is wrong (another secret, or a replayed handshake)");
            return;
        }
        session.establish(nowNs);
    }

    private void onError(final DirectBuffer buffer, final int body, final int bodyLength)
    {
        String text;
        ErrorCode code;
        try
        {
            errorDecoder.wrap(buffer, body, bodyLength);
            code = errorDecoder.code();
            text = code + " " + errorDecoder.text();
        }
        catch (final MalformedMessageException ex)
        {
            code = ErrorCode.MALFORMED;
            text = "malformed Error: " + ex.getMessage();
        }
        session.fail(code == ErrorCode.NO_COMMON_VERSION ? Counter.VERSION_MISMATCHES :
            Counter.AUTHENTICATION_FAILURES, "refused by the peer: " + text);
    }

    private void sendHello()
    {
        if (context.authMode() == AuthMode.HMAC)
        {
            transport.nextNonce(nonce.byteArray());
        }
        helloEncoder.wrap(localHello, 0)
            .versions(TcpTransport.MIN_PROTOCOL_VERSION, TcpTransport.MAX_PROTOCOL_VERSION)
            .role(context.role().code())
            .nodeId(context.nodeId())
            .nonce(nonce, 0);
        localHelloLength = helloEncoder.encodedLength();
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        buffer.putBytes(offset + FrameDescriptor.HEADER_LENGTH, localHello, 0, localHelloLength);
        session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, HandshakeDescriptor.HELLO_TYPE,
            localHelloLength, context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
    }

    private void sendAuth(
        final PeerRole initiatorRole,
        final byte prover,
        final DirectBuffer initiatorHello,
        final int initiatorHelloLength,
        final DirectBuffer acceptorHello,
        final int acceptorHelloLength)
    {
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        transport.authenticator().prove(initiatorRole, prover, version, initiatorHello, initiatorHelloLength,
            acceptorHello, acceptorHelloLength, buffer, offset + FrameDescriptor.HEADER_LENGTH);
        session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, HandshakeDescriptor.AUTH_TYPE,
            HandshakeDescriptor.MAC_LENGTH, context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
    }

    private void refuse(final Counter counter, final ErrorCode code, final String reason)
    {
        refuse(counter, code, reason, reason);
    }

    /**
     * Sends an {@code Error} saying why (best effort), then fails the connection.
     *
     * @param toPeer  what the peer is told.
     * @param toLocal what the local error handler is told.
     */
    private void refuse(final Counter counter, final ErrorCode code, final String toPeer, final String toLocal)
    {
        final UnsafeBuffer buffer = session.sendBuffer();
        final int offset = session.sendLimit();
        if (buffer.capacity() - offset >= FrameDescriptor.HEADER_LENGTH + 8 + 4 * MAX_ERROR_TEXT)
        {
            final String text = toPeer.length() > MAX_ERROR_TEXT ? toPeer.substring(0, MAX_ERROR_TEXT) : toPeer;
            errorEncoder.wrap(buffer, offset + FrameDescriptor.HEADER_LENGTH).code(code)
                .relatedType(MessageTypes.HELLO).text(text);
            session.commitSend(HandshakeDescriptor.finishFrame(buffer, offset, MessageTypes.ERROR,
                errorEncoder.encodedLength(), context.nodeId(), HandshakeDescriptor.HANDSHAKE_FRAME_VERSION));
            session.flushOnce();
        }
        session.fail(counter, toLocal);
    }
}
