package io.rfs.replication.client;

import io.rfs.replication.transport.MessageHandler;
import io.rfs.replication.transport.Transport;
import io.rfs.store.RfsException;
import io.rfs.store.TransferListener;
import io.rfs.store.chunk.ChunkingPolicy;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An {@link Error} in the client agent's duty cycle ends the agent's thread (Agrona's runner rethrows it); callers
 * waiting on requests must then fail, not hang. Seen in CI: direct memory ran out and puts waited forever.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RfsClientFatalErrorTest
{
    @TempDir
    Path directory;

    @Test
    void shouldFailAWaitingRequestAndLaterOnesWhenTheAgentDiesOfAnError() throws Exception
    {
        try (ServerCluster cluster = new ServerCluster(directory))
        {
            final ClientContext context = cluster.clientContext();
            final FailingTransport transport = new FailingTransport(context.transport());
            final RfsClient client = RfsClient.connect(context.transport(transport)
                .chunking(ChunkingPolicy.fixed(64 * 1024)));
            try
            {
                client.put("before", new ByteArrayInputStream(new byte[]{1, 2, 3}), TransferListener.NONE);

                transport.failing = true;

                assertThatThrownBy(() -> client.stat("before"))
                    .isInstanceOf(RfsException.class)
                    .hasMessageContaining("failed and is closed")
                    .hasRootCauseInstanceOf(OutOfMemoryError.class);
                assertThatThrownBy(() -> client.put("after", new ByteArrayInputStream(new byte[]{4}),
                    TransferListener.NONE))
                    .isInstanceOf(RfsException.class)
                    .hasMessageContaining("failed and is closed");
                assertThat(client.agentErrors()).isEqualTo(1);
            }
            finally
            {
                client.close();
            }
        }
    }

    @Test
    void shouldFailAWaitingRequestWhenPrintingTheAgentsErrorFailsToo() throws Exception
    {
        final PrintStream err = System.err;
        try (ServerCluster cluster = new ServerCluster(directory))
        {
            final ClientContext context = cluster.clientContext();
            final FailingTransport transport = new FailingTransport(context.transport());
            final RfsClient client = RfsClient.connect(context.transport(transport)
                .chunking(ChunkingPolicy.fixed(64 * 1024)));
            try
            {
                client.put("before", new ByteArrayInputStream(new byte[]{1, 2, 3}), TransferListener.NONE);
                // Out of heap, the stack trace cannot be printed either: the second error leaves the agent's thread.
                System.setErr(new PrintStream(new OutputStream()
                {
                    @Override
                    public void write(final int b)
                    {
                        throw new OutOfMemoryError("Java heap space (injected, printing)");
                    }
                }));
                transport.failing = true;

                assertThatThrownBy(() -> client.stat("before"))
                    .isInstanceOf(RfsException.class)
                    .hasMessageContaining("failed and is closed");
            }
            finally
            {
                System.setErr(err);
                client.close();
            }
        }
    }

    /**
     * Throws an {@link OutOfMemoryError} from {@link #poll} once told to, as a transport that cannot reserve direct
     * memory does.
     */
    private static final class FailingTransport implements Transport
    {
        private final Transport delegate;
        volatile boolean failing;

        FailingTransport(final Transport delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public int localNodeId()
        {
            return delegate.localNodeId();
        }

        @Override
        public boolean offer(final int destinationNodeId, final int messageType, final long correlationId,
            final DirectBuffer body, final int offset, final int length)
        {
            return delegate.offer(destinationNodeId, messageType, correlationId, body, offset, length);
        }

        @Override
        public boolean offer(final int destinationNodeId, final int messageType, final long correlationId,
            final DirectBuffer fields, final int fieldsOffset, final int fieldsLength, final DirectBuffer payload,
            final int payloadOffset, final int payloadLength)
        {
            return delegate.offer(destinationNodeId, messageType, correlationId, fields, fieldsOffset, fieldsLength,
                payload, payloadOffset, payloadLength);
        }

        @Override
        public int poll(final MessageHandler handler, final int messageLimit)
        {
            if (failing)
            {
                throw new OutOfMemoryError("Cannot reserve direct buffer memory (injected)");
            }
            return delegate.poll(handler, messageLimit);
        }

        @Override
        public int doWork()
        {
            return delegate.doWork();
        }

        @Override
        public int maxMessageLength()
        {
            return delegate.maxMessageLength();
        }

        @Override
        public void close()
        {
            delegate.close();
        }
    }
}
