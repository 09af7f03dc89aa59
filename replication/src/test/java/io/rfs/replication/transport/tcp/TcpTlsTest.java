package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import io.rfs.store.ConfigurationException;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Mutual TLS 1.3 between real transports, with certificates made by {@code keytool} when the class starts.
 */
@Timeout(value = 120)
class TcpTlsTest
{
    private static final String CA = "rfs-test-ca";
    private static final String OTHER_CA = "other-ca";

    @TempDir
    static Path directory;
    private static Path trust;
    private static Path node1;
    private static Path node2;
    private static Path node3;
    private static Path node1OtherCa;
    private static Path node2OtherCa;
    private static Path client1000;
    private static Path node1Expired;

    private final Driver driver = new Driver();
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeAll
    static void makeCertificates()
    {
        final TestCertificates certificates = new TestCertificates(directory);
        certificates.authority(CA);
        certificates.authority(OTHER_CA);
        trust = certificates.trustStore(CA);
        node1 = certificates.issue(CA, "node-1", "node-1");
        node2 = certificates.issue(CA, "node-2", "node-2");
        node3 = certificates.issue(CA, "node-3", "node-3");
        node1OtherCa = certificates.issue(OTHER_CA, "node-1", "node-1-other-ca");
        node2OtherCa = certificates.issue(OTHER_CA, "node-2", "node-2-other-ca");
        client1000 = certificates.issue(CA, "client-1000", "client-1000");
        node1Expired = certificates.issue(CA, "node-1", "node-1-expired", "-startdate", "-10d", "-validity", "1");
    }

    @AfterEach
    void closeAll()
    {
        nodes.forEach(TestNode::close);
    }

    @Test
    void shouldExchangeMessagesAndPayloadsOverMutualTls()
    {
        final TestNode two = node(2, node2);
        final TestNode one = node(1, node1);
        connect(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        for (int i = 0; i < 2000; i++)
        {
            message.putInt(0, i);
            final int sequence = i;
            driver.until("offer", () -> one.transport.offer(2, 100, sequence, message, 0, 64));
        }
        final int payloadLength = 2 * 1024 * 1024 + 3;
        final ByteBuffer memory = ByteBuffer.allocateDirect(payloadLength);
        final byte[] expected = new byte[payloadLength];
        new SplittableRandom(3).nextBytes(expected);
        final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.address(memory), payloadLength);
        payload.putBytes(0, expected);
        driver.until("gather offer", () -> two.transport.offer(1, 100, 5L, message, 0, 8, payload, 0, payloadLength));
        driver.until("delivered", () -> two.received.size() == 2000 && one.received.size() == 1);

        for (int i = 0; i < 2000; i++)
        {
            assertThat(new UnsafeBuffer(two.received.get(i).body()).getInt(0)).isEqualTo(i);
        }
        final byte[] body = one.received.get(0).body();
        assertThat(Arrays.copyOfRange(body, 8, body.length)).isEqualTo(expected);
        assertThat(one.counter(Counter.AUTHENTICATION_FAILURES) + two.counter(Counter.AUTHENTICATION_FAILURES))
            .isZero();
        java.lang.ref.Reference.reachabilityFence(memory);
    }

    @Test
    void shouldTakeClientRoleFromCertificateAndAuthorizeByIt()
    {
        final TestNode two = node(2, node2);
        final TestNode client = new TestNode(new TcpTransportContext()
            .nodeId(1000)
            .role(PeerRole.CLIENT)
            .peer(2, two.address())
            .authMode(AuthMode.TLS)
            .keyStore(client1000, TestCertificates.PASSWORD)
            .trustStore(trust, TestCertificates.PASSWORD)
            .messageAuthorizer(TestNode.AUTHORIZER)
            .nanoClock(driver.clock));
        nodes.add(client);
        driver.add(client);
        driver.until("client connected", () -> client.transport.isConnected(2) && two.transport.isConnected(1000));
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);

        assertThat(client.transport.offer(2, 20, 1L, message, 0, 8)).isTrue();
        driver.until("client message delivered", () -> two.received.size() == 1);
        assertThat(client.transport.offer(2, 500, 2L, message, 0, 8)).isTrue();
        driver.until("node-only type refused", () -> two.counter(Counter.UNAUTHORIZED_FRAMES) == 1);

