package io.rfs.replication.transport.shm;

import io.rfs.store.ConfigurationException;
import org.agrona.CloseHelper;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import static io.rfs.replication.transport.shm.InboxFileDescriptor.*;

/**
 * The nodes of one host, each possibly in its own process, with their inboxes in memory-mapped files in one
 * directory ({@link InboxFileDescriptor} gives the layout): a node maps its own inbox and, on its first offer to
 * a peer, the peer's. Any process that can write the directory can send as any node, so the directory must belong
 * to the cluster's user alone.
 * <pre>{@code
 * final MappedFileNetwork network = new MappedFileNetwork(new SharedMemoryContext().directory(dir));
 * final Transport transport = network.newTransport(3);   // creates dir/node-3.inbox
 * transport.offer(5, type, correlationId, body, 0, length); // false until node 5's inbox exists and has room
 * }</pre>
 * A peer whose file is missing, not yet open, or whose owner process is gone is unknown: offers to it are refused,
 * and the file is looked for again at most every {@link SharedMemoryContext#peerRetryIntervalNs()} on the
 * injected clock. A restarted node creates a fresh file and marks the old one closed, so its peers remap.
 * <p>
 * <b>Threads.</b> Not thread safe: one thread (the owning agent's) makes transports, offers, polls and closes.
 */
public final class MappedFileNetwork implements AutoCloseable
{
    private final SharedMemoryContext context;
    private final Path directory;
    private final NanoClock clock;
    private final Int2ObjectHashMap<Local> locals = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<Peer> peers = new Int2ObjectHashMap<>();

    /**
     * @param context concluded here if it has not been; its directory is required.
     * @throws ConfigurationException if the directory is not set or is not a directory.
     */
    public MappedFileNetwork(final SharedMemoryContext context)
    {
        this.context = context.conclude();
        if (context.directory() == null || !Files.isDirectory(context.directory()))
        {
            throw new ConfigurationException("directory", context.directory(), "must be an existing directory");
        }
        if (context.batchLength() != 0)
        {
            // A peer's file may be unmapped (the peer restarted) while a batch into it is still open.
            throw new ConfigurationException(
                "batchLength", context.batchLength(), "must be 0: batching is in process only");
        }
        this.directory = context.directory();
        this.clock = context.nanoClock();
    }

    /**
     * Creates this node's inbox file (replacing, and closing for its peers, any file a previous run left) and
     * returns its endpoint.
     *
     * @param nodeId the node, not already open on this network object.
     * @return its endpoint; closing it marks the file closed and deletes it.
     * @throws IOException if the file cannot be created or mapped.
     */
    public SharedMemoryTransport newTransport(final int nodeId) throws IOException
    {
        if (locals.containsKey(nodeId))
        {
            throw new IllegalArgumentException("nodeId=" + nodeId + " is already open on this network");
        }
        final Path path = directory.resolve(fileName(nodeId));
        closeStaleFile(path);

        final long pid = ProcessHandle.current().pid();
        final Path temporary = directory.resolve(fileName(nodeId) + "." + pid + ".tmp");
        Files.deleteIfExists(temporary);
        final int capacity = context.inboxCapacity();
        final MappedInbox inbox = MappedInbox.map(temporary, fileLength(capacity), capacity);
        final Object fileKey;
        try
        {
            inbox.header().putInt(MAGIC_OFFSET, MAGIC);
            inbox.header().putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
            inbox.header().putInt(NODE_ID_OFFSET, nodeId);
            inbox.header().putInt(RING_CAPACITY_OFFSET, capacity);
            inbox.header().putInt(MAX_FRAME_LENGTH_OFFSET, context.maxFrameLength());
            inbox.header().putLong(OWNER_PID_OFFSET, pid);
            inbox.header().putIntVolatile(STATE_OFFSET, STATE_OPEN);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException | RuntimeException ex)
        {
            inbox.close();
            Files.deleteIfExists(temporary);
            throw ex;
        }
        final Local local = new Local(path, fileKey, inbox);
        locals.put(nodeId, local);
        return new SharedMemoryTransport(nodeId, inbox.ring(), this::find, context, () -> closeLocal(nodeId, local));
    }

