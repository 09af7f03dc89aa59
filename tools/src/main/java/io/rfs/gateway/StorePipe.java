package io.rfs.gateway;

import io.rfs.store.FileStore;
import io.rfs.store.TransferListener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams stored files, one after another, into a put of the same store: what CopyObject and
 * CompleteMultipartUpload do. A thread reads (and verifies) the sources into a pipe of {@link #BUFFER_BYTES}; the
 * caller's put reads the other end. A failed read of a source fails the put's last read, so the put writes no
 * manifest; a failed put closes the pipe, which stops the reading thread.
 */
final class StorePipe
{
    /** Bytes between the reading thread and the put. */
    static final int BUFFER_BYTES = 1024 * 1024;

    private StorePipe()
    {
    }

    /**
     * A stream of the files' bytes in order.
     */
    interface Put<T>
    {
        T put(InputStream concatenated) throws IOException;
    }

    /**
     * @param store   the store.
     * @param sources the names to read, in order.
     * @param put     what consumes their concatenation, on the calling thread.
     * @param <T>     what the put returns.
     * @return what the put returned.
     * @throws IOException from a source's read or the put.
     */
    static <T> T copy(final FileStore store, final List<String> sources, final Put<T> put) throws IOException
    {
        final PipedInputStream in = new PipedInputStream(BUFFER_BYTES);
        final PipedOutputStream out = new PipedOutputStream(in);
        final AtomicReference<IOException> failure = new AtomicReference<>();
        final Thread reader = new Thread(() ->
        {
            try (out)
            {
                for (final String source : sources)
                {
                    store.get(source, out, TransferListener.NONE);
                }
            }
            catch (final IOException ex)
            {
                failure.set(ex);
            }
        }, "rfs-gateway-copy");
        reader.setDaemon(true);
        reader.start();
        try (InputStream checked = new FilterInputStream(in)
        {
            @Override
            public int read() throws IOException
            {
                final byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(final byte[] buffer, final int offset, final int length) throws IOException
            {
                final int n = super.read(buffer, offset, length);
                if (n < 0)
                {
                    awaitReader(reader);
                    if (failure.get() != null)
                    {
                        throw failure.get();
                    }
                }
                return n;
            }
        })
        {
            return put.put(checked);
        }
        finally
        {
            in.close();
            awaitReader(reader);
        }
    }

    private static void awaitReader(final Thread reader) throws IOException
    {
        try
        {
            reader.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while a copy was read");
        }
    }
}
