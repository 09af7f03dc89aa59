package io.rfs.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code rfs cluster status} reads the nodes' {@code /health} answers: the cluster's ring and the detector's
 * verdicts are the leader's, and a node on another ring is marked.
 */
class ClusterStatusCommandTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldMarkANodeWhoseRingIsOlderOrOtherThanTheLeaders() throws Exception
    {
        final ClusterStatusCommand.NodeStatus leader = node(1, "LEADER", 1, 3, "aaaaaaaaaaaaaaaa");
        final ClusterStatusCommand.NodeStatus lagging = node(2, "FOLLOWER", 1, 2, "bbbbbbbbbbbbbbbb");
        final ClusterStatusCommand.NodeStatus diverged = node(3, "FOLLOWER", 1, 3, "cccccccccccccccc");
        final ClusterStatusCommand.Leadership leadership =
            ClusterStatusCommand.Leadership.of(List.of(lagging, leader, diverged));

        assertThat(leadership.leaderId()).isEqualTo(1);
        assertThat(leadership.ringVersion()).isEqualTo(3);
        assertThat(leadership.ringFingerprint()).isEqualTo("aaaaaaaaaaaaaaaa");
        assertThat(ClusterStatusCommand.describe(leader, leadership)).isEqualTo("leader term 7 ring 3 ok");
        assertThat(ClusterStatusCommand.describe(lagging, leadership))
            .isEqualTo("follower term 7 ring 2 (leader's 3) ok");
        assertThat(ClusterStatusCommand.describe(diverged, leadership))
            .isEqualTo("follower term 7 ring 3 (not the leader's) ok");
    }

    @Test
    void shouldTakeTheDetectorsVerdictsFromTheLeaderOnly() throws Exception
    {
        final ClusterStatusCommand.Leadership leadership = ClusterStatusCommand.Leadership.of(
            List.of(node(1, "FOLLOWER", 2, 1, "aaaaaaaaaaaaaaaa"), node(2, "LEADER", 2, 1, "aaaaaaaaaaaaaaaa")));

        assertThat(leadership.detectorState(1)).isEqualTo("suspect");
        assertThat(leadership.detectorState(2)).isEqualTo("up");
        assertThat(leadership.detectorState(9)).as("not a member").isNull();
        final ClusterStatusCommand.Leadership none = ClusterStatusCommand.Leadership.of(
            List.of(node(1, "FOLLOWER", 2, 1, "aaaaaaaaaaaaaaaa")));
        assertThat(none.leader()).as("node 2 named, but it did not answer").isNull();
        assertThat(none.detectorState(1)).isNull();
        assertThat(none.ringVersion()).isEqualTo(-1);
    }

    /**
     * @return a running node that answered at term 7, naming {@code leaderId}; its detector holds node 1 suspect and
     * node 2 up.
     */
    private static ClusterStatusCommand.NodeStatus node(
        final int id, final String role, final int leaderId, final long ringVersion, final String fingerprint)
        throws Exception
    {
        final String body = "{\"status\":\"ok\",\"reasons\":[],\"nodeId\":" + id + ",\"role\":\"" + role + "\"," +
            "\"term\":7,\"leaderId\":" + leaderId + ",\"ringInForceVersion\":" + ringVersion +
            ",\"ringInForceFingerprint\":\"" + fingerprint + "\",\"memberStates\":{\"1\":\"SUSPECT\",\"2\":\"UP\"}}";
        return new ClusterStatusCommand.NodeStatus(id, "127.0.0.1:" + (40000 + id), true, 100 + id, "/data/" + id,
            0, "127.0.0.1:" + (41000 + id), new HealthProbe.Answer(true, MAPPER.readTree(body), null));
    }
}
