package io.rfs.replication.ring;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RingNodeTest
{
    @ParameterizedTest
    @ValueSource(strings = { "a:1", "10.0.0.1:7000", "[::1]:65535", "node-7.rack2.example.com:7000" })
    void shouldAcceptHostAndPort(final String address)
    {
        assertThat(new RingNode(1, address, 100, "z").address()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "host", ":7000", "host:", "host:0", "host:65536", "host:70x0", "host :7000",
        "host:123456", "hóst:7000" })
    void shouldRejectAddressesThatAreNotHostAndPort(final String address)
    {
        assertThatThrownBy(() -> new RingNode(1, address, 100, "z")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("address");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "eu west", "a/b", "zoné" })
    void shouldRejectBadZones(final String zone)
    {
        assertThatThrownBy(() -> new RingNode(1, "h:1", 100, zone)).hasMessageContaining("zone");
    }

    @Test
    void shouldRejectOutOfRangeIdAndWeight()
    {
        assertThatThrownBy(() -> new RingNode(-1, "h:1", 100, "z")).hasMessageContaining("id=-1");
        assertThatThrownBy(() -> new RingNode(1, "h:1", 0, "z")).hasMessageContaining("weight=0");
        assertThatThrownBy(() -> new RingNode(1, "h:1", RingNode.MAX_WEIGHT + 1, "z"))
            .hasMessageContaining("weight=10001");
        assertThatThrownBy(() -> new RingNode(1, "h:1", 100, "z".repeat(65))).hasMessageContaining("zone length=65");
    }

    @Test
    void shouldDefaultToStandardWeightAndDefaultZone()
    {
        final RingNode node = RingNode.of(3, "h:9");

        assertThat(node.weight()).isEqualTo(RingNode.STANDARD_WEIGHT);
        assertThat(node.zone()).isEqualTo(RingNode.DEFAULT_ZONE);
        assertThat(node.withWeight(250).weight()).isEqualTo(250);
        assertThat(node.withAddress("g:1").address()).isEqualTo("g:1");
    }
}
