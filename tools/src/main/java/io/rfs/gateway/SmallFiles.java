package io.rfs.gateway;

import io.rfs.store.FileStore;
import io.rfs.store.TransferListener;
import io.rfs.store.UnknownFileException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Reads and writes the gateway's own small files (bucket markers, metadata, uploads) whole.
 */
final class SmallFiles
{
    private SmallFiles()
    {
    }

    /**
     * @return the file's bytes, or null if there is no such file.
     */
    static byte[] read(final FileStore store, final String name) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try
        {
            store.get(name, bytes, TransferListener.NONE);
            return bytes.toByteArray();
        }
        catch (final UnknownFileException ex)
        {
            return null;
        }
    }

    static void write(final FileStore store, final String name, final byte[] content) throws IOException
    {
        store.put(name, new ByteArrayInputStream(content), TransferListener.NONE);
    }

    /**
     * Deletes a file if it exists.
     */
    static void delete(final FileStore store, final String name) throws IOException
    {
        try
        {
            store.delete(name);
        }
        catch (final UnknownFileException ignore)
        {
            // gone already
        }
    }
}
