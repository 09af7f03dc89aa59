package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorDecoder;
import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.HelloDescriptor;
import io.rfs.replication.protocol.MalformedMessageException;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshake and the checks on every frame, driven byte by byte from a raw socket against node 5, which knows
 * node 3 (lower: it dials node 5) and node 7 (higher: node 5 dials it).
 */
@Timeout(value = 60)
class TcpHandshakeTest
{
    private static final InetSocketAddress NOWHERE = new InetSocketAddress("127.0.0.1", 9);

    private final Driver driver = new Driver();
    private final List<RawPeer> raws = new ArrayList<>();
    private TestNode node;

    @BeforeEach
    void startNode()
    {
        node = driver.add(new TestNode(TestNode.nodeContext(5, driver.clock).maxPendingConnections(4)));
        node.transport.addPeer(3, NOWHERE);
        node.transport.addPeer(7, NOWHERE);
    }

    @AfterEach
    void closeAll()
    {
        raws.forEach(RawPeer::close);
        node.close();
    }

    @Test
    void shouldAcceptCorrectHandshakeAndDeliverFrames()
    {
        final RawPeer raw = raw();
        raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
        driver.until("authenticated", () -> node.transport.isConnected(3));

        raw.send(RawPeer.frame(100, 1, 3, 77L, new byte[]{1, 2, 3}), driver);
        driver.until("delivered", () -> node.received.size() == 1);

        assertThat(node.received.get(0).correlationId()).isEqualTo(77L);
        assertThat(node.received.get(0).body()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRefuseReplayedHandshake()
    {
        final RawPeer recorded = raw();
        recorded.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
        driver.until("authenticated", () -> node.transport.isConnected(3));
        recorded.close();
        driver.until("closed", () -> !node.transport.isConnected(3));

        final RawPeer replay = raw();
        replay.send(recorded.sent.toByteArray(), driver);
        replay.awaitClosed(driver);

        assertThat(node.counter(Counter.AUTHENTICATION_FAILURES)).isEqualTo(1);
        assertThat(node.counter(Counter.CONNECTIONS_ESTABLISHED)).isEqualTo(1);
        assertThat(node.transport.isConnected(3)).isFalse();
        assertThat(node.errors).anySatisfy(error -> assertThat(error.getMessage()).contains("replayed"));
    }

    @Test
    void shouldRefuseProofMadeWithAnotherSecret()
    {
        final RawPeer raw = raw();
        raw.handshake(3, PeerRole.NODE, "not-the-cluster-secret-at-all!!".getBytes(), driver, false);
        raw.awaitClosed(driver);

        assertThat(node.counter(Counter.AUTHENTICATION_FAILURES)).isEqualTo(1);
        assertThat(node.transport.isConnected(3)).isFalse();
    }

    @Test
    void shouldRejectHelloWithNoCommonVersionAndSayWhy()
    {
        final RawPeer raw = raw();
        raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 3, 0,
            RawPeer.hello(2, 3, PeerRole.NODE, 3, new byte[32])), driver);

        final ErrorDecoder error = error(raw.awaitClosed(driver));

        assertThat(error.code()).isEqualTo(ErrorCode.NO_COMMON_VERSION);
        assertThat(error.relatedType()).isEqualTo(MessageTypes.HELLO);
        assertThat(error.text()).contains("1..1").contains("2..3");
        assertThat(node.counter(Counter.VERSION_MISMATCHES)).isEqualTo(1);
    }

    @Test
    void shouldNegotiateHighestCommonVersion()
    {
        assertThat(HelloDescriptor.negotiateVersion(1, 3, 2, 5)).isEqualTo(3);
        assertThat(HelloDescriptor.negotiateVersion(1, 1, 1, 4)).isEqualTo(1);
        assertThat(HelloDescriptor.negotiateVersion(2, 4, 1, 1)).isZero();
    }

