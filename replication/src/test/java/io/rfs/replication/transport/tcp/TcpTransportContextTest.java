package io.rfs.replication.transport.tcp;

import io.rfs.replication.transport.PeerRole;
import io.rfs.store.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TcpTransportContextTest
{
    @Test
    void shouldFillInDefaults()
    {
        final TcpTransportContext context = valid().conclude();

        assertThat(context.keepaliveIntervalNs()).isEqualTo(TcpTransportContext.IDLE_TIMEOUT_NS_DEFAULT / 4);
        assertThat(context.maxFrameLength()).isEqualTo(TcpTransportContext.MAX_FRAME_LENGTH_DEFAULT);
        assertThat(context.nanoClock()).isNotNull();
        assertThat(context.secureRandom()).isNotNull();
        assertThat(context.errorHandler()).isNotNull();
        assertThat(new TcpTransportContext().nodeId(1).listenAddress(TestNode.ANY_PORT).clusterSecret(TestNode.SECRET)
            .conclude().messageAuthorizer()).isSameAs(io.rfs.replication.transport.MessageAuthorizer.REGISTRY);
    }

    @Test
    void shouldNameTheSettingThatIsWrong()
    {
        assertRefused(c -> c.nodeId(-1), "nodeId=-1");
        assertRefused(c -> c.listenAddress(null), "listenAddress=null");
        assertRefused(c -> c.role(PeerRole.CLIENT).clientSecret(TestNode.CLIENT_SECRET), "listenAddress=");
        assertRefused(c -> c.peer(1, "127.0.0.1:7000"), "peers=");
        assertRefused(c -> c.clusterSecret(new byte[8]), "clusterSecret.length=8");
        assertRefused(c -> c.clusterSecret(null), "clusterSecret=null");
        assertRefused(c -> c.sendQueueCapacity(100_000), "sendQueueCapacity=100000");
        assertRefused(c -> c.sendQueueCapacity(4 * 1024 * 1024).sendBufferLength(256 * 1024),
            "sendBufferLength=262144");
        assertRefused(c -> c.keepaliveIntervalNs(TcpTransportContext.IDLE_TIMEOUT_NS_DEFAULT), "keepaliveIntervalNs=");
        assertRefused(c -> c.connectBackoffMaxNs(1), "connectBackoffMaxNs=1");
        assertRefused(c -> c.maxFrameLength(100), "maxFrameLength=100");
        assertRefused(c -> c.authMode(AuthMode.TLS), "keyStorePath=null");
    }

    @Test
    void shouldNotRevealSecretInMessage()
    {
        assertThatThrownBy(() -> valid().clusterSecret("short".getBytes()).conclude())
            .hasMessageNotContaining("short");
    }

    @Test
    void shouldParseHostAndPort()
    {
        assertThat(TcpTransportContext.parseAddress("peer", "127.0.0.1:7000").getPort()).isEqualTo(7000);
        assertThat(TcpTransportContext.parseAddress("peer", "[::1]:7001").getAddress().getHostAddress())
            .isEqualTo("0:0:0:0:0:0:0:1");
        assertThatThrownBy(() -> TcpTransportContext.parseAddress("peers[2]", "localhost"))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("peers[2]=localhost");
        assertThatThrownBy(() -> TcpTransportContext.parseAddress("peers[2]", "localhost:http"))
            .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void shouldReadIdentityFromCertificateNames()
    {
        assertThat(CertificateIdentity.parse("node-12")).isEqualTo(new CertificateIdentity(PeerRole.NODE, 12));
        assertThat(CertificateIdentity.parse("client-7")).isEqualTo(new CertificateIdentity(PeerRole.CLIENT, 7));
        assertThat(CertificateIdentity.parse("node-")).isNull();
        assertThat(CertificateIdentity.parse("node-1x")).isNull();
        assertThat(CertificateIdentity.parse("node-99999999999")).isNull();
        assertThat(CertificateIdentity.parse("admin")).isNull();
    }

    private static TcpTransportContext valid()
    {
        return new TcpTransportContext()
            .nodeId(1)
            .listenAddress(TestNode.ANY_PORT)
            .clusterSecret(TestNode.SECRET)
            .messageAuthorizer(TestNode.AUTHORIZER);
    }

    private static void assertRefused(final UnaryOperator<TcpTransportContext> change, final String messageStart)
    {
        assertThatThrownBy(() -> change.apply(valid()).conclude())
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith(messageStart);
    }
}
