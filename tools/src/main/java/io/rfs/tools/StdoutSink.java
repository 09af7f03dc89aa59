package io.rfs.tools;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output as a raw stream for file data, which remembers whether a write failed.
 * <p>
 * {@code System.out} is a {@link java.io.PrintStream}, which swallows errors, so a full disk or a closed pipe
 * would go unnoticed. Writing to the file descriptor directly reports them; {@link #hasFailed()} then tells a
 * failure of stdout (typically a reader such as {@code head} that has gone away) from a failure of the store.
 */
final class StdoutSink extends OutputStream
{
    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    private boolean failed;

    @Override
    public void write(final int b) throws IOException
    {
        try
        {
            out.write(b);
        }
        catch (final IOException ex)
        {
            failed = true;
            throw ex;
        }
    }

    @Override
    public void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        try
        {
            out.write(bytes, offset, length);
        }
        catch (final IOException ex)
        {
            failed = true;
            throw ex;
        }
    }

    /**
     * @return true if a write to stdout failed.
     */
    boolean hasFailed()
    {
        return failed;
    }
}
