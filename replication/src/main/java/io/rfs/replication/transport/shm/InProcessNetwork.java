package io.rfs.replication.transport.shm;

import org.agrona.BufferUtil;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The nodes of one process and their inboxes: each node's inbox is a many-to-one ring buffer in direct memory that
 * the others write frames into. The embedded cluster's default transport and the tests'.
 * <pre>{@code
 * final InProcessNetwork network = new InProcessNetwork(new SharedMemoryContext().inboxCapacity(1 << 20));
 * final Transport a = network.newTransport(1);
 * final Transport b = network.newTransport(2);
 * a.offer(2, type, correlationId, body, 0, length);   // false if node 2's inbox is full or 2 is unknown
 * b.poll(handler, 16);
 * }</pre>
 * Thread safe: nodes join and leave from any thread; the lookup on every offer is a volatile read of an immutable
 * map, allocation-free.
 */
public final class InProcessNetwork
{
    private final SharedMemoryContext context;
    private volatile Int2ObjectHashMap<RingBuffer> inboxes = new Int2ObjectHashMap<>();

    /**
     * @param context concluded here if it has not been.
     */
    public InProcessNetwork(final SharedMemoryContext context)
    {
        this.context = context.conclude();
    }

    /**
     * Adds a node with a new, empty inbox.
     *
     * @param nodeId the node's id, not already on this network.
     * @return its endpoint; closing it removes the node.
     * @throws IllegalArgumentException if the id is taken.
     */
    public synchronized SharedMemoryTransport newTransport(final int nodeId)
    {
        if (inboxes.containsKey(nodeId))
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " is already on this network");
        }
        final int length = context.inboxCapacity() + RingBufferDescriptor.TRAILER_LENGTH;
        final RingBuffer inbox = new ManyToOneRingBuffer(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(length, 64)));
        final Int2ObjectHashMap<RingBuffer> next = new Int2ObjectHashMap<>(inboxes);
        next.put(nodeId, inbox);
        inboxes = next;
        return new SharedMemoryTransport(nodeId, inbox, this::find, context, () -> remove(nodeId, inbox));
    }

    private synchronized void remove(final int nodeId, final RingBuffer inbox)
    {
        if (inboxes.get(nodeId) == inbox)
        {
            final Int2ObjectHashMap<RingBuffer> next = new Int2ObjectHashMap<>(inboxes);
            next.remove(nodeId);
            inboxes = next;
        }
    }

    RingBuffer find(final int nodeId)
    {
        return inboxes.get(nodeId);
    }

    /**
     * @return the settings in force.
     */
    public SharedMemoryContext context()
    {
        return context;
    }
}
