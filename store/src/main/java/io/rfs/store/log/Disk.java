package io.rfs.store.log;

import io.rfs.store.DiskFullException;
import net.openhft.posix.PosixAPI;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The few file system calls whose failures the store must tell apart: reserving space, forcing data to the device
 * and forcing a directory entry. They sit behind this one class so that tests can make the disk fill or a force
 * fail at a chosen moment.
 * <p>
 * Space is reserved with {@code fallocate} before a mapped region is written. Writing to a sparse page of a mapped
 * file on a full disk would otherwise kill the JVM with SIGBUS rather than raise an error, so no segment byte is
 * written before its blocks exist.
 */
public class Disk
{
    private static final int ENOSPC = 28;
    private static final int EOPNOTSUPP = 95;
    private static final int O_RDONLY = 0;
    /** Linux's value; chronicle's {@code WhenceFlag.SEEK_HOLE} carries another. */
    private static final int SEEK_HOLE = 4;
    private static final int O_RDWR = 2;
    private static final int FALLOC_FL_KEEP_SIZE = 1;

    private volatile boolean fallocateSupported = true;

    /**
     * Reserves blocks for {@code [offset, offset + length)} of a file without changing its size.
     *
     * @param file   the file.
     * @param offset first byte to reserve.
     * @param length how many bytes.
     * @throws DiskFullException if the file system has no room.
     * @throws IOException       on any other failure.
     */
    public void reserve(final Path file, final long offset, final long length) throws IOException
    {
        if (!fallocateSupported)
        {
            return;
        }
        final PosixAPI posix = PosixAPI.posix();
        final int fd = posix.open(file.toString(), O_RDWR, 0);
        if (fd < 0)
        {
            throw new IOException("cannot open " + file + " to reserve space: " + posix.lastErrorStr());
        }
        try
        {
            if (posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) != 0)
            {
                final int errno = posix.lastError();
                if (errno == ENOSPC)
                {
                    throw new DiskFullException(
                        "no space left on the device holding " + file.getParent() + " (needed " + length +
                        " more bytes)", null);
                }
                if (errno == EOPNOTSUPP)
                {
                    // Some file systems cannot reserve blocks; the store still works, only without the early
                    // ENOSPC check.
                    fallocateSupported = false;
                    return;
                }
                throw new IOException("fallocate failed on " + file + ": " + posix.strerror(errno));
            }
        }
        finally
        {
            posix.close(fd);
        }
    }

    /**
     * Where a file's written data ends: the offset of its first hole ({@code lseek(SEEK_HOLE)}), or its size where
     * holes cannot be told. Segments are written from offset 0 with no gaps, so recovery need not read past this
     * point; reading the unwritten, sparse rest would be slow on disks and would take memory on tmpfs.
     *
     * @param file a file.
     * @return offset of the first hole, at most the file's size.
     * @throws IOException if the file cannot be examined.
     */
    public long dataEnd(final Path file) throws IOException
    {
        final long size = java.nio.file.Files.size(file);
        final PosixAPI posix = PosixAPI.posix();
        final int fd = posix.open(file.toString(), O_RDONLY, 0);
        if (fd < 0)
        {
            return size;
        }
        try
        {
            final long hole = posix.lseek(fd, 0, SEEK_HOLE);
            return hole < 0 ? size : Math.min(hole, size);
        }
        finally
        {
            posix.close(fd);
        }
    }

    /**
     * Forces a file's data (and mapped pages) to the device: {@code fdatasync}.
     *
     * @param file    the file's path, for messages.
     * @param channel an open channel on it.
     * @throws IOException if the device reports a failure; the data must then be treated as not durable.
     */
    public void force(final Path file, final FileChannel channel) throws IOException
    {
        channel.force(false);
    }

    /**
     * Forces a directory, so that files created, renamed or deleted in it survive a crash.
     *
     * @param directory the directory.
     * @throws IOException on failure.
     */
    public void forceDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
