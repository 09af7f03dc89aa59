package io.rfs.replication.transport.tcp;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.ByteBuffer;

/**
 * The counters of one {@link TcpTransport}: traffic, connections and, above all, every kind of bad input, each of
 * which closes the connection it came on. Agrona {@link AtomicCounter}s: the transport's thread writes them (and any
 * thread that is refused an offer), any thread may read them.
 */
public final class TcpTransportCounters
{
    /**
     * What is counted.
     */
    public enum Counter
    {
        /** Application bytes written to sockets (before TLS). */
        BYTES_SENT("bytes sent"),
        /** Application bytes read from sockets (after TLS). */
        BYTES_RECEIVED("bytes received"),
        /** Frames taken from the outbound queues and written. */
        FRAMES_SENT("frames sent"),
        /** Frames delivered to a message handler. */
        FRAMES_RECEIVED("frames received"),
        /** Offers refused: peer unknown or not connected, or its queue full. */
        OFFERS_REFUSED("offers refused"),
        /** Outbound connections attempted. */
        CONNECT_ATTEMPTS("connect attempts"),
        /** Connections that completed the handshake. */
        CONNECTIONS_ESTABLISHED("connections established"),
        /** Connections closed, for any reason. */
        CONNECTIONS_CLOSED("connections closed"),
        /** Established connections closed because the same peer authenticated a newer one. */
        CONNECTIONS_REPLACED("connections replaced"),
        /** Accepted connections closed at once: too many were still unauthenticated. */
        CONNECTIONS_REFUSED("connections refused"),
        /** Handshakes failed on credentials: a wrong HMAC proof, a TLS failure, a certificate naming another peer,
         * an unknown or misdirected peer. */
        AUTHENTICATION_FAILURES("authentication failures"),
        /** Handshakes that found no protocol version both ends support. */
        VERSION_MISMATCHES("version mismatches"),
        /** Handshakes not completed within the handshake timeout. */
        HANDSHAKE_TIMEOUTS("handshake timeouts"),
        /** Connections closed because nothing arrived within the idle timeout (half-open). */
        IDLE_TIMEOUTS("idle timeouts"),
        /** Keepalive frames sent on idle connections. */
        KEEPALIVES_SENT("keepalives sent"),
        /** Frames whose length exceeded the limit. */
        FRAMES_TOO_LARGE("frames too large"),
        /** Frames with a bad magic, version, source or control body. */
        MALFORMED_FRAMES("malformed frames"),
        /** Frames whose checksum did not match. */
        CHECKSUM_FAILURES("checksum failures"),
        /** Frames of a type the peer's role may not send, or of an unknown type. */
        UNAUTHORIZED_FRAMES("unauthorized frames"),
        /** Non-handshake frames received before the handshake completed. */
        UNAUTHENTICATED_FRAMES("unauthenticated frames");

        private final String label;

        Counter(final String label)
        {
            this.label = label;
        }

        /**
         * @return a label for a dump of the counters.
         */
        public String label()
        {
            return label;
        }
    }

    private static final Counter[] COUNTERS = Counter.values();

    private final CountersManager manager;
    private final AtomicCounter[] counters = new AtomicCounter[COUNTERS.length];

    TcpTransportCounters(final int nodeId)
    {
        final int valuesLength = COUNTERS.length * CountersReader.COUNTER_LENGTH;
        manager = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(valuesLength * (CountersReader.METADATA_LENGTH /
                CountersReader.COUNTER_LENGTH))),
            new UnsafeBuffer(ByteBuffer.allocateDirect(valuesLength)));
        for (final Counter counter : COUNTERS)
        {
            counters[counter.ordinal()] = manager.newCounter("tcp node-" + nodeId + ": " + counter.label());
        }
    }

    /**
     * @param counter which.
     * @return its value now.
     */
    public long get(final Counter counter)
    {
        return counters[counter.ordinal()].get();
    }

    /**
     * @return the counters, for a reader that lists them all.
     */
    public CountersReader reader()
    {
        return manager;
    }

    AtomicCounter counter(final Counter counter)
    {
        return counters[counter.ordinal()];
    }

    @Override
    public String toString()
    {
        final StringBuilder builder = new StringBuilder();
        for (final Counter counter : COUNTERS)
        {
            final long value = get(counter);
            if (value != 0)
            {
                builder.append(builder.length() == 0 ? "" : ", ").append(counter.label()).append('=').append(value);
            }
        }
        return builder.toString();
    }
}
