package io.rfs.replication.transport.shm;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A node in a child JVM for {@link MappedFileNetworkTest}: opens its inbox in the directory, answers every message
 * with the same type and correlation id and its body with every byte inverted, and exits 0 after {@code count}
 * answers (3 if the deadline passes first).
 * <p>
 * Arguments: directory, node id, peer node id, count, timeout in seconds.
 */
public final class MappedFileEchoNode
{
    private MappedFileEchoNode()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args[0]);
        final int nodeId = Integer.parseInt(args[1]);
        final int peerId = Integer.parseInt(args[2]);
        final int count = Integer.parseInt(args[3]);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        final UnsafeBuffer reply = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
        final int[] answered = new int[1];

        try (MappedFileNetwork network = new MappedFileNetwork(new SharedMemoryContext().directory(directory)
            .inboxCapacity(MappedFileNetworkTest.INBOX_CAPACITY).peerRetryIntervalNs(TimeUnit.MILLISECONDS.toNanos(1))))
        {
            final SharedMemoryTransport transport = network.newTransport(nodeId);
            System.out.println("ready " + ProcessHandle.current().pid());
            while (answered[0] < count)
            {
                transport.poll((src, type, correlationId, buffer, offset, length) ->
                {
                    for (int i = 0; i < length; i++)
                    {
                        reply.putByte(i, (byte)~buffer.getByte(offset + i));
                    }
                    while (!transport.offer(peerId, type, correlationId, reply, 0, length))
                    {
                        exitIfLate(deadlineNs);
                        Thread.onSpinWait();
                    }
                    answered[0]++;
                }, 64);
                transport.doWork();
                exitIfLate(deadlineNs);
            }
        }
        System.out.println("answered " + answered[0]);
        System.exit(0);
    }

    private static void exitIfLate(final long deadlineNs)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            System.err.println("deadline passed");
            System.exit(3);
        }
    }
}
