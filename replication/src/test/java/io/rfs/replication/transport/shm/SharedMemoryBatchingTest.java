package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.replication.protocol.MessageTypes;
import io.rfs.store.ConfigurationException;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class SharedMemoryBatchingTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int BATCH_LENGTH = 1024;

    private final InProcessNetwork network = new InProcessNetwork(
        new SharedMemoryContext().inboxCapacity(1 << 20).batchLength(BATCH_LENGTH));
    private final SharedMemoryTransport a = network.newTransport(1);
    private final SharedMemoryTransport b = network.newTransport(2);
    private final SharedMemoryTransport c = network.newTransport(3);
    private final Received received = new Received();
    private final UnsafeBuffer body = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

    @AfterEach
    void tearDown()
    {
        a.close();
        b.close();
        c.close();
    }

    @Test
    void shouldDeliverBatchedMessagesInOrderOnceTheSenderDoesItsWork()
    {
        for (int i = 0; i < 3; i++)
        {
            body.putInt(0, i);
            assertThat(a.offer(2, MessageTypes.HEARTBEAT, 10 + i, body, 0, 4 + i)).isTrue();
        }
        assertThat(b.poll(received, 10)).as("open batch not yet visible").isZero();

        assertThat(a.doWork()).isEqualTo(1);
        assertThat(b.poll(received, 10)).isEqualTo(3);

        assertThat(received.messages).hasSize(3);
        for (int i = 0; i < 3; i++)
        {
            final Received.Message message = received.messages.get(i);
            assertThat(message.source()).isEqualTo(1);
            assertThat(message.type()).isEqualTo(MessageTypes.HEARTBEAT);
            assertThat(message.correlationId()).isEqualTo(10 + i);
            assertThat(message.body()).hasSize(4 + i);
            assertThat(new UnsafeBuffer(message.body()).getInt(0)).isEqualTo(i);
        }
        assertThat(a.doWork()).as("nothing left to commit").isZero();
        assertThat(b.rejectedFrames()).isZero();
    }

    @Test
    void shouldCommitAFullBatchAndPutALargeFrameAfterTheOpenBatch()
    {
        final int small = 64;
        final int perBatch = (BATCH_LENGTH - BatchRecordDescriptor.HEADER_LENGTH) /
            BatchRecordDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + small);
        for (int i = 0; i < perBatch + 1; i++)
        {
            assertThat(a.offer(2, MessageTypes.HEARTBEAT, i, body, 0, small)).isTrue();
        }
        assertThat(b.poll(received, 100)).as("the full batch was committed when the next frame did not fit")
            .isEqualTo(perBatch);

        assertThat(a.offer(2, MessageTypes.HEARTBEAT, perBatch + 1, body, 0, 2000)).isTrue();
        assertThat(b.poll(received, 100)).as("the open batch, then the large frame on its own").isEqualTo(2);

        assertThat(received.messages).hasSize(perBatch + 2);
        for (int i = 0; i < perBatch + 2; i++)
        {
            assertThat(received.messages.get(i).correlationId()).isEqualTo(i);
        }
        assertThat(received.messages.get(perBatch + 1).body()).hasSize(2000);
    }

    @Test
    void shouldKeepOrderPerDestinationWhenOffersAlternate()
    {
        final Received atC = new Received();
        for (int i = 0; i < 10; i++)
        {
            assertThat(a.offer(2 + (i & 1), MessageTypes.HEARTBEAT, i, body, 0, 8)).isTrue();
        }
        a.doWork();

        assertThat(b.poll(received, 100)).isEqualTo(5);
        assertThat(c.poll(atC, 100)).isEqualTo(5);
        assertThat(received.messages).extracting(Received.Message::correlationId).containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(atC.messages).extracting(Received.Message::correlationId).containsExactly(1L, 3L, 5L, 7L, 9L);
    }

    @Test
    void shouldCommitTheOpenBatchOnClose()
    {
        assertThat(a.offer(2, MessageTypes.HEARTBEAT, 1, body, 0, 8)).isTrue();
        a.close();

        assertThat(b.poll(received, 10)).isEqualTo(1);
    }

    @Test
    void shouldDropBatchRecordsThatDoNotAddUpAndFramesThatFailTheirChecks()
    {
        final RingBuffer inbox = network.find(2);
        final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(BATCH_LENGTH));

        final int used = writeBatch(record, 3);
        assertThat(inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, BATCH_LENGTH)).isTrue();
        assertThat(b.poll(received, 10)).isEqualTo(3);

        record.putInt(BatchRecordDescriptor.USED_LENGTH_OFFSET, BATCH_LENGTH);
        assertThat(inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, BATCH_LENGTH)).isTrue();
        record.putInt(BatchRecordDescriptor.USED_LENGTH_OFFSET, used);
        record.putInt(BatchRecordDescriptor.FRAME_COUNT_OFFSET, 4);
        assertThat(inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, BATCH_LENGTH)).isTrue();
        record.putInt(BatchRecordDescriptor.FRAME_COUNT_OFFSET, 3);
        assertThat(inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, 4)).isTrue();
        b.poll(received, 10);
        assertThat(received.messages).as("used length, frame count, record length").hasSize(3);
        assertThat(b.rejectedFrames()).isEqualTo(3);

        final int second = BatchRecordDescriptor.HEADER_LENGTH +
            BatchRecordDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + 16);
        record.putByte(second + FrameDescriptor.HEADER_LENGTH + 1, (byte)0x5A);
        assertThat(inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, BATCH_LENGTH)).isTrue();
        b.poll(received, 10);
        assertThat(received.messages).as("the frame before the bad one only").hasSize(4);
        assertThat(b.rejectedFrames()).isEqualTo(4);
    }

    @Test
    void shouldNeverDeliverMoreThanTheCountNorFailOnMutatedBatches()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final RingBuffer inbox = network.find(2);
        final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(BATCH_LENGTH));
        for (int i = 0; i < 2_000; i++)
        {
            final int frames = random.nextInt(6);
            writeBatch(record, frames);
            final int mutations = random.nextInt(4);
            for (int j = 0; j < mutations; j++)
            {
                record.putByte(random.nextInt(BATCH_LENGTH), (byte)random.nextInt());
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(BATCH_LENGTH) : BATCH_LENGTH;
            if (!inbox.write(BatchRecordDescriptor.BATCH_RECORD_TYPE_ID, record, 0, length))
            {
                fail("inbox full");
            }
            final int before = received.messages.size();
            while (inbox.consumerPosition() != inbox.producerPosition())
            {
                b.poll(received, 10);
            }
            assertThat(received.messages.size() - before).as("seed=" + SEED).isLessThanOrEqualTo(frames);
            record.setMemory(0, BATCH_LENGTH, (byte)0);
        }
    }

    @Test
    @Timeout(value = 60)
    void shouldDeliverEveryMessageOfAProducerThreadInOrder() throws Exception
    {
        final int count = 200_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread producer = new Thread(() ->
        {
            try
            {
                final UnsafeBuffer message = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
                int sent = 0;
                while (sent < count)
                {
                    message.putInt(0, sent);
                    if (a.offer(2, MessageTypes.HEARTBEAT, sent, message, 0, 64))
                    {
                        sent++;
                    }
                    else
                    {
                        Thread.yield();
                    }
                    if ((sent & 63) == 0)
                    {
                        a.doWork();
                    }
                }
                a.doWork();
            }
            catch (final Throwable ex)
            {
                failure.set(ex);
            }
        }, "producer");
        producer.start();

        final long[] next = new long[1];
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (next[0] < count && failure.get() == null && System.nanoTime() - deadline < 0)
        {
            if (b.poll((src, type, correlationId, buffer, offset, length) ->
            {
                if (correlationId != next[0] || buffer.getInt(offset) != next[0])
                {
                    fail("expected " + next[0] + " got " + correlationId);
                }
                next[0]++;
            }, 256) == 0)
            {
                Thread.yield();
            }
        }
        producer.join();
        assertThat(failure.get()).isNull();
        assertThat(next[0]).isEqualTo(count);
        assertThat(b.rejectedFrames()).isZero();
    }

    @Test
    void shouldRefuseABadBatchLength(@TempDir final Path directory)
    {
        assertThatThrownBy(() -> new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1 << 16).batchLength(100)))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("batchLength=100");
        assertThatThrownBy(() -> new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1 << 16).batchLength(
            1 << 16))).isInstanceOf(ConfigurationException.class).hasMessageStartingWith("batchLength=65536");
        assertThatThrownBy(() -> new MappedFileNetwork(new SharedMemoryContext().inboxCapacity(1 << 16)
            .directory(directory).batchLength(BATCH_LENGTH)))
            .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("batchLength=1024");
    }

    /**
     * Writes a valid batch of {@code frames} frames with bodies of 16, 17, ... bytes from node 1.
     *
     * @return the used length.
     */
    private static int writeBatch(final UnsafeBuffer record, final int frames)
    {
        int frame = BatchRecordDescriptor.HEADER_LENGTH;
        for (int i = 0; i < frames; i++)
        {
            final int bodyLength = 16 + i;
            FrameDescriptor.writeHeader(record, frame, MessageTypes.HEARTBEAT, bodyLength, 1, i);
            for (int j = 0; j < bodyLength; j++)
            {
                record.putByte(frame + FrameDescriptor.HEADER_LENGTH + j, (byte)j);
            }
            FrameDescriptor.writeChecksum(record, frame);
            frame += BatchRecordDescriptor.alignedLength(FrameDescriptor.HEADER_LENGTH + bodyLength);
        }
        final int used = frame - BatchRecordDescriptor.HEADER_LENGTH;
        record.putInt(BatchRecordDescriptor.USED_LENGTH_OFFSET, used);
        record.putInt(BatchRecordDescriptor.FRAME_COUNT_OFFSET, frames);
        return used;
    }
}
