package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.PeerRole;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/**
 * Computes and checks the HMAC-SHA256 proofs of the {@link AuthMode#HMAC} handshake:
 * <pre>
 *   proof = HMAC-SHA256(secret, "rfs-tcp-hmac-v1" || prover || version
 *                               || length(I) || Hello(initiator) || length(A) || Hello(acceptor))
 * </pre>
 * where {@code prover} is the byte {@code 'I'} for the initiator's proof and {@code 'A'} for the acceptor's,
 * {@code version} the negotiated protocol version (one byte), each Hello the body bytes as sent (40 in version 1) and
 * each length that body's length as a little-endian u16, so the two bodies cannot be cut differently: both nonces,
 * both node ids, both roles and both version ranges are bound, so a proof is good for one connection, one direction
 * and one outcome of the negotiation only. The secret is that of the initiator's role: the cluster secret between
 * nodes, the client secret when a client dials a node. The acceptor, which learns the initiator's role from its
 * Hello, proves first, over a nonce the initiator just drew; the initiator answers over a nonce the acceptor just
 * drew, so a recorded handshake replayed to either end fails.
 * <p>
 * The primitives are the JDK's ({@code javax.crypto.Mac}, {@code MessageDigest.isEqual} for a constant-time
 * comparison); this class only frames their input. Used by the transport's thread only.
 */
final class HmacAuthenticator
{
    static final byte INITIATOR = 'I';
    static final byte ACCEPTOR = 'A';
    private static final byte[] LABEL = "rfs-tcp-hmac-v1".getBytes(StandardCharsets.US_ASCII);
    private static final String ALGORITHM = "HmacSHA256";

    private final Mac nodeMac;
    private final Mac clientMac;
    private final byte[] hello = new byte[HandshakeDescriptor.MAX_HELLO_LENGTH];
    private final byte[] computed = new byte[HandshakeDescriptor.MAC_LENGTH];
    private final byte[] received = new byte[HandshakeDescriptor.MAC_LENGTH];

    /**
     * @param clusterSecret the nodes' secret, or null if this end neither is nor accepts a node.
     * @param clientSecret  the clients' secret, or null if this end neither is nor accepts a client.
     */
    HmacAuthenticator(final byte[] clusterSecret, final byte[] clientSecret)
    {
        nodeMac = newMac(clusterSecret);
        clientMac = newMac(clientSecret);
    }

    /**
     * @param initiatorRole the role of the end that dialled.
     * @return true if this end holds the secret that role proves.
     */
    boolean hasSecretFor(final PeerRole initiatorRole)
    {
        return macFor(initiatorRole) != null;
    }

    /**
     * Writes a proof. Each Hello body starts at index 0 of its buffer.
     */
    void prove(
        final PeerRole initiatorRole,
        final byte prover,
        final int version,
        final DirectBuffer initiatorHello,
        final int initiatorHelloLength,
        final DirectBuffer acceptorHello,
        final int acceptorHelloLength,
        final MutableDirectBuffer destination,
        final int destinationOffset)
    {
        compute(initiatorRole, prover, version, initiatorHello, initiatorHelloLength, acceptorHello,
            acceptorHelloLength);
        destination.putBytes(destinationOffset, computed);
    }

    /**
     * @return true if the proof at {@code proof, proofOffset} is the one expected.
     */
    boolean verify(
        final PeerRole initiatorRole,
        final byte prover,
        final int version,
        final DirectBuffer initiatorHello,
        final int initiatorHelloLength,
        final DirectBuffer acceptorHello,
        final int acceptorHelloLength,
        final DirectBuffer proof,
        final int proofOffset)
    {
        compute(initiatorRole, prover, version, initiatorHello, initiatorHelloLength, acceptorHello,
            acceptorHelloLength);
        proof.getBytes(proofOffset, received);
        return MessageDigest.isEqual(computed, received);
    }

    private void compute(
        final PeerRole initiatorRole,
        final byte prover,
        final int version,
        final DirectBuffer initiatorHello,
        final int initiatorHelloLength,
        final DirectBuffer acceptorHello,
        final int acceptorHelloLength)
    {
        final Mac mac = macFor(initiatorRole);
        if (mac == null)
        {
            throw new IllegalStateException("no secret for role=" + initiatorRole);
        }
        mac.reset();
        mac.update(LABEL);
        mac.update(prover);
        mac.update((byte)version);
        update(mac, initiatorHello, initiatorHelloLength);
        update(mac, acceptorHello, acceptorHelloLength);
        try
        {
            mac.doFinal(computed, 0);
        }
        catch (final ShortBufferException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private void update(final Mac mac, final DirectBuffer body, final int length)
    {
        if (length < 0 || length > hello.length)
        {
            throw new IllegalArgumentException("helloLength=" + length + ": must be 0.." + hello.length);
        }
        mac.update((byte)length);
        mac.update((byte)(length >>> 8));
        body.getBytes(0, hello, 0, length);
        mac.update(hello, 0, length);
    }

    private Mac macFor(final PeerRole initiatorRole)
    {
        return initiatorRole == PeerRole.NODE ? nodeMac : clientMac;
    }

    private static Mac newMac(final byte[] secret)
    {
        if (secret == null)
        {
            return null;
        }
        try
        {
            final Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException(ALGORITHM + " is not available", ex);
        }
    }
}
