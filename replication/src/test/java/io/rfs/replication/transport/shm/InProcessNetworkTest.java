package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.store.ConfigurationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class InProcessNetworkTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int INBOX_CAPACITY = 64 * 1024;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(INBOX_CAPACITY).nanoClock(clock));
    private final SharedMemoryTransport a = network.newTransport(1);
    private final SharedMemoryTransport b = network.newTransport(2);
    private final Received received = new Received();

    @AfterEach
    void tearDown()
    {
        a.close();
        b.close();
    }

    private static UnsafeBuffer bytes(final int... values)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[values.length]);
        for (int i = 0; i < values.length; i++)
        {
            buffer.putByte(i, (byte)values[i]);
        }
        return buffer;
    }

    @Test
    void shouldDeliverMessagesInOrderWithTheirHeaderFields()
    {
        assertThat(a.offer(2, MessageTypes.HEARTBEAT, 0, bytes(1, 2, 3), 0, 3)).isTrue();
        assertThat(a.offer(2, MessageTypes.GET_CHUNK_REQUEST, 77L, bytes(9, 8, 7, 6), 1, 2)).isTrue();
        assertThat(a.offer(2, MessageTypes.VOTE, Long.MAX_VALUE, bytes(), 0, 0)).isTrue();

        assertThat(b.poll(received, 10)).isEqualTo(3);

        assertThat(received.messages).hasSize(3);
        final Received.Message first = received.messages.get(0);
        assertThat(first.source()).isEqualTo(1);
        assertThat(first.type()).isEqualTo(MessageTypes.HEARTBEAT);
        assertThat(first.correlationId()).isZero();
        assertThat(first.body()).containsExactly(1, 2, 3);
        assertThat(received.messages.get(1).correlationId()).isEqualTo(77L);
        assertThat(received.messages.get(1).body()).containsExactly(8, 7);
        assertThat(received.messages.get(2).body()).isEmpty();
        assertThat(a.poll(received, 10)).isZero();
    }

    @Test
    void shouldGatherFieldsAndPayloadIntoOneBody()
    {
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(1000));
        for (int i = 0; i < 1000; i++)
        {
            payload.putByte(i, (byte)i);
        }

        assertThat(a.offer(2, MessageTypes.PUT_CHUNK_REQUEST, 5, bytes(0xA, 0xB), 0, 2, payload, 10, 990)).isTrue();
        b.poll(received, 1);

        final byte[] body = received.messages.get(0).body();
        assertThat(body).hasSize(992);
        assertThat(body[0]).isEqualTo((byte)0xA);
        assertThat(body[1]).isEqualTo((byte)0xB);
        assertThat(body[2]).isEqualTo((byte)10);
        assertThat(body[991]).isEqualTo((byte)999);
    }

    @Test
    void shouldRefuseAnOfferToAnUnknownOrClosedNode()
    {
        assertThat(a.offer(3, MessageTypes.HEARTBEAT, 0, bytes(1), 0, 1)).isFalse();

        b.close();

        assertThat(a.offer(2, MessageTypes.HEARTBEAT, 0, bytes(1), 0, 1)).isFalse();
        assertThat(a.refusedOffers()).isEqualTo(2);
        assertThatThrownBy(() -> network.newTransport(1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseOffersWhileTheInboxIsFullAndAcceptOnceDrained()
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[1000]);
        int accepted = 0;
        while (a.offer(2, MessageTypes.HEARTBEAT, accepted, body, 0, body.capacity()))
        {
            accepted++;
            assertThat(accepted).as("an inbox of %d bytes must fill", INBOX_CAPACITY).isLessThan(INBOX_CAPACITY);
        }
        final long refusedBefore = a.refusedOffers();
        for (int i = 0; i < 100_000; i++)
        {
            assertThat(a.offer(2, MessageTypes.HEARTBEAT, i, body, 0, body.capacity())).isFalse();
        }

        assertThat(accepted).isBetween(INBOX_CAPACITY / 1100, INBOX_CAPACITY / 1000);
        assertThat(a.refusedOffers() - refusedBefore).isEqualTo(100_000);
        assertThat(b.poll(received, Integer.MAX_VALUE)).isEqualTo(accepted);
        assertThat(a.offer(2, MessageTypes.HEARTBEAT, 0, body, 0, body.capacity())).isTrue();
    }

    @Test
    void shouldRefuseABodyLongerThanTheMaximum()
    {
        final int max = a.maxMessageLength();
        assertThat(max).isEqualTo(INBOX_CAPACITY / 8 - 8 - FrameDescriptor.HEADER_LENGTH);

        assertThatThrownBy(() -> a.offer(2, 1, 0, new UnsafeBuffer(new byte[max + 1]), 0, max + 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.offer(2, 1, 0, new UnsafeBuffer(new byte[max]), 0, max)).isTrue();
    }

    @Test
    void shouldDropAndCountRecordsThatAreNotValidFrames()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final RingBuffer inbox = network.find(2);
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        int valid = 0;
        int written = 0;
        for (int i = 0; i < 2_000; i++)
        {
            final int bodyLength = random.nextInt(200);
            FrameDescriptor.writeHeader(frame, 0, 1 + random.nextInt(100), bodyLength, 1, i);
            FrameDescriptor.writeChecksum(frame, 0);
            final int length;
            final int mutation = random.nextInt(5);
            switch (mutation)
            {
                case 0:
                    length = FrameDescriptor.HEADER_LENGTH + bodyLength;
                    valid++;
                    break;
                case 1:
                    frame.putByte(random.nextInt(FrameDescriptor.HEADER_LENGTH + bodyLength), (byte)random.nextInt());
                    length = FrameDescriptor.HEADER_LENGTH + bodyLength;
                    if (FrameDescriptor.checkHeader(frame, 0, Integer.MAX_VALUE) == null &&
                        FrameDescriptor.frameLength(frame, 0) == length && FrameDescriptor.isChecksumValid(frame, 0))
                    {
                        valid++;
                    }
                    break;
                case 2:
                    length = random.nextInt(FrameDescriptor.HEADER_LENGTH + bodyLength);
                    break;
                case 3:
                    frame.putInt(FrameDescriptor.LENGTH_OFFSET, random.nextInt());
                    length = FrameDescriptor.HEADER_LENGTH + bodyLength;
                    break;
                default:
                    for (int j = 0; j < 64; j++)
                    {
                        frame.putByte(j, (byte)random.nextInt());
                    }
                    length = random.nextInt(256);
                    break;
            }
            if (!inbox.write(SharedMemoryTransport.FRAME_RECORD_TYPE_ID, frame, 0, length))
            {
                fail("inbox full");
            }
            written++;
            if (random.nextInt(10) == 0)
            {
                b.poll(received, Integer.MAX_VALUE);
            }
        }
        // One ring read stops at the end of the buffer, so draining a wrapped inbox takes more than one poll.
        while (inbox.consumerPosition() != inbox.producerPosition())
        {
            b.poll(received, Integer.MAX_VALUE);
        }

        assertThat(received.messages).as("seed=" + SEED).hasSize(valid);
        assertThat(b.rejectedFrames()).as("seed=" + SEED).isEqualTo(written - valid);
    }

    @Test
    void shouldSkipARecordWhoseProducerDiedMidClaimAfterTheTimeout()
    {
        final RingBuffer inbox = network.find(2);
        final int abandoned = inbox.tryClaim(SharedMemoryTransport.FRAME_RECORD_TYPE_ID, 64);
        assertThat(abandoned).isNotNegative();
        assertThat(a.offer(2, MessageTypes.HEARTBEAT, 9, bytes(4, 2), 0, 2)).isTrue();

        assertThat(b.poll(received, 10)).isZero();
        clock.advance(SharedMemoryContext.UNBLOCK_TIMEOUT_NS_DEFAULT - 1);
        assertThat(b.doWork()).isZero();
        assertThat(b.poll(received, 10)).isZero();
        clock.advance(1);
        assertThat(b.doWork()).isEqualTo(1);
        b.poll(received, 10);

        assertThat(received.messages).hasSize(1);
        assertThat(received.messages.get(0).correlationId()).isEqualTo(9);
        assertThat(b.unblocks()).isEqualTo(1);
    }

    @Test
    void shouldDeliverEveryMessageOfConcurrentProducersInTheirOrder() throws Exception
    {
        final int perProducer = 50_000;
        final SharedMemoryTransport c = network.newTransport(3);
        final Thread[] producers = new Thread[2];
        for (int p = 0; p < producers.length; p++)
        {
            final SharedMemoryTransport from = p == 0 ? a : c;
            producers[p] = new Thread(() ->
            {
                final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
                for (int i = 0; i < perProducer; i++)
                {
                    body.putInt(0, i);
                    while (!from.offer(2, MessageTypes.HEARTBEAT, i, body, 0, 64))
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            producers[p].start();
        }
        final long[] next = new long[4];
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int total = 0;
        while (total < 2 * perProducer)
        {
            total += b.poll((src, type, cid, buffer, offset, length) ->
            {
                assertThat(cid).isEqualTo(next[src]);
                assertThat(buffer.getInt(offset)).isEqualTo((int)cid);
                next[src]++;
            }, 256);
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("only " + total + " messages arrived before the deadline");
            }
        }
        for (final Thread producer : producers)
        {
            producer.join();
        }
        c.close();

        assertThat(next[1]).isEqualTo(perProducer);
        assertThat(next[3]).isEqualTo(perProducer);
        assertThat(b.rejectedFrames()).isZero();
    }

    @Test
    void shouldRefuseABadContext()
    {
        assertThatThrownBy(() -> new InProcessNetwork(new SharedMemoryContext().inboxCapacity(100_000)))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("inboxCapacity=100000");
        assertThatThrownBy(() -> new InProcessNetwork(
            new SharedMemoryContext().inboxCapacity(1 << 16).maxFrameLength(1 << 16)))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("maxFrameLength=65536");
    }
}
