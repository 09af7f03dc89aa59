package io.rfs.tools;

import io.rfs.replication.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * One direction of a {@link LinkProxy}'s connections, copied frame by frame (docs/PROTOCOL.md's frame header: the
 * handshake's frames included), so that a test can hold back the frames of chosen message types, as a network that
 * delays them would, and deliver them later on the connection they came on. Frames of other types pass at once;
 * held ones are delivered after frames that came behind them, which the protocol allows (every message stands alone).
 * <p>
 * Threads: the link's copier threads forward, the test holds and releases; each call takes the hold's lock, so a
 * frame is either forwarded or held, never both.
 */
final class FrameHold
{
    private static final IntPredicate NONE = type -> false;

    private final int source;
    private final int destination;
    private final List<HeldFrame> frames = new ArrayList<>();
    private IntPredicate holding = NONE;

    /**
     * A frame held back.
     *
     * @param destination the node it was on its way to.
     * @param frame       the whole frame, header included.
     * @param out         the connection it is to be delivered on.
     */
    record HeldFrame(int destination, byte[] frame, OutputStream out)
    {
        int messageType()
        {
            return FrameDescriptor.messageType(new UnsafeBuffer(frame), 0);
        }

        /**
         * @return a buffer over the frame's body, for a decoder's {@code wrap(buffer, HEADER_LENGTH, bodyLength)}.
         */
        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(frame);
        }

        int bodyLength()
        {
            return frame.length - FrameDescriptor.HEADER_LENGTH;
        }
    }

    /**
     * @param source      the node the direction's frames come from (-1 for a client).
     * @param destination the node they go to (-1 for a client).
     */
    FrameHold(final int source, final int destination)
    {
        this.source = source;
        this.destination = destination;
    }

    int source()
    {
        return source;
    }

    /**
     * Holds back, from now on, the frames whose message type passes the test.
     */
    synchronized void hold(final IntPredicate messageTypes)
    {
        holding = messageTypes;
    }

    /**
     * @return the frames held so far.
     */
    synchronized List<HeldFrame> held()
    {
        return List.copyOf(frames);
    }

    /**
     * Stops holding and delivers the held frames, in the order they came, each on its own connection.
     *
     * @return how many were delivered; the others' connections had closed, which loses them, as it would lose a
     * frame in flight.
     */
    synchronized int release()
    {
        holding = NONE;
        int delivered = 0;
        for (final HeldFrame held : frames)
        {
            try
            {
                held.out().write(held.frame());
                delivered++;
            }
            catch (final IOException ex)
            {
                // the connection closed while the frame was held: lost with it
            }
        }
        frames.clear();
        return delivered;
    }

    /**
     * Copies frames from one end of a connection to the other until either closes or a frame header is bad.
     */
    void copy(final InputStream in, final OutputStream out) throws IOException
    {
        final byte[] header = new byte[FrameDescriptor.HEADER_LENGTH];
        final UnsafeBuffer headerBuffer = new UnsafeBuffer(header);
        while (in.readNBytes(header, 0, header.length) == header.length)
        {
            final String bad = FrameDescriptor.checkHeader(
                headerBuffer, 0, FrameDescriptor.MAX_FRAME_LENGTH_DEFAULT);
            if (bad != null)
            {
                throw new IOException("link " + source + "->" + destination + ": " + bad);
            }
            final byte[] frame = new byte[FrameDescriptor.frameLength(headerBuffer, 0)];
            System.arraycopy(header, 0, frame, 0, header.length);
            if (in.readNBytes(frame, header.length, frame.length - header.length) != frame.length - header.length)
            {
                return;
            }
            forward(frame, out);
        }
    }

    private synchronized void forward(final byte[] frame, final OutputStream out) throws IOException
    {
        if (holding.test(FrameDescriptor.messageType(new UnsafeBuffer(frame), 0)))
        {
            frames.add(new HeldFrame(destination, frame, out));
        }
        else
        {
            out.write(frame);
        }
    }
}
