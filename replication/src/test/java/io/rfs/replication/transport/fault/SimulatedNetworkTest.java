package io.rfs.replication.transport.fault;

import io.rfs.replication.protocol.MessageTypes;
import io.rfs.replication.transport.MessageHandler;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedNetworkTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final long MS = 1_000_000;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);

    private SimulatedNetwork network(final long seed)
    {
        return new SimulatedNetwork(new SimulatedNetwork.Context().seed(seed).nanoClock(clock));
    }

    private boolean send(final SimulatedTransport from, final int to, final long id)
    {
        body.putLong(0, id);
        return from.offer(to, MessageTypes.HEARTBEAT, id, body, 0, 8);
    }

    private static List<Long> drain(final SimulatedTransport transport)
    {
        final List<Long> ids = new ArrayList<>();
        transport.poll((src, type, cid, buffer, offset, length) -> ids.add(cid), Integer.MAX_VALUE);
        return ids;
    }

    @Test
    void shouldDeliverAfterTheLatencyAndNotBefore()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        network.faults(1, 2).latency(5 * MS, 5 * MS);

        assertThat(send(a, 2, 1)).isTrue();
        clock.advance(5 * MS - 1);
        assertThat(drain(b)).isEmpty();
        assertThat(network.nextDeliveryTimeNs()).isEqualTo(5 * MS);
        clock.advance(1);

        assertThat(drain(b)).containsExactly(1L);
        assertThat(network.nextDeliveryTimeNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldKeepEachLinkInOrderWithoutFaultsWhateverTheLatencies()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        network.faults(1, 2).latency(0, 50 * MS);
        final List<Long> received = new ArrayList<>();

        for (long i = 0; i < 2_000; i++)
        {
            send(a, 2, i);
            clock.advance(100_000);
            received.addAll(drain(b));
        }
        clock.advance(100 * MS);
        received.addAll(drain(b));

        assertThat(received).as("seed=" + SEED).hasSize(2_000).isSorted();
    }

    @Test
    void shouldPartitionBothWaysAndHealOnCommand()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        final SimulatedTransport c = network.newTransport(3);

        network.partition(1, 2);
        assertThat(send(a, 2, 1)).as("a partitioned offer is accepted").isTrue();
        send(b, 1, 2);
        send(a, 3, 3);
        clock.advance(10 * MS);
        assertThat(drain(b)).isEmpty();
        assertThat(drain(a)).isEmpty();
        assertThat(drain(c)).containsExactly(3L);
        assertThat(network.partitionedCount()).isEqualTo(2);

        network.heal(1, 2);
        send(a, 2, 4);
        send(b, 1, 5);
        clock.advance(10 * MS);
        assertThat(drain(b)).containsExactly(4L);
        assertThat(drain(a)).containsExactly(5L);
    }

    @Test
    void shouldPartitionOneDirectionOnly()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);

        network.partitionOneWay(1, 2);
        send(a, 2, 1);
        send(b, 1, 2);
        clock.advance(10 * MS);

        assertThat(drain(b)).isEmpty();
        assertThat(drain(a)).containsExactly(2L);
        assertThat(network.isPartitioned(1, 2)).isTrue();
        assertThat(network.isPartitioned(2, 1)).isFalse();

        network.healOneWay(1, 2);
        send(a, 2, 3);
        clock.advance(10 * MS);
        assertThat(drain(b)).containsExactly(3L);
    }

    @Test
    void shouldLoseMessagesInFlightWhenAPartitionForms()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        network.faults(1, 2).latency(5 * MS, 5 * MS);

        send(a, 2, 1);
        clock.advance(MS);
        network.partition(1, 2);
        clock.advance(10 * MS);

        assertThat(drain(b)).isEmpty();
        assertThat(network.partitionedCount()).isEqualTo(1);
    }

    @Test
    void shouldIsolateANodeFromEveryOtherUntilItRejoins()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        final SimulatedTransport c = network.newTransport(3);

        network.isolate(3);
        send(a, 3, 1);
        send(c, 2, 2);
        send(a, 2, 3);
        clock.advance(10 * MS);
        assertThat(drain(c)).isEmpty();
        assertThat(drain(b)).containsExactly(3L);

        network.healAll();
        send(c, 2, 4);
        clock.advance(10 * MS);
        assertThat(drain(b)).containsExactly(4L);
    }

    @Test
    void shouldDropDuplicateAndReorderOnRequest()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);

        network.faults(1, 2).dropProbability(1.0);
        send(a, 2, 1);
        clock.advance(10 * MS);
        assertThat(drain(b)).isEmpty();
        assertThat(network.droppedCount()).isEqualTo(1);

        network.faults(1, 2).dropProbability(0).duplicateProbability(1.0);
        send(a, 2, 2);
        clock.advance(10 * MS);
        assertThat(drain(b)).containsExactly(2L, 2L);

        network.faults(1, 2).duplicateProbability(0).latency(MS, MS).reorder(0.3, 20 * MS);
        final List<Long> received = new ArrayList<>();
        for (long i = 0; i < 1_000; i++)
        {
            send(a, 2, i);
            clock.advance(100_000);
            received.addAll(drain(b));
        }
        clock.advance(100 * MS);
        received.addAll(drain(b));
        assertThat(received).as("seed=" + SEED).hasSize(1_000).isNotEqualTo(received.stream().sorted().toList());
        assertThat(network.reorderedCount()).as("seed=" + SEED).isBetween(200L, 400L);
    }

    @Test
    void shouldRefuseOffersBeyondTheInboxCapacity()
    {
        final SimulatedNetwork network = new SimulatedNetwork(
            new SimulatedNetwork.Context().seed(SEED).nanoClock(clock).inboxCapacity(100));
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);

        for (long i = 0; i < 100; i++)
        {
            assertThat(send(a, 2, i)).isTrue();
        }
        assertThat(send(a, 2, 100)).isFalse();
        assertThat(send(a, 3, 100)).as("unknown node").isFalse();
        assertThat(network.refusedCount()).isEqualTo(2);
        clock.advance(10 * MS);
        assertThat(drain(b)).hasSize(100);
        assertThat(send(a, 2, 101)).isTrue();
    }

    @Test
    void shouldCarryGatheredBodiesWhole()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(1000));
        payload.setMemory(0, 1000, (byte)7);
        final byte[][] received = new byte[1][];

        a.offer(2, MessageTypes.PUT_CHUNK_REQUEST, 1, new UnsafeBuffer(new byte[]{ 1, 2 }), 0, 2, payload, 0, 1000);
        clock.advance(10 * MS);
        b.poll((src, type, cid, buffer, offset, length) ->
        {
            received[0] = new byte[length];
            buffer.getBytes(offset, received[0]);
        }, 1);

        assertThat(received[0]).hasSize(1002);
        assertThat(received[0][1]).isEqualTo((byte)2);
        assertThat(received[0][1001]).isEqualTo((byte)7);
    }

    @Test
    void shouldLoseMessagesToANodeThatLeaves()
    {
        final SimulatedNetwork network = network(SEED);
        final SimulatedTransport a = network.newTransport(1);
        final SimulatedTransport b = network.newTransport(2);
        send(a, 2, 1);

        b.close();
        final SimulatedTransport restarted = network.newTransport(2);
        clock.advance(10 * MS);

        assertThat(drain(restarted)).isEmpty();
        assertThat(send(a, 2, 2)).isTrue();
    }

    @Test
    void shouldDeliverTheSameMessagesInTheSameOrderAtTheSameTimesForOneSeed() throws Exception
    {
        final String first = runScenario(SEED, SEED);
        final String second = runScenario(SEED, SEED);
        final String otherNetworkSeed = runScenario(SEED + 1, SEED);

        assertThat(second).as("seed=" + SEED).isEqualTo(first);
        assertThat(otherNetworkSeed).as("seed=" + SEED).isNotEqualTo(first);
    }

    /**
     * Four nodes send random traffic for 2 simulated seconds through every fault, with a partition that forms and
     * heals and a node isolated for a while.
     *
     * @return a digest of the delivery log: time, receiver, sender, type, correlation id and body of each delivery.
     */
    private String runScenario(final long networkSeed, final long trafficSeed) throws Exception
    {
        final CachedNanoClock time = new CachedNanoClock();
        final SimulatedNetwork.Context context = new SimulatedNetwork.Context().seed(networkSeed).nanoClock(time)
            .inboxCapacity(64);
        context.defaultFaults().latency(MS / 10, 3 * MS).dropProbability(0.05).duplicateProbability(0.05)
            .reorder(0.1, 5 * MS);
        final SimulatedNetwork network = new SimulatedNetwork(context);
        final SimulatedTransport[] nodes = new SimulatedTransport[4];
        for (int i = 0; i < nodes.length; i++)
        {
            nodes[i] = network.newTransport(i + 1);
        }
        final SplittableRandom traffic = new SplittableRandom(trafficSeed);
        final MessageDigest log = MessageDigest.getInstance("SHA-256");
        final UnsafeBuffer entry = new UnsafeBuffer(new byte[32]);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
        final long[] count = new long[1];
        final MessageHandler recorder = (src, type, cid, buffer, offset, length) ->
        {
            entry.putLong(0, time.nanoTime());
            entry.putInt(8, src);
            entry.putInt(12, type);
            entry.putLong(16, cid);
            entry.putInt(24, length);
            log.update(entry.byteArray(), 0, 28);
            for (int i = 0; i < length; i++)
            {
                log.update(buffer.getByte(offset + i));
            }
            count[0]++;
        };
        long id = 0;
        for (int step = 0; step < 20_000; step++)
        {
            if (step == 5_000)
            {
                network.partition(1, 2);
                network.partitionOneWay(3, 4);
            }
            if (step == 8_000)
            {
                network.isolate(4);
            }
            if (step == 12_000)
            {
                network.healAll();
            }
            for (final SimulatedTransport node : nodes)
            {
                if (traffic.nextInt(4) == 0)
                {
                    final int to = 1 + traffic.nextInt(nodes.length);
                    final int length = traffic.nextInt(message.capacity());
                    message.putLong(0, ++id);
                    node.offer(to, 1 + traffic.nextInt(100), id, message, 0, length);
                }
            }
            time.advance(100_000);
            for (final SimulatedTransport node : nodes)
            {
                entry.putInt(0, node.localNodeId());
                log.update(entry.byteArray(), 0, 4);
                node.poll(recorder, 1 + traffic.nextInt(8));
            }
        }
        assertThat(count[0]).isGreaterThan(5_000);
        assertThat(network.droppedCount()).isPositive();
        assertThat(network.duplicatedCount()).isPositive();
        assertThat(network.partitionedCount()).isPositive();
        return count[0] + " " + HexFormat.of().formatHex(log.digest());
    }
}
