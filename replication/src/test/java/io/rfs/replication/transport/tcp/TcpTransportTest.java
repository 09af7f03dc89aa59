package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60)
class TcpTransportTest
{
    private static final int TYPE = 100;

    private final Driver driver = new Driver();
    private final List<TestNode> toClose = new ArrayList<>();
    private final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));

    @AfterEach
    void closeAll()
    {
        toClose.forEach(TestNode::close);
    }

    @Test
    void shouldDeliverMessagesInOrderBothWays()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));

        final int count = 20_000;
        int sentOne = 0;
        int sentTwo = 0;
        final long deadline = System.nanoTime() + Driver.DEADLINE_NS;
        while ((sentOne < count || sentTwo < count || one.received.size() < count || two.received.size() < count) &&
            System.nanoTime() < deadline)
        {
            while (sentOne < count && offerSequence(one, 2, sentOne))
            {
                sentOne++;
            }
            while (sentTwo < count && offerSequence(two, 1, sentTwo))
            {
                sentTwo++;
            }
            driver.step();
        }

        assertSequence(two.received, 1, count);
        assertSequence(one.received, 2, count);
        assertThat(one.counter(Counter.FRAMES_SENT)).isEqualTo(count);
        assertThat(two.counter(Counter.FRAMES_RECEIVED)).isEqualTo(count);
        assertThat(one.counter(Counter.CONNECTIONS_ESTABLISHED)).isEqualTo(1);
        assertThat(two.errors).isEmpty();
    }

    @Test
    void shouldEndAWaitWhenAMessageArrives()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        driver.steps(10);

        assertThat(offerSequence(one, 2, 0)).isTrue();
        one.step();
        // fails by the class's timeout if the arrival does not end the wait
        two.transport.waiter().await(TimeUnit.HOURS.toNanos(1));
        driver.until("delivered", () -> two.received.size() == 1);
        assertSequence(two.received, 1, 1);
    }

    @Test
    void shouldEndAWaitWhenWokenBeforeIt()
    {
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        one.step();

        one.transport.waiter().wake();
        one.transport.waiter().await(TimeUnit.HOURS.toNanos(1));
    }

    @Test
    void shouldAcceptOffersFromManyThreadsAndKeepEachThreadsOrder() throws InterruptedException
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final int producers = 3;
        final int perProducer = 20_000;
        final java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() ->
            {
                final UnsafeBuffer body = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
                final long deadline = System.nanoTime() + Driver.DEADLINE_NS;
                for (int i = 0; i < perProducer && !failed.get(); i++)
                {
                    body.putInt(0, producer);
                    body.putInt(4, i);
                    while (!one.transport.offer(2, TYPE, i, body, 0, 64))
                    {
                        if (System.nanoTime() - deadline > 0)
                        {
                            failed.set(true);
                            return;
                        }
                        Thread.onSpinWait();
                    }
                }
            }, "producer-" + p);
            threads.add(thread);
            thread.start();
        }

        driver.until("all delivered", () -> two.received.size() == producers * perProducer || failed.get());
        for (final Thread thread : threads)
        {
            thread.join();
        }

        assertThat(failed).isFalse();
        final int[] next = new int[producers];
        for (final TestNode.Received received : two.received)
        {
            final UnsafeBuffer body = new UnsafeBuffer(received.body());
            final int producer = body.getInt(0);
            assertThat(body.getInt(4)).isEqualTo(next[producer]++);
        }
        assertThat(next).containsOnly(perProducer);
    }

    @Test
    void shouldConnectEveryPairWithTheLowerIdDialling()
    {
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode threeAgain = node(TestNode.nodeContext(3, driver.clock));
        mesh(one, two, threeAgain);

        driver.until("full mesh", () -> one.transport.isConnected(2) && one.transport.isConnected(3) &&
            two.transport.isConnected(1) && two.transport.isConnected(3) &&
            threeAgain.transport.isConnected(1) && threeAgain.transport.isConnected(2));
        assertThat(offerSequence(threeAgain, 1, 0)).isTrue();
        assertThat(offerSequence(two, 3, 0)).isTrue();
        driver.until("delivered", () -> one.received.size() == 1 && threeAgain.received.size() == 1);

        assertThat(one.received.get(0).source()).isEqualTo(3);
        assertThat(threeAgain.received.get(0).source()).isEqualTo(2);
        assertThat(threeAgain.counter(Counter.CONNECT_ATTEMPTS)).isZero();
        assertThat(one.counter(Counter.AUTHENTICATION_FAILURES) + two.counter(Counter.AUTHENTICATION_FAILURES) +
            threeAgain.counter(Counter.AUTHENTICATION_FAILURES)).isZero();
    }

    @Test
    void shouldSendOffHeapPayloadFromItsOwnMemoryAndReleaseIt()
    {
        final List<String> releases = new ArrayList<>();
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock)
            .payloadReleaseHandler((destination, type, correlationId, written) ->
                releases.add(destination + "/" + type + "/" + correlationId + "/" + written)));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final int payloadLength = 3 * 1024 * 1024 + 17;
        final ByteBuffer memory = ByteBuffer.allocateDirect(payloadLength);
        final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.address(memory), payloadLength);
        final byte[] expected = new byte[payloadLength];
        new SplittableRandom(42).nextBytes(expected);
        payload.putBytes(0, expected);
        final UnsafeBuffer fields = new UnsafeBuffer(new byte[40]);
        fields.putLong(0, 0x1122334455667788L);

        assertThat(one.transport.offer(2, TYPE, 99L, fields, 0, 40, payload, 0, payloadLength)).isTrue();
        driver.until("chunk delivered", () -> two.received.size() == 1);

        final TestNode.Received received = two.received.get(0);
        assertThat(received.correlationId()).isEqualTo(99L);
        assertThat(received.body()).hasSize(40 + payloadLength);
        assertThat(new UnsafeBuffer(received.body()).getLong(0)).isEqualTo(0x1122334455667788L);
        assertThat(java.util.Arrays.copyOfRange(received.body(), 40, received.body().length)).isEqualTo(expected);
        assertThat(releases).containsExactly("2/100/99/true");
        assertThat(two.counter(Counter.CHECKSUM_FAILURES)).isZero();
        java.lang.ref.Reference.reachabilityFence(memory);
    }

    @Test
    void shouldBoundPayloadBytesQueuedByReference()
    {
        final List<Long> released = new ArrayList<>();
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock)
            .payloadReleaseHandler((destination, type, correlationId, written) -> released.add(correlationId)));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final int chunk = 4 * 1024 * 1024;
        final ByteBuffer memory = ByteBuffer.allocateDirect(chunk);
        final UnsafeBuffer payload = new UnsafeBuffer(BufferUtil.address(memory), chunk);
        final long chunksInBound = TcpTransportContext.MAX_QUEUED_PAYLOAD_BYTES_DEFAULT / chunk;

        for (int i = 0; i < chunksInBound; i++)
        {
            assertThat(one.transport.offer(2, TYPE, i, message, 0, 8, payload, 0, chunk)).isTrue();
        }
        assertThat(one.transport.offer(2, TYPE, 99, message, 0, 8, payload, 0, chunk)).isFalse();
        assertThat(one.transport.offer(2, TYPE, 100, message, 0, 8)).as("small messages still pass").isTrue();
        driver.until("first released", () -> released.size() >= 1);
        assertThat(one.transport.offer(2, TYPE, 101, message, 0, 8, payload, 0, chunk)).isTrue();
        driver.until("all delivered", () -> two.received.size() == chunksInBound + 2);

        assertThat(released).containsExactly(0L, 1L, 2L, 3L, 101L);
        java.lang.ref.Reference.reachabilityFence(memory);
    }

    @Test
    void shouldCopyLargeHeapMessagesThroughTheStagingBuffer()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final byte[] body = new byte[1024 * 1024];
        new SplittableRandom(7).nextBytes(body);
        final UnsafeBuffer heap = new UnsafeBuffer(body);

        assertThat(one.transport.offer(2, TYPE, 1L, heap, 0, body.length)).isTrue();
        assertThat(one.transport.offer(2, TYPE, 2L, heap, 0, body.length)).as("staging is busy").isFalse();
        driver.until("first delivered", () -> two.received.size() == 1);
        driver.until("second accepted", () -> one.transport.offer(2, TYPE, 3L, heap, 0, 16, heap, 16,
            body.length - 16));
        driver.until("second delivered", () -> two.received.size() == 2);

        assertThat(two.received.get(0).body()).isEqualTo(body);
        assertThat(two.received.get(1).body()).isEqualTo(body);
        assertThat(two.received.get(1).correlationId()).isEqualTo(3L);
    }

    @Test
    void shouldGrowTheStagingBufferForALargerMessageAndDeliverEveryByte()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final byte[] body = new byte[4 * 1024 * 1024];
        new SplittableRandom(11).nextBytes(body);
        final UnsafeBuffer heap = new UnsafeBuffer(body);
        final int[] lengths = {300 * 1024, 3 * 1024 * 1024 + 5, 1024 * 1024, 4 * 1024 * 1024};

        for (int i = 0; i < lengths.length; i++)
        {
            final int length = lengths[i];
            final long correlationId = i;
            driver.until("offer of " + length + " bytes accepted",
                () -> one.transport.offer(2, TYPE, correlationId, heap, 0, length));
        }
        driver.until("all delivered", () -> two.received.size() == lengths.length);

        for (int i = 0; i < lengths.length; i++)
        {
            assertThat(two.received.get(i).correlationId()).isEqualTo(i);
            assertThat(two.received.get(i).body()).isEqualTo(Arrays.copyOf(body, lengths[i]));
        }
    }

    @Test
    void shouldRefuseOffersWhileConsumerIsSlowAndLoseNothingAccepted()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        two.polling = false;

        int accepted = 0;
        long refused = 0;
        for (int round = 0; round < 2_000; round++)
        {
            for (int i = 0; i < 1_000; i++)
            {
                if (offerSequence(one, 2, accepted, 1024))
                {
                    accepted++;
                }
                else
                {
                    refused++;
                }
            }
            driver.step();
        }

        assertThat(refused).isGreaterThan(1_000_000);
        final long frameLength = FrameDescriptor.HEADER_LENGTH + 1024;
        final long bound = (TcpTransportContext.SEND_QUEUE_CAPACITY_DEFAULT +
            TcpTransportContext.SEND_BUFFER_LENGTH_DEFAULT + TcpTransportContext.RECEIVE_BUFFER_LENGTH_DEFAULT +
            64L * 1024 * 1024) / frameLength;
        assertThat((long)accepted).as("accepted while the consumer slept is bounded by the queues")
            .isLessThan(bound);
        assertThat(one.counter(Counter.IDLE_TIMEOUTS) + two.counter(Counter.IDLE_TIMEOUTS)).isZero();

        two.polling = true;
        final int expected = accepted;
        driver.until("all accepted delivered", () -> two.received.size() == expected);
        assertSequence(two.received, 1, expected);
    }

    @Test
    void shouldReconnectAndResumeAfterPeerIsKilledAndRestarted()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        int sent = 0;
        for (int round = 0; round < 50; round++)
        {
            while (offerSequence(one, 2, sent))
            {
                sent++;
            }
            driver.step();
        }
        final int beforeKill = two.received.size();
        assertThat(beforeKill).isPositive();

        two.close();
        driver.remove(two);
        driver.until("disconnect noticed", () ->
        {
            offerSequence(one, 2, 0);
            return !one.transport.isConnected(2);
        });
        assertThat(offerSequence(one, 2, 0)).isFalse();
        final TestNode restarted = node(TestNode.nodeContext(2, driver.clock).listenAddress(two.address()));
        restarted.transport.addPeer(1, one.address());
        driver.tickNs = TimeUnit.MILLISECONDS.toNanos(50);
        driver.until("reconnected", () -> one.transport.isConnected(2) && restarted.transport.isConnected(1));
        driver.tickNs = 0;
        final int resumeFrom = sent;
        for (int i = 0; i < 1000; i++)
        {
            final int sequence = resumeFrom + i;
            driver.until("offer accepted", () -> offerSequence(one, 2, sequence));
        }
        driver.until("resumed", () -> restarted.received.size() == 1000);

        for (int i = 0; i < 1000; i++)
        {
            assertThat(new UnsafeBuffer(restarted.received.get(i).body()).getInt(0)).isEqualTo(resumeFrom + i);
        }
        assertThat(one.counter(Counter.CONNECTIONS_ESTABLISHED)).isEqualTo(2);
        assertThat(one.counter(Counter.CONNECT_ATTEMPTS)).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldReplaceStaleConnectionWhenRestartedPeerDialsAgain()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));

        driver.remove(one);
        final TestNode oneAgain = node(TestNode.nodeContext(1, driver.clock));
        oneAgain.transport.addPeer(2, two.address());
        driver.until("new connection", () -> oneAgain.transport.isConnected(2) &&
            two.counter(Counter.CONNECTIONS_ESTABLISHED) == 2);
        assertThat(two.transport.offer(1, TYPE, 5L, message, 0, 8)).isTrue();
        driver.until("delivered to the new incarnation", () -> oneAgain.received.size() == 1);

        assertThat(two.counter(Counter.CONNECTIONS_REPLACED)).isEqualTo(1);
        assertThat(one.received).isEmpty();
    }

    @Test
    void shouldCloseConnectionAndRefuseOffersWhenPeerIsRemoved()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));

        assertThat(one.transport.removePeer(2)).isTrue();
        driver.until("closed on both ends", () -> !two.transport.isConnected(1));

        assertThat(one.transport.isConnected(2)).isFalse();
        assertThat(one.transport.offer(2, TYPE, 0L, message, 0, 8)).isFalse();
        assertThat(one.transport.removePeer(2)).isFalse();
        driver.tickNs = TimeUnit.SECONDS.toNanos(1);
        driver.steps(20);
        assertThat(one.counter(Counter.CONNECT_ATTEMPTS)).as("not redialled").isEqualTo(1);
    }

    @Test
    void shouldCloseHalfOpenConnectionAndRedial()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));

        driver.remove(two);
        driver.advance(TcpTransportContext.IDLE_TIMEOUT_NS_DEFAULT + 1);
        driver.until("half-open detected", () -> !one.transport.isConnected(2));
        assertThat(one.counter(Counter.IDLE_TIMEOUTS)).isEqualTo(1);
        assertThat(one.errors).anySatisfy(error -> assertThat(error.getMessage()).contains("half-open"));

        driver.add(two);
        driver.tickNs = TimeUnit.MILLISECONDS.toNanos(10);
        driver.until("redialled", () -> one.transport.isConnected(2) && two.counter(
            Counter.CONNECTIONS_ESTABLISHED) == 2);
    }

    @Test
    void shouldKeepQuietConnectionOpenWithKeepalives()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.until("connected", () -> one.transport.isConnected(2) && two.transport.isConnected(1));
        final long step = TcpTransportContext.IDLE_TIMEOUT_NS_DEFAULT / 10;

        for (int i = 0; i < 50; i++)
        {
            driver.advance(step);
            driver.steps(20);
        }

        assertThat(one.transport.isConnected(2)).isTrue();
        assertThat(one.counter(Counter.IDLE_TIMEOUTS) + two.counter(Counter.IDLE_TIMEOUTS)).isZero();
        assertThat(one.counter(Counter.KEEPALIVES_SENT)).isGreaterThan(10);
        assertThat(two.counter(Counter.KEEPALIVES_SENT)).isGreaterThan(10);
        assertThat(one.received).isEmpty();
    }

    @Test
    void shouldRefusePeerWithWrongSecret()
    {
        final TestNode two = node(TestNode.nodeContext(2, driver.clock)
            .clusterSecret("another-secret-0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));
        mesh(one, two);
        driver.tickNs = TimeUnit.MILLISECONDS.toNanos(20);

        driver.until("several attempts", () -> one.counter(Counter.CONNECT_ATTEMPTS) >= 3);
        driver.until("failures counted", () -> one.counter(Counter.AUTHENTICATION_FAILURES) >= 3);

        assertThat(one.transport.isConnected(2)).isFalse();
        assertThat(two.transport.isConnected(1)).isFalse();
        assertThat(one.transport.offer(2, TYPE, 0L, message, 0, 8)).isFalse();
        assertThat(one.counter(Counter.CONNECTIONS_ESTABLISHED) + two.counter(Counter.CONNECTIONS_ESTABLISHED))
            .isZero();
        assertThat(one.errors).anySatisfy(error -> assertThat(error.getMessage()).contains("proof"));
    }

    @Test
    void shouldLetClientSendOnlyWhatItsRoleAllows()
    {
        final TestNode node = node(TestNode.nodeContext(5, driver.clock));
        final TestNode client = node(new TcpTransportContext()
            .nodeId(1000)
            .role(PeerRole.CLIENT)
            .peer(5, node.address())
            .clientSecret(TestNode.CLIENT_SECRET)
            .messageAuthorizer(TestNode.AUTHORIZER)
            .nanoClock(driver.clock));
        driver.until("client connected", () -> client.transport.isConnected(5) && node.transport.isConnected(1000));

        assertThat(client.transport.offer(5, 20, 1L, message, 0, 8)).isTrue();
        driver.until("client request delivered", () -> node.received.size() == 1);
        assertThat(node.received.get(0).source()).isEqualTo(1000);
        assertThat(node.transport.offer(1000, 21, 1L, message, 0, 8)).isTrue();
        driver.until("response delivered", () -> client.received.size() == 1);

        assertThat(client.transport.offer(5, 50, 2L, message, 0, 8)).isTrue();
        driver.until("node-only type refused", () -> node.counter(Counter.UNAUTHORIZED_FRAMES) == 1);
        assertThat(node.received).hasSize(1);
        assertThat(node.transport.isConnected(1000)).isFalse();
    }

    @Test
    void shouldRefuseToOfferTheTransportsOwnTypes()
    {
        final TestNode one = node(TestNode.nodeContext(1, driver.clock));

        for (int type = 1; type <= 15; type++)
        {
            final int reserved = type;
            org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> one.transport.offer(2, reserved, 0L, message, 0, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("messageType=" + type);
        }
    }

    @Test
    void shouldRefuseClientWhenNodeHasNoClientSecret()
    {
        final TestNode node = node(TestNode.nodeContext(5, driver.clock).clientSecret(null));
        final TestNode client = node(new TcpTransportContext()
            .nodeId(1000)
            .role(PeerRole.CLIENT)
            .peer(5, node.address())
            .clientSecret(TestNode.CLIENT_SECRET)
            .messageAuthorizer(TestNode.AUTHORIZER)
            .nanoClock(driver.clock));

        driver.until("refused", () -> node.counter(Counter.AUTHENTICATION_FAILURES) >= 1 &&
            client.counter(Counter.AUTHENTICATION_FAILURES) >= 1);

        assertThat(client.transport.isConnected(5)).isFalse();
        assertThat(client.errors).anySatisfy(error -> assertThat(error.getMessage()).contains("accepts no CLIENT"));
    }

    private TestNode node(final TcpTransportContext context)
    {
        final TestNode node = new TestNode(context);
        toClose.add(node);
        driver.add(node);
        return node;
    }

    private static void mesh(final TestNode... nodes)
    {
        for (final TestNode node : nodes)
        {
            for (final TestNode other : nodes)
            {
                if (other != node)
                {
                    node.transport.addPeer(other.transport.localNodeId(), other.address());
                }
            }
        }
    }

    private boolean offerSequence(final TestNode from, final int to, final int sequence)
    {
        return offerSequence(from, to, sequence, 64);
    }

    private boolean offerSequence(final TestNode from, final int to, final int sequence, final int length)
    {
        message.putInt(0, sequence);
        message.putInt(length - 4, ~sequence);
        return from.transport.offer(to, TYPE, sequence, message, 0, length);
    }

    private static void assertSequence(final List<TestNode.Received> received, final int source, final int count)
    {
        assertThat(received).hasSize(count);
        for (int i = 0; i < count; i++)
        {
            final TestNode.Received message = received.get(i);
            final UnsafeBuffer body = new UnsafeBuffer(message.body());
            assertThat(message.source()).isEqualTo(source);
            assertThat(body.getInt(0)).isEqualTo(i);
            assertThat(body.getInt(message.body().length - 4)).isEqualTo(~i);
            assertThat(message.correlationId()).isEqualTo(i);
        }
    }
}