    @Test
    void shouldRejectMalformedHello()
    {
        final RawPeer raw = raw();
        final byte[] hello = RawPeer.hello(1, 1, PeerRole.NODE, 3, new byte[32]);
        hello[HelloDescriptor.ROLE_OFFSET] = 9;
        raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 3, 0, hello), driver);

        assertThat(error(raw.awaitClosed(driver)).code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(node.counter(Counter.MALFORMED_FRAMES)).isEqualTo(1);
    }

    @Test
    void shouldRejectUnknownNode()
    {
        final RawPeer raw = raw();
        raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 99, 0,
            RawPeer.hello(1, 1, PeerRole.NODE, 99, new byte[32])), driver);

        final ErrorDecoder error = error(raw.awaitClosed(driver));

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHORISED);
        assertThat(error.text()).contains("node-99 is not known");
        assertThat(node.counter(Counter.AUTHENTICATION_FAILURES)).isEqualTo(1);
    }

    @Test
    void shouldRejectHigherNodeDiallingTheWrongWay()
    {
        final RawPeer raw = raw();
        raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 7, 0,
            RawPeer.hello(1, 1, PeerRole.NODE, 7, new byte[32])), driver);

        final ErrorDecoder error = error(raw.awaitClosed(driver));

        assertThat(error.code()).isEqualTo(ErrorCode.NOT_AUTHORISED);
        assertThat(error.text()).contains("must wait to be dialled");
    }

    @Test
    void shouldCloseOnDataFrameBeforeAuthentication()
    {
        final RawPeer raw = raw();
        raw.send(RawPeer.frame(100, 1, 3, 0, new byte[8]), driver);
        raw.awaitClosed(driver);

        assertThat(node.counter(Counter.UNAUTHENTICATED_FRAMES)).isEqualTo(1);
        assertThat(node.received).isEmpty();
    }

    @Test
    void shouldCloseOnDataFrameBetweenHelloAndAuth()
    {
        final RawPeer raw = raw();
        raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 3, 0,
            RawPeer.hello(1, 1, PeerRole.NODE, 3, new byte[32])), driver);
        raw.readFrame(driver);
        raw.readFrame(driver);
        raw.send(RawPeer.frame(100, 1, 3, 0, new byte[8]), driver);
        raw.awaitClosed(driver);

        assertThat(node.counter(Counter.UNAUTHENTICATED_FRAMES)).isEqualTo(1);
        assertThat(node.received).isEmpty();
    }

    @Test
    void shouldTimeOutSilentConnection()
    {
        final RawPeer raw = raw();
        driver.steps(10);
        driver.advance(TcpTransportContext.HANDSHAKE_TIMEOUT_NS_DEFAULT + 1);
        raw.awaitClosed(driver);

        assertThat(node.counter(Counter.HANDSHAKE_TIMEOUTS)).isEqualTo(1);
    }

    @Test
    void shouldRefuseConnectionsBeyondPendingLimit()
    {
        for (int i = 0; i < 4; i++)
        {
            raw();
        }
        driver.steps(20);
        final RawPeer fifth = raw();
        fifth.awaitClosed(driver);

        assertThat(node.counter(Counter.CONNECTIONS_REFUSED)).isEqualTo(1);
        assertThat(raws.get(0).isClosedByPeer()).isFalse();
    }

    enum BadFrame
    {
        TOO_LARGE(Counter.FRAMES_TOO_LARGE, ErrorCode.MALFORMED),
        NEGATIVE_LENGTH(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED),
        SHORTER_THAN_HEADER(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED),
        BAD_MAGIC(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED),
        WRONG_VERSION(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED),
        CONTROL_TYPE_AFTER_HANDSHAKE(Counter.MALFORMED_FRAMES, ErrorCode.MALFORMED),
        BAD_CHECKSUM(Counter.CHECKSUM_FAILURES, ErrorCode.MALFORMED),
        UNKNOWN_TYPE(Counter.UNAUTHORIZED_FRAMES, ErrorCode.UNKNOWN_TYPE),
        TYPE_ZERO(Counter.UNAUTHORIZED_FRAMES, ErrorCode.UNKNOWN_TYPE);

        final Counter counter;
        final ErrorCode code;

        BadFrame(final Counter counter, final ErrorCode code)
        {
            this.counter = counter;
            this.code = code;
        }
    }

    @ParameterizedTest
    @EnumSource(BadFrame.class)
    void shouldCloseConnectionAndCountBadFrameFromAuthenticatedPeer(final BadFrame bad)
    {
        final RawPeer raw = raw();
        raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
        raw.send(RawPeer.frame(100, 1, 3, 1L, new byte[16]), driver);
        driver.until("good frame delivered", () -> node.received.size() == 1);

        raw.send(badFrame(bad), driver);
        final ErrorDecoder error = error(raw.awaitClosed(driver));

        assertThat(error.code()).as("the peer is told why").isEqualTo(bad.code);
        assertThat(node.counter(bad.counter)).isEqualTo(1);
        assertThat(node.received).hasSize(1);
        assertThat(node.transport.isConnected(3)).isFalse();
    }

    private static byte[] badFrame(final BadFrame bad)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(RawPeer.frame(100, 1, 3, 2L, new byte[64]));
        switch (bad)
        {
            case TOO_LARGE -> frame.putInt(FrameDescriptor.LENGTH_OFFSET, Integer.MAX_VALUE);
            case NEGATIVE_LENGTH -> frame.putInt(FrameDescriptor.LENGTH_OFFSET, -1);
            case SHORTER_THAN_HEADER -> frame.putInt(FrameDescriptor.LENGTH_OFFSET, 31);
            case BAD_MAGIC -> frame.putInt(FrameDescriptor.MAGIC_OFFSET, 0x12345678);
            case WRONG_VERSION -> frame.putByte(FrameDescriptor.VERSION_OFFSET, (byte)2);
            case CONTROL_TYPE_AFTER_HANDSHAKE -> frame.putShort(FrameDescriptor.TYPE_OFFSET,
                (short)HandshakeDescriptor.HELLO_TYPE);
            case BAD_CHECKSUM -> frame.putByte(FrameDescriptor.HEADER_LENGTH + 10, (byte)1);
            case UNKNOWN_TYPE -> frame.putShort(FrameDescriptor.TYPE_OFFSET, (short)2000);
            case TYPE_ZERO -> frame.putShort(FrameDescriptor.TYPE_OFFSET, (short)0);
            default -> throw new IllegalArgumentException(bad.name());
        }
        if (bad != BadFrame.BAD_CHECKSUM && bad != BadFrame.TOO_LARGE && bad != BadFrame.NEGATIVE_LENGTH &&
            bad != BadFrame.SHORTER_THAN_HEADER)
        {
            FrameDescriptor.writeChecksum(frame, 0);
        }
        return frame.byteArray();
    }

    @Test
    void shouldTellClientItMayNotSendNodeTypes()
    {
        final RawPeer raw = raw();
        raw.handshake(1000, PeerRole.CLIENT, TestNode.CLIENT_SECRET, driver);
        driver.until("client authenticated", () -> node.transport.isConnected(1000));

        raw.send(RawPeer.frame(MessageTypes.HEARTBEAT, 1, 1000, 0L, new byte[16]), driver);

        assertThat(error(raw.awaitClosed(driver)).code()).isEqualTo(ErrorCode.NOT_AUTHORISED);
        assertThat(node.counter(Counter.UNAUTHORIZED_FRAMES)).isEqualTo(1);
        assertThat(node.received).isEmpty();
    }

    @Test
    void shouldDeliverWithAuthenticatedSourceWhateverTheHeaderSays()
    {
        final RawPeer raw = raw();
        raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);

        raw.send(RawPeer.frame(100, 1, 7, 1L, new byte[4]), driver);
        driver.until("delivered", () -> node.received.size() == 1);

        assertThat(node.received.get(0).source()).isEqualTo(3);
    }

    private static ErrorDecoder error(final UnsafeBuffer frame)
    {
        assertThat(frame).as("an Error frame before the close").isNotNull();
        assertThat(FrameDescriptor.messageType(frame, 0)).isEqualTo(MessageTypes.ERROR);
        try
        {
            return new ErrorDecoder().wrap(frame, FrameDescriptor.HEADER_LENGTH,
                frame.capacity() - FrameDescriptor.HEADER_LENGTH);
        }
        catch (final MalformedMessageException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private RawPeer raw()
    {
        final RawPeer raw = new RawPeer(node.address());
        raws.add(raw);
        return raw;
    }
}
