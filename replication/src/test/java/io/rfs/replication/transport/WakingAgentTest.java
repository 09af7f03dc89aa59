package io.rfs.replication.transport;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class WakingAgentTest
{
    private final RingBuffer ring =
        new OneToOneRingBuffer(new UnsafeBuffer(ByteBuffer.allocateDirect(4096 + RingBufferDescriptor.TRAILER_LENGTH)));
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
    private final CountingWaiter consumer = new CountingWaiter();
    private int toQueue;
    private int busyWork;
    private final Agent producer = new Agent()
    {
        @Override
        public int doWork()
        {
            for (int i = 0; i < toQueue; i++)
            {
                ring.write(1, message, 0, message.capacity());
            }
            return toQueue + busyWork;
        }

        @Override
        public String roleName()
        {
            return "producer";
        }
    };
    private final WakingAgent agent = new WakingAgent(producer, ring, consumer);

    @Test
    void shouldWakeTheConsumerOnceForADutyCycleThatQueued() throws Exception
    {
        toQueue = 3;
        assertThat(agent.doWork()).isEqualTo(3);
        assertThat(consumer.wakes).isEqualTo(1);
    }

    @Test
    void shouldNotWakeTheConsumerWhenNothingWasQueued() throws Exception
    {
        busyWork = 5;
        assertThat(agent.doWork()).isEqualTo(5);
        toQueue = 1;
        agent.doWork();
        toQueue = 0;
        ring.read((type, buffer, index, length) -> { });
        agent.doWork();
        assertThat(consumer.wakes).isEqualTo(1);
    }
}
