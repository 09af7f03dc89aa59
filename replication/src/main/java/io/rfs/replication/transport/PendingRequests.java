package io.rfs.replication.transport;

import io.rfs.store.ConfigurationException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Correlation ids and timeouts of the requests a node has in flight, bounded and allocation-free in steady state.
 * <pre>{@code
 * final long id = pending.register(peer, listener, timeoutNs);    // REFUSED when full: back-pressure
 * if (id != PendingRequests.REFUSED && !transport.offer(peer, type, id, body, 0, length))
 * {
 *     pending.cancel(id);                                           // not sent: no callback
 * }
 * ...
 * transport.poll((src, type, cid, buffer, offset, length) ->
 *     pending.onResponse(cid, src, type, buffer, offset, length), limit);
 * pending.expire(clock.nanoTime());                                // in the agent's duty cycle
 * }</pre>
 * Every registered request ends in exactly one callback on its {@link ResponseListener}: {@code onResponse} if a
 * response from the node it was sent to arrives before its deadline, else {@code onTimeout} from {@link #expire};
 * never both, never twice. {@link #cancel} ends one with no callback. A response with an unknown, expired or
 * cancelled correlation id, or from another node, is dropped and counted.
 * <p>
 * <b>Design.</b> Slots are preallocated ({@link Context#capacity()} of them). A correlation id is a sequence number
 * shifted left past the slot index, or'ed with it, so a response finds its slot without a map and a stale id (its
 * slot since reused) is recognised. Deadlines sit in an indexed binary min-heap of slot indices, so expiry is
 * {@code O(log n)} per request and a response removes its deadline in {@code O(log n)}. Deadlines come from the
 * injected {@link NanoClock}; tests step a {@code CachedNanoClock}.
 * <p>
 * <b>Threads.</b> Single writer: only the owning agent's thread calls any method. Listeners may register new
 * requests from within their callbacks (a retry); the slot of the ended request is free by then.
 */
public final class PendingRequests
{
    /** Returned by {@link #register} when every slot is taken. Correlation ids are always positive. */
    public static final long REFUSED = -1;

    private final NanoClock clock;
    private final int slotBits;
    private final int slotMask;
    private final long[] correlationIds;
    private final int[] destinations;
    private final long[] deadlines;
    private final ResponseListener[] listeners;
    private final int[] heap;
    private final int[] heapIndex;
    private final int[] freeSlots;
    private int freeCount;
    private int size;
    private long sequence;
    private long timeouts;
    private long unmatchedResponses;
    private long refusals;

    /**
     * @param context concluded here if it has not been.
     */
    public PendingRequests(final Context context)
    {
        context.conclude();
        this.clock = context.nanoClock();
        final int capacity = context.capacity();
        this.slotBits = 32 - Integer.numberOfLeadingZeros(capacity - 1);
        this.slotMask = (1 << slotBits) - 1;
        this.correlationIds = new long[capacity];
        this.destinations = new int[capacity];
        this.deadlines = new long[capacity];
        this.listeners = new ResponseListener[capacity];
        this.heap = new int[capacity];
        this.heapIndex = new int[capacity];
        this.freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeSlots[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * Registers a request about to be sent.
     *
     * @param destinationNodeId the node it goes to; only that node's response completes it.
     * @param listener          told how it ends.
     * @param timeoutNs         how long to wait for the response, from now on the injected clock; positive.
     * @return its correlation id (positive), or {@link #REFUSED} if {@link Context#capacity()} requests are in
     * flight already.
     */
    public long register(final int destinationNodeId, final ResponseListener listener, final long timeoutNs)
    {
        if (timeoutNs <= 0)
        {
            throw new IllegalArgumentException("timeoutNs=" + timeoutNs + " must be positive");
        }
        if (freeCount == 0)
        {
            refusals++;
            return REFUSED;
        }
        final int slot = freeSlots[--freeCount];
        final long correlationId = (++sequence << slotBits) | slot;
        correlationIds[slot] = correlationId;
        destinations[slot] = destinationNodeId;
        deadlines[slot] = clock.nanoTime() + timeoutNs;
        listeners[slot] = listener;
        heapAdd(slot);
        return correlationId;
    }

    /**
     * Hands a response to the request it answers.
     *
     * @param correlationId from the response's frame.
     * @param sourceNodeId  the node it came from.
     * @param messageType   its type id.
     * @param buffer        holds the body.
     * @param offset        where the body starts.
     * @param length        body length.
     * @return true if it completed a pending request; false if it was dropped (unknown, ended, or from a node the
     * request was not sent to).
     */
    public boolean onResponse(
        final long correlationId,
        final int sourceNodeId,
        final int messageType,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int slot = slotOf(correlationId, sourceNodeId);
        if (slot < 0)
        {
            unmatchedResponses++;
            return false;
        }
        final ResponseListener listener = release(slot);
        listener.onResponse(correlationId, sourceNodeId, messageType, buffer, offset, length);
        return true;
    }

    /**
     * Ends a request without a callback, e.g. one whose offer was refused.
     *
     * @param correlationId its id.
     * @return true if it was pending.
     */
    public boolean cancel(final long correlationId)
    {
        final int slot = correlationId > 0 ? (int)(correlationId & slotMask) : -1;
        if (slot < 0 || slot >= correlationIds.length || correlationIds[slot] != correlationId)
        {
            return false;
        }
        release(slot);
        return true;
    }

    /**
     * Times out every request whose deadline is at or before {@code nowNs}, earliest first.
     *
     * @param nowNs the injected clock's time.
     * @return requests timed out.
     */
    public int expire(final long nowNs)
    {
        int expired = 0;
        while (size > 0 && deadlines[heap[0]] - nowNs <= 0)
        {
            final int slot = heap[0];
            final long correlationId = correlationIds[slot];
            final ResponseListener listener = release(slot);
            timeouts++;
            expired++;
            listener.onTimeout(correlationId);
        }
        return expired;
    }

    /**
     * @return the earliest deadline pending, or {@link Long#MAX_VALUE} if none (a simulator's next event).
     */
    public long nextDeadlineNs()
    {
        return size > 0 ? deadlines[heap[0]] : Long.MAX_VALUE;
    }

    /**
     * @param correlationId a correlation id.
     * @return true if it is pending.
     */
    public boolean isPending(final long correlationId)
    {
        final int slot = correlationId > 0 ? (int)(correlationId & slotMask) : -1;
        return slot >= 0 && slot < correlationIds.length && correlationIds[slot] == correlationId;
    }

    /**
     * @return requests in flight.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return most requests in flight.
     */
    public int capacity()
    {
        return correlationIds.length;
    }

    /**
     * @return requests ended by {@link #expire} so far.
     */
    public long timeouts()
    {
        return timeouts;
    }

    /**
     * @return responses dropped so far: late, duplicated, unknown or from the wrong node.
     */
    public long unmatchedResponses()
    {
        return unmatchedResponses;
    }

    /**
     * @return registrations refused so far because every slot was taken.
     */
    public long refusals()
    {
        return refusals;
    }

    private int slotOf(final long correlationId, final int sourceNodeId)
    {
        if (correlationId <= 0)
        {
            return -1;
        }
        final int slot = (int)(correlationId & slotMask);
        if (slot >= correlationIds.length || correlationIds[slot] != correlationId ||
            destinations[slot] != sourceNodeId)
        {
            return -1;
        }
        return slot;
    }

    private ResponseListener release(final int slot)
    {
        final ResponseListener listener = listeners[slot];
        heapRemove(heapIndex[slot]);
        listeners[slot] = null;
        correlationIds[slot] = 0;
        freeSlots[freeCount++] = slot;
        return listener;
    }

    private void heapAdd(final int slot)
    {
        final int index = size++;
        heap[index] = slot;
        heapIndex[slot] = index;
        siftUp(index);
    }

    private void heapRemove(final int index)
    {
        final int last = --size;
        if (index != last)
        {
            final int moved = heap[last];
            heap[index] = moved;
            heapIndex[moved] = index;
            siftDown(index);
            siftUp(heapIndex[moved]);
        }
    }

    private void siftUp(final int start)
    {
        int index = start;
        final int slot = heap[index];
        final long deadline = deadlines[slot];
        while (index > 0)
        {
            final int parent = (index - 1) >>> 1;
            final int parentSlot = heap[parent];
            if (deadlines[parentSlot] - deadline <= 0)
            {
                break;
            }
            heap[index] = parentSlot;
            heapIndex[parentSlot] = index;
            index = parent;
        }
        heap[index] = slot;
        heapIndex[slot] = index;
    }

    private void siftDown(final int start)
    {
        int index = start;
        final int slot = heap[index];
        final long deadline = deadlines[slot];
        while (true)
        {
            int child = 2 * index + 1;
            if (child >= size)
            {
                break;
            }
            if (child + 1 < size && deadlines[heap[child + 1]] - deadlines[heap[child]] < 0)
            {
                child++;
            }
            final int childSlot = heap[child];
            if (deadline - deadlines[childSlot] <= 0)
            {
                break;
            }
            heap[index] = childSlot;
            heapIndex[childSlot] = index;
            index = child;
        }
        heap[index] = slot;
        heapIndex[slot] = index;
    }

    /**
     * Configuration of {@link PendingRequests}.
     */
    public static final class Context
    {
        /** Default most requests in flight per node. */
        public static final int CAPACITY_DEFAULT = 4096;
        /** Largest capacity: correlation ids keep 2^43 sequence numbers per slot even then. */
        public static final int MAX_CAPACITY = 1 << 20;

        private int capacity = CAPACITY_DEFAULT;
        private NanoClock nanoClock;

        /**
         * Checks the settings and fills in defaults.
         *
         * @return this.
         * @throws ConfigurationException naming the first setting that is wrong.
         */
        public Context conclude()
        {
            if (capacity < 1 || capacity > MAX_CAPACITY)
            {
                throw new ConfigurationException("capacity", capacity, "must be 1.." + MAX_CAPACITY);
            }
            if (nanoClock == null)
            {
                nanoClock = SystemNanoClock.INSTANCE;
            }
            return this;
        }

        public int capacity()
        {
            return capacity;
        }

        /**
         * @param capacity most requests in flight; registering more is refused, not queued. Default
         *                 {@link #CAPACITY_DEFAULT}.
         * @return this.
         */
        public Context capacity(final int capacity)
        {
            this.capacity = capacity;
            return this;
        }

        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * @param nanoClock source of time for deadlines; default the system's monotonic clock. Tests and the
         *                  simulator pass a {@code CachedNanoClock} they step by hand.
         * @return this.
         */
        public Context nanoClock(final NanoClock nanoClock)
        {
            this.nanoClock = nanoClock;
            return this;
        }
    }
}
