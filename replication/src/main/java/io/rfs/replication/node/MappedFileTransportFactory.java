package io.rfs.replication.node;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.replication.transport.shm.MappedFileNetwork;
import io.rfs.replication.transport.shm.SharedMemoryContext;
import io.rfs.replication.transport.shm.SharedMemoryTransport;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The {@code transport=shm} factory: a {@link MappedFileNetwork} in {@code transport.shm.directory} (created, owner
 * only, if absent) and this node's inbox in it. Closing the endpoint closes the inbox (peers see it closed) and the
 * network's mappings of its peers' inboxes.
 */
public final class MappedFileTransportFactory implements TransportFactory
{
    @Override
    public Transport newTransport(final NodeContext context) throws IOException
    {
        return newEndpoint(context.shmDirectory(), context.shmInboxCapacity(), context.nanoClock(), context.nodeId());
    }

    /**
     * Opens an endpoint on a host's shared-memory network: the node's or client's own inbox in {@code directory}
     * (created, owner only, if absent), and the network object that maps its peers' inboxes, closed with it. Also
     * used by the cluster client ({@code ClientProperties}, {@code transport=shm}).
     *
     * @param directory     where the host's inbox files live.
     * @param inboxCapacity bytes of this endpoint's inbox ring, a power of two.
     * @param clock         the clock of the endpoint's owner.
     * @param nodeId        the endpoint's id, naming its inbox file.
     * @return the endpoint; closing it closes the inbox and the mappings.
     * @throws IOException if the directory or inbox cannot be made.
     */
    public static Transport newEndpoint(
        final Path directory, final int inboxCapacity, final NanoClock clock, final int nodeId) throws IOException
    {
        if (!Files.isDirectory(directory))
        {
            try
            {
                Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            catch (final FileAlreadyExistsException ignore)
            {
                // Another node of the host made it first.
            }
        }
        final MappedFileNetwork network = new MappedFileNetwork(new SharedMemoryContext()
            .directory(directory)
            .inboxCapacity(inboxCapacity)
            .nanoClock(clock));
        try
        {
            return new Endpoint(network, network.newTransport(nodeId));
        }
        catch (final IOException | RuntimeException ex)
        {
            CloseHelper.quietClose(network);
            throw ex;
        }
    }

    /**
     * The node's endpoint, which also owns the network object that maps its peers' inboxes.
     */
    private static final class Endpoint implements Transport
    {
        private final MappedFileNetwork network;
        private final SharedMemoryTransport transport;

        Endpoint(final MappedFileNetwork network, final SharedMemoryTransport transport)
        {
            this.network = network;
            this.transport = transport;
        }

        @Override
        public int localNodeId()
        {
            return transport.localNodeId();
        }

        @Override
        public boolean offer(
            final int destinationNodeId, final int messageType, final long correlationId, final DirectBuffer body,
            final int offset, final int length)
        {
            return transport.offer(destinationNodeId, messageType, correlationId, body, offset, length);
        }

        @Override
        public boolean offer(
            final int destinationNodeId,
            final int messageType,
            final long correlationId,
            final DirectBuffer fields,
            final int fieldsOffset,
            final int fieldsLength,
            final DirectBuffer payload,
            final int payloadOffset,
            final int payloadLength)
        {
            return transport.offer(destinationNodeId, messageType, correlationId, fields, fieldsOffset, fieldsLength,
                payload, payloadOffset, payloadLength);
        }

        @Override
        public int poll(final MessageHandler handler, final int messageLimit)
        {
            return transport.poll(handler, messageLimit);
        }

        @Override
        public int doWork()
        {
            return transport.doWork();
        }

        @Override
        public int maxMessageLength()
        {
            return transport.maxMessageLength();
        }

        @Override
        public void close()
        {
            CloseHelper.closeAll(transport, network);
        }
    }
}
