package io.rfs.replication.transport.tcp;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.transport.PeerRole;
import io.rfs.replication.transport.tcp.TcpTransportCounters.Counter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Feeds random and mutated bytes to a live node over raw sockets while it serves a good peer: every bad connection
 * must be closed and counted exactly once, and the good peer must be served throughout. The seed is printed in every
 * assertion message; rerun one with {@code -Drfs.fuzz.seed=N}.
 */
@Timeout(value = 120)
class TcpTransportFuzzTest
{
    private static final int ITERATIONS = 300;
    private static final Counter[] BAD_INPUT = {
        Counter.FRAMES_TOO_LARGE, Counter.MALFORMED_FRAMES, Counter.CHECKSUM_FAILURES, Counter.UNAUTHORIZED_FRAMES,
        Counter.UNAUTHENTICATED_FRAMES, Counter.AUTHENTICATION_FAILURES, Counter.VERSION_MISMATCHES,
        Counter.HANDSHAKE_TIMEOUTS, Counter.IDLE_TIMEOUTS};

    @Test
    void shouldCloseAndCountEveryBadConnectionAndKeepServingGoodPeer()
    {
        final long seed = Long.getLong("rfs.fuzz.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        final Driver driver = new Driver();
        try (TestNode node = driver.add(new TestNode(TestNode.nodeContext(5, driver.clock)));
            TestNode good = driver.add(new TestNode(TestNode.nodeContext(1, driver.clock))))
        {
            node.transport.addPeer(1, good.address());
            node.transport.addPeer(3, new InetSocketAddress("127.0.0.1", 9));
            good.transport.addPeer(5, node.address());
            driver.until("good peer connected", () -> good.transport.isConnected(5) && node.transport.isConnected(1));
            driver.tickNs = TimeUnit.MILLISECONDS.toNanos(50);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);

            for (int iteration = 0; iteration < ITERATIONS; iteration++)
            {
                final int strategy = random.nextInt(6);
                try (RawPeer raw = new RawPeer(node.address()))
                {
                    attack(strategy, raw, random, driver);
                    raw.awaitClosed(driver);
                }
                assertThat(badInput(node)).as("seed=%d iteration=%d strategy=%d: one bad connection, one count",
                    seed, iteration, strategy).isEqualTo(iteration + 1);

                message.putInt(0, iteration);
                final int expected = iteration + 1;
                driver.until("good peer served", () -> good.transport.offer(5, 100, expected, message, 0, 64));
                driver.until("good peer served", () -> node.transport.offer(1, 100, expected, message, 0, 64));
                driver.until("good peer served", () -> node.received.size() == expected &&
                    good.received.size() == expected);
                assertThat(node.received.get(iteration).correlationId()).isEqualTo(expected);
            }

            System.out.println("seed=" + seed + " node: " + node.transport.counters());
            assertThat(good.counter(Counter.CONNECTIONS_ESTABLISHED)).as("seed=%d", seed).isEqualTo(1);
            assertThat(badInput(good)).as("seed=%d", seed).isZero();
            assertThat(node.transport.isConnected(1)).isTrue();
        }
    }

    private static void attack(final int strategy, final RawPeer raw, final SplittableRandom random,
        final Driver driver)
    {
        switch (strategy)
        {
            case 0 -> raw.send(randomBytes(random, 1 + random.nextInt(600)), driver);
            case 1 -> raw.send(mutate(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 3, 0,
                RawPeer.hello(1, 1, PeerRole.NODE, 3, randomBytes(random, 32))), random), driver);
            case 2 ->
            {
                raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
                raw.send(mutate(RawPeer.frame(100, 1, 3, 1, randomBytes(random, random.nextInt(200))), random),
                    driver);
            }
            case 3 ->
            {
                raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
                raw.send(randomBytes(random, 1 + random.nextInt(5000)), driver);
            }
            case 4 ->
            {
                raw.handshake(3, PeerRole.NODE, TestNode.SECRET, driver);
                final byte[] frame = RawPeer.frame(100, 1, 3, 1, randomBytes(random, 100));
                raw.send(java.util.Arrays.copyOf(frame, random.nextInt(frame.length)), driver);
            }
            default ->
            {
                raw.send(RawPeer.frame(HandshakeDescriptor.HELLO_TYPE, 1, 3, 0,
                    RawPeer.hello(1, 1, PeerRole.NODE, 3, randomBytes(random, 32))), driver);
                raw.send(randomBytes(random, 1 + random.nextInt(100)), driver);
            }
        }
    }

    private static byte[] mutate(final byte[] frame, final SplittableRandom random)
    {
        final int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++)
        {
            final int index = random.nextInt(frame.length);
            frame[index] = (byte)(frame[index] ^ (1 + random.nextInt(255)));
        }
        if (random.nextInt(4) == 0)
        {
            new UnsafeBuffer(frame).putInt(FrameDescriptor.LENGTH_OFFSET, random.nextInt());
        }
        return frame;
    }

    private static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static long badInput(final TestNode node)
    {
        long sum = 0;
        for (final Counter counter : BAD_INPUT)
        {
            sum += node.counter(counter);
        }
        return sum;
    }
}