        assertThat(two.received).hasSize(1);
        assertThat(two.received.get(0).source()).isEqualTo(1000);
    }

    @Test
    void shouldRefuseDiallerWithCertificateFromAnotherCa()
    {
        final TestNode two = node(2, node2);
        assertRefused(node(1, node1OtherCa), two);
        assertThat(two.errors).anySatisfy(error -> assertThat(error.getMessage()).contains("TLS handshake failed"));
    }

    @Test
    void shouldRefuseAcceptorWithCertificateFromAnotherCa()
    {
        final TestNode one = node(1, node1);
        assertRefused(one, node(2, node2OtherCa));
        assertThat(one.errors).anySatisfy(error -> assertThat(error.getMessage())
            .contains("unable to find valid certification path"));
    }

    @Test
    void shouldRefuseExpiredCertificate()
    {
        final TestNode two = node(2, node2);
        assertRefused(node(1, node1Expired), two);
        assertThat(two.errors).anySatisfy(error -> assertThat(error.getMessage())
            .contains("validity check failed"));
    }

    @Test
    void shouldRefuseDiallerWhoseCertificateNamesAnotherNode()
    {
        final TestNode one = node(1, node3);
        final TestNode two = node(2, node2);
        assertRefused(one, two);
        assertThat(two.errors).anySatisfy(error -> assertThat(error.getMessage())
            .contains("certificate names node-3 but Hello claims node-1"));
    }

    @Test
    void shouldRefuseAcceptorWhoseCertificateNamesAnotherNode()
    {
        final TestNode one = node(1, node1);
        final TestNode two = node(2, node3);
        assertRefused(one, two);
        assertThat(one.errors).anySatisfy(error -> assertThat(error.getMessage())
            .contains("dialled node-2 (").contains("its certificate names node-3"));
    }

    @Test
    void shouldRefusePlaintextPeerAtTlsNode()
    {
        final TestNode two = node(2, node2);
        final TestNode one = new TestNode(TestNode.nodeContext(1, driver.clock));
        nodes.add(one);
        driver.add(one);
        connect(one, two);
        driver.tickNs = TimeUnit.MILLISECONDS.toNanos(20);

        driver.until("refused twice", () -> two.counter(Counter.AUTHENTICATION_FAILURES) >= 2);

        assertThat(one.transport.isConnected(2)).isFalse();
        assertThat(two.counter(Counter.CONNECTIONS_ESTABLISHED) + one.counter(Counter.CONNECTIONS_ESTABLISHED))
            .isZero();
    }

    @Test
    void shouldNameMissingTrustStoreInConfigurationError()
    {
        assertThatThrownBy(() -> new TcpTransportContext().nodeId(1).listenAddress(TestNode.ANY_PORT)
            .authMode(AuthMode.TLS).keyStore(node1, TestCertificates.PASSWORD)
            .messageAuthorizer(TestNode.AUTHORIZER).conclude())
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("trustStorePath=null");
    }

    private void assertRefused(final TestNode one, final TestNode two)
    {
        connect(one, two);
        driver.tickNs = TimeUnit.MILLISECONDS.toNanos(20);

        driver.until("refused twice", () -> one.counter(Counter.CONNECT_ATTEMPTS) >= 2 &&
            one.counter(Counter.AUTHENTICATION_FAILURES) + two.counter(Counter.AUTHENTICATION_FAILURES) >= 2);

        assertThat(one.transport.isConnected(2)).isFalse();
        assertThat(two.transport.isConnected(1)).isFalse();
        assertThat(two.counter(Counter.CONNECTIONS_ESTABLISHED) + one.counter(Counter.CONNECTIONS_ESTABLISHED))
            .isZero();
        assertThat(one.received).isEmpty();
        assertThat(two.received).isEmpty();
    }

    private static void connect(final TestNode one, final TestNode two)
    {
        one.transport.addPeer(2, two.address());
        two.transport.addPeer(1, one.address());
    }

    private TestNode node(final int nodeId, final Path keyStore)
    {
        final TestNode node = new TestNode(TestNode.nodeContext(nodeId, driver.clock)
            .authMode(AuthMode.TLS)
            .keyStore(keyStore, TestCertificates.PASSWORD)
            .trustStore(trust, TestCertificates.PASSWORD));
        nodes.add(node);
        driver.add(node);
        return node;
    }
}
