package io.rfs.replication.node;

import io.rfs.replication.cluster.MemberState;
import io.rfs.replication.cluster.MemberView;
import io.rfs.replication.protocol.ErrorCode;
import io.rfs.replication.protocol.ErrorDecoder;
import io.rfs.replication.protocol.HeartbeatEncoder;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.protocol.PutChunkResponseEncoder;
import io.rfs.replication.protocol.Status;
import io.rfs.replication.transport.Transport;
import io.rfs.store.ConfigurationException;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.node.ChunkRequestsTest.random;
import static io.rfs.replication.node.NodeFixture.NODE_ID;
import static io.rfs.replication.node.NodeFixture.PEER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeAgentTest
{
    @TempDir
    Path directory;

    private NodeFixture fixture;
    private TestClient client;

    @BeforeEach
    void open() throws IOException
    {
        fixture = new NodeFixture(directory.resolve("node"));
        client = fixture.client;
    }

    @AfterEach
    void close()
    {
        if (fixture != null)
        {
            fixture.close();
        }
    }

    @Test
    void shouldRefuseAndCountTypesAClientMayNotSend() throws Exception
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final int heartbeatLength = new HeartbeatEncoder().wrap(body, 0).term(1).leaderId(-1).encodedLength();
        final long heartbeat = client.send(NODE_ID, MessageTypes.HEARTBEAT, body, heartbeatLength);
        final int responseLength = new PutChunkResponseEncoder().wrap(body, 0).status(Status.OK).encodedLength();
        final long response = client.send(NODE_ID, MessageTypes.PUT_CHUNK_RESPONSE, body, responseLength);
        final long vote = client.send(NODE_ID, MessageTypes.REQUEST_VOTE, body, 32);

        fixture.step();

        assertThat(fixture.counter(NodeCounter.NOT_AUTHORISED)).isEqualTo(3);
        assertThat(client.responses).hasSize(3).allSatisfy(r -> assertThat(r.type()).isEqualTo(MessageTypes.ERROR));
        final ErrorDecoder refusedVote = client.error(vote);
        assertThat(refusedVote.code()).isEqualTo(ErrorCode.NOT_AUTHORISED);
        assertThat(refusedVote.relatedType()).isEqualTo(MessageTypes.REQUEST_VOTE);
        assertThat(refusedVote.text()).isEqualTo("a client may not send RequestVote");
        assertThat(client.responses).extracting(TestClient.Response::correlationId)
            .as("one-way messages and responses are answered with correlation id 0").containsOnly(0L, vote)
            .doesNotContain(heartbeat, response);
        assertThat(fixture.counter(NodeCounter.REQUESTS)).isZero();
    }

    @Test
    void shouldHandHeartbeatsFromMembersToTheClusterAgentAndHeartbeatBack() throws Exception
    {
        final Transport peer = fixture.network.newTransport(PEER_ID);
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final int length = new HeartbeatEncoder().wrap(body, 0).term(1).ringVersion(4).load(9).encodedLength();
        assertThat(peer.offer(NODE_ID, MessageTypes.HEARTBEAT, 0, body, 0, length)).isTrue();

        fixture.step();
        fixture.node.clusterAgent().doWork();

        final MemberView view = fixture.node.clusterAgent().members().get(1);
        assertThat(view.nodeId()).isEqualTo(PEER_ID);
        assertThat(view.state()).isEqualTo(MemberState.UP);
        assertThat(view.term()).isEqualTo(1);
        assertThat(view.ringVersion()).isEqualTo(4);
        assertThat(view.load()).isEqualTo(9);
        assertThat(fixture.counter(NodeCounter.UNSUPPORTED)).isZero();
        assertThat(fixture.counter(NodeCounter.NOT_AUTHORISED)).isZero();
        final List<Integer> types = new ArrayList<>();
        peer.poll((s, t, c, b, o, l) -> types.add(t), 10);
        assertThat(types).as("with no leader heard, it asks for the newer ring the heartbeat announced; then its own " +
            "heartbeat").containsExactly(MessageTypes.RING_REQUEST, MessageTypes.HEARTBEAT);
        peer.close();
    }

    @Test
    void shouldAnswerMalformedRequestsAndUnknownTypesWithoutQueueingThem() throws Exception
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final long shortPut = client.send(NODE_ID, MessageTypes.PUT_CHUNK_REQUEST, body, 20);
        final long unknown = client.send(NODE_ID, 200, body, 8);

        fixture.step();

        final ErrorDecoder malformed = client.error(shortPut);
        assertThat(malformed.code()).isEqualTo(ErrorCode.MALFORMED);
        assertThat(malformed.text()).contains("PutChunkRequest").contains("bodyLength=20");
        assertThat(client.response(0).type()).isEqualTo(MessageTypes.ERROR);
        assertThat(new ErrorDecoder().wrap(client.response(0).body(), 0, client.response(0).body().capacity())
            .code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
        assertThat(unknown).isPositive();
        assertThat(fixture.counter(NodeCounter.MALFORMED)).isEqualTo(1);
        assertThat(fixture.counter(NodeCounter.UNKNOWN_TYPE)).isEqualTo(1);
        assertThat(fixture.counter(NodeCounter.REQUESTS)).isZero();
    }

    @Test
    void shouldAnswerOverloadedWhenTheStorageQueueIsFullAndAcceptAgainOnceItDrains() throws Exception
    {
        final List<Long> puts = new ArrayList<>();
        for (int i = 0; i < 40; i++)
        {
            puts.add(client.putChunk(NODE_ID, random(i, 60_000), false));
            fixture.node.networkAgent().doWork();
        }
        client.poll();

        final long overloaded = fixture.counter(NodeCounter.OVERLOADED);
        assertThat(overloaded).as("a 2 MiB queue holds about 34 puts of 60 KB").isBetween(1L, 39L);
        assertThat(fixture.node.networkAgent().inProgress()).isEqualTo(40 - overloaded);
        for (final TestClient.Response response : client.responses)
        {
            final ErrorDecoder error = client.error(response.correlationId());
            assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
            assertThat(error.relatedType()).isEqualTo(MessageTypes.PUT_CHUNK_REQUEST);
        }

        fixture.step();
        final long retry = client.putChunk(NODE_ID, random(1_000, 60_000), false);
        fixture.step();
        fixture.step(); // the queue wrapped: one ring read stops at the end of its buffer

        assertThat(client.putChunkResponse(retry).status()).isEqualTo(Status.OK);
        assertThat(fixture.node.networkAgent().inProgress()).isZero();
    }

    @Test
    void shouldFinishWhatItTookButRefuseNewRequestsOnceShuttingDown() throws Exception
    {
        final long taken = client.putChunk(NODE_ID, random(1, 1_000), false);
        fixture.node.networkAgent().doWork();
        fixture.node.networkAgent().beginShutdown();
        final long refused = client.putChunk(NODE_ID, random(2, 1_000), false);

        fixture.node.networkAgent().doWork();
        assertThat(fixture.node.networkAgent().isDrained()).isFalse();
        fixture.step();

        assertThat(client.putChunkResponse(taken).status()).isEqualTo(Status.OK);
        assertThat(client.error(refused).code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(client.error(refused).text()).contains("shutting down");
        assertThat(fixture.node.networkAgent().isDrained()).isTrue();
        assertThat(fixture.counter(NodeCounter.REFUSED_SHUTTING_DOWN)).isEqualTo(1);
    }

    @Test
    void shouldDropAResponseTheTransportRefusesForLongerThanTheTimeoutAndTheRestToThatRequesterAtOnce()
        throws Exception
    {
        final long first = client.putChunk(NODE_ID, random(1, 1_000), false);
        final long second = client.putChunk(NODE_ID, random(2, 1_000), false);
        fixture.node.networkAgent().doWork();
        client.transport.close();

        fixture.node.storageAgent().doWork();
        fixture.node.networkAgent().doWork();
        assertThat(fixture.node.networkAgent().inProgress()).as("held while the timeout runs").isEqualTo(2);
        fixture.nanoClock.advance(NodeContext.RESPONSE_TIMEOUT_NS_DEFAULT - 1);
        fixture.node.networkAgent().doWork();
        assertThat(fixture.counter(NodeCounter.RESPONSES_DROPPED)).isZero();

        fixture.nanoClock.advance(1);
        fixture.node.networkAgent().doWork();

        assertThat(fixture.counter(NodeCounter.RESPONSES_DROPPED)).isEqualTo(2);
        assertThat(fixture.node.networkAgent().inProgress()).isZero();
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void shouldServeWithBothAgentsComposedOnOneThread() throws Exception
    {
        final Agent agent = fixture.node.agent();
        final long put = client.putChunk(NODE_ID, random(3, 1_000), false);

        agent.doWork();
        agent.doWork();
        client.poll();

        assertThat(client.putChunkResponse(put).status()).isEqualTo(Status.OK);
    }

    @Test
    void shouldRefuseAStorageQueueTooSmallForTheTransportsLargestMessage()
    {
        fixture.close();
        assertThatThrownBy(() -> new NodeFixture(directory.resolve("other"),
            context -> context.storageQueueCapacity(NodeFixture.INBOX_CAPACITY / 2)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("storage.queue.capacity=524288: an eighth of it must take");
        fixture = null;
    }

    @Test
    void shouldRefuseADataDirectoryThatBelongsToAnotherNode() throws Exception
    {
        fixture.close();
        final Path data = directory.resolve("node");
        assertThatThrownBy(() -> new NodeFixture(data, context -> context.nodeId(7)))
            .isInstanceOf(ConfigurationException.class)
            .hasMessageContaining("belongs to node 1");
        fixture = null;
    }
}