    private static void closeStaleFile(final Path path)
    {
        try
        {
            final long length = Files.size(path);
            if (length >= HEADER_LENGTH)
            {
                try (MappedInbox old = MappedInbox.map(path, length, 0))
                {
                    if (old.header().getInt(MAGIC_OFFSET) == MAGIC)
                    {
                        old.markClosed();
                    }
                }
            }
        }
        catch (final IOException ignore)
        {
            // No file, or not one we can read: nothing to close.
        }
    }

    private void closeLocal(final int nodeId, final Local local)
    {
        locals.remove(nodeId);
        local.inbox.markClosed();
        try
        {
            final Object key = Files.readAttributes(local.path, BasicFileAttributes.class).fileKey();
            if (key != null && key.equals(local.fileKey))
            {
                Files.deleteIfExists(local.path);
            }
        }
        catch (final IOException ignore)
        {
            // Already gone, or replaced by a newer run of the node: leave it.
        }
        local.inbox.close();
    }

    private RingBuffer find(final int nodeId)
    {
        final Local local = locals.get(nodeId);
        if (local != null)
        {
            return local.inbox.ring();
        }
        Peer peer = peers.get(nodeId);
        if (peer != null && peer.inbox != null)
        {
            if (peer.inbox.isOpen())
            {
                return peer.inbox.ring();
            }
            peer.inbox.close();
            peer.inbox = null;
            peer.nextAttemptNs = clock.nanoTime();
        }
        final long nowNs = clock.nanoTime();
        if (peer == null)
        {
            peer = new Peer();
            peers.put(nodeId, peer);
        }
        else if (nowNs - peer.nextAttemptNs < 0)
        {
            return null;
        }
        peer.nextAttemptNs = nowNs + context.peerRetryIntervalNs();
        peer.inbox = mapPeer(nodeId);
        return peer.inbox == null ? null : peer.inbox.ring();
    }

    private MappedInbox mapPeer(final int nodeId)
    {
        final Path path = directory.resolve(fileName(nodeId));
        try
        {
            final long length = Files.size(path);
            if (length < fileLength(0))
            {
                return null;
            }
            final MappedInbox header = MappedInbox.map(path, length, 0);
            final int capacity;
            final long ownerPid;
            try
            {
                if (checkHeader(header.header(), nodeId, length) != null)
                {
                    return null;
                }
                capacity = header.header().getInt(RING_CAPACITY_OFFSET);
                ownerPid = header.header().getLong(OWNER_PID_OFFSET);
            }
            finally
            {
                header.close();
            }
            if (ownerPid != ProcessHandle.current().pid() &&
                !ProcessHandle.of(ownerPid).map(ProcessHandle::isAlive).orElse(false))
            {
                return null;
            }
            final MappedInbox inbox = MappedInbox.map(path, length, capacity);
            if (!inbox.isOpen())
            {
                inbox.close();
                return null;
            }
            return inbox;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * Closes every transport made here and unmaps every peer.
     */
    @Override
    public void close()
    {
        final List<Local> open = new ArrayList<>(locals.values());
        for (final Local local : open)
        {
            closeLocal(local.nodeId(), local);
        }
        for (final Peer peer : peers.values())
        {
            CloseHelper.quietClose(peer.inbox);
        }
        peers.clear();
    }

    /**
     * @return the settings in force.
     */
    public SharedMemoryContext context()
    {
        return context;
    }

    private static final class Peer
    {
        private MappedInbox inbox;
        private long nextAttemptNs;
    }

    private static final class Local
    {
        private final Path path;
        private final Object fileKey;
        private final MappedInbox inbox;

        private Local(final Path path, final Object fileKey, final MappedInbox inbox)
        {
            this.path = path;
            this.fileKey = fileKey;
            this.inbox = inbox;
        }

        private int nodeId()
        {
            return inbox.header().getInt(NODE_ID_OFFSET);
        }
    }
}
