package io.rfs.replication.transport.shm;

import io.rfs.replication.protocol.FrameDescriptor;
import io.rfs.store.ConfigurationException;
import org.agrona.BitUtil;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Configuration of the shared-memory transports, {@link InProcessNetwork} and {@link MappedFileNetwork}. Every
 * setting has a documented default; {@link #conclude()} checks the values and fills in the defaults.
 */
public final class SharedMemoryContext
{
    /**
     * Default bytes of ring buffer per node inbox: 64 MiB, because Agrona's ring buffers take records of at most an
     * eighth of their capacity and a frame may be {@link FrameDescriptor#MAX_FRAME_LENGTH_DEFAULT} (8 MiB). Memory
     * is only touched as it is written in a mapped file, but an in-process inbox is allocated whole.
     */
    public static final int INBOX_CAPACITY_DEFAULT = 64 * 1024 * 1024;
    /** Default time the consumer waits on a claimed record that is never committed before it skips it. */
    public static final long UNBLOCK_TIMEOUT_NS_DEFAULT = TimeUnit.SECONDS.toNanos(5);
    /** Batching is off by default: every offer is visible to the receiver at once, from any thread. */
    public static final int BATCH_LENGTH_DEFAULT = 0;
    /** Default wait before looking again for the inbox file of a node that was not there. */
    public static final long PEER_RETRY_INTERVAL_NS_DEFAULT = TimeUnit.MILLISECONDS.toNanos(100);

    private int inboxCapacity = INBOX_CAPACITY_DEFAULT;
    private int maxFrameLength;
    private long unblockTimeoutNs = UNBLOCK_TIMEOUT_NS_DEFAULT;
    private long peerRetryIntervalNs = PEER_RETRY_INTERVAL_NS_DEFAULT;
    private int batchLength = BATCH_LENGTH_DEFAULT;
    private NanoClock nanoClock;
    private Path directory;

    /**
     * Checks every setting and fills in defaults.
     *
     * @return this.
     * @throws ConfigurationException naming the first setting that is wrong.
     */
    public SharedMemoryContext conclude()
    {
        if (!BitUtil.isPowerOfTwo(inboxCapacity) || inboxCapacity < ManyToOneRingBuffer.MIN_CAPACITY * 64)
        {
            throw new ConfigurationException("inboxCapacity", inboxCapacity, "must be a power of two, at least " +
                ManyToOneRingBuffer.MIN_CAPACITY * 64);
        }
        final int largest = Math.min(FrameDescriptor.MAX_FRAME_LENGTH_DEFAULT, inboxCapacity / 8 - 8);
        if (maxFrameLength == 0)
        {
            maxFrameLength = largest;
        }
        if (maxFrameLength <= FrameDescriptor.HEADER_LENGTH || maxFrameLength > inboxCapacity / 8 - 8)
        {
            throw new ConfigurationException("maxFrameLength", maxFrameLength, "must be more than " +
                FrameDescriptor.HEADER_LENGTH + " and at most inboxCapacity / 8 - 8 = " + (inboxCapacity / 8 - 8));
        }
        if (unblockTimeoutNs <= 0)
        {
            throw new ConfigurationException("unblockTimeoutNs", unblockTimeoutNs, "must be positive");
        }
        if (peerRetryIntervalNs < 0)
        {
            throw new ConfigurationException("peerRetryIntervalNs", peerRetryIntervalNs, "must not be negative");
        }
        if (batchLength != 0 && (batchLength < BatchRecordDescriptor.MIN_BATCH_LENGTH ||
            batchLength > inboxCapacity / 8 - 8 || batchLength % BatchRecordDescriptor.FRAME_ALIGNMENT != 0))
        {
            throw new ConfigurationException("batchLength", batchLength, "must be 0 (off) or a multiple of 8 from " +
                BatchRecordDescriptor.MIN_BATCH_LENGTH + " to inboxCapacity / 8 - 8 = " + (inboxCapacity / 8 - 8));
        }
        if (nanoClock == null)
        {
            nanoClock = SystemNanoClock.INSTANCE;
        }
        return this;
    }

    /**
     * @param batchLength bytes of the ring-buffer record an offer opens to batch small frames into
     *                    ({@link BatchRecordDescriptor}), or 0 for one record per frame; default
     *                    {@link #BATCH_LENGTH_DEFAULT} (off). With batching, an offer is visible to the receiver once
     *                    the batch is full or at the sender's next {@link SharedMemoryTransport#doWork}, so the
     *                    owning agent must call {@code doWork} in every duty cycle, and offers must come from that
     *                    one thread. A frame too large for a batch travels alone, after the open batch.
     * @return this.
     */
    public SharedMemoryContext batchLength(final int batchLength)
    {
        this.batchLength = batchLength;
        return this;
    }

    public int batchLength()
    {
        return batchLength;
    }

    public int inboxCapacity()
    {
        return inboxCapacity;
    }

    /**
     * @param inboxCapacity bytes of ring buffer per node inbox, a power of two; default
     *                      {@link #INBOX_CAPACITY_DEFAULT}.
     * @return this.
     */
    public SharedMemoryContext inboxCapacity(final int inboxCapacity)
    {
        this.inboxCapacity = inboxCapacity;
        return this;
    }

    public int maxFrameLength()
    {
        return maxFrameLength;
    }

    /**
     * @param maxFrameLength largest frame, header included; default the smaller of
     *                       {@link FrameDescriptor#MAX_FRAME_LENGTH_DEFAULT} and what the inbox takes.
     * @return this.
     */
    public SharedMemoryContext maxFrameLength(final int maxFrameLength)
    {
        this.maxFrameLength = maxFrameLength;
        return this;
    }

    public long unblockTimeoutNs()
    {
        return unblockTimeoutNs;
    }

    /**
     * @param unblockTimeoutNs how long a record claimed by a producer may stay uncommitted (the producer died in
     *                         the act) before the consumer skips it; default {@link #UNBLOCK_TIMEOUT_NS_DEFAULT}. It
     *                         must be far longer than any pause of a live producer, or a slow record is lost.
     * @return this.
     */
    public SharedMemoryContext unblockTimeoutNs(final long unblockTimeoutNs)
    {
        this.unblockTimeoutNs = unblockTimeoutNs;
        return this;
    }

    public long peerRetryIntervalNs()
    {
        return peerRetryIntervalNs;
    }

    /**
     * @param peerRetryIntervalNs wait before looking again for a node's inbox file that was missing or closed;
     *                            default {@link #PEER_RETRY_INTERVAL_NS_DEFAULT}. Mapped files only.
     * @return this.
     */
    public SharedMemoryContext peerRetryIntervalNs(final long peerRetryIntervalNs)
    {
        this.peerRetryIntervalNs = peerRetryIntervalNs;
        return this;
    }

    public NanoClock nanoClock()
    {
        return nanoClock;
    }

    /**
     * @param nanoClock source of time for the unblock and retry timers; default the system's monotonic clock.
     * @return this.
     */
    public SharedMemoryContext nanoClock(final NanoClock nanoClock)
    {
        this.nanoClock = nanoClock;
        return this;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @param directory where the inbox files of the nodes of one host live; required by {@link MappedFileNetwork},
     *                  unused in process. Only the cluster's own user should be able to write there.
     * @return this.
     */
    public SharedMemoryContext directory(final Path directory)
    {
        this.directory = directory;
        return this;
    }
}
