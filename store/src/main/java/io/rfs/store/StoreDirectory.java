package io.rfs.store;

import io.rfs.store.log.Disk;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A data directory: its exclusive lock and its {@code store.meta}. Only one process may own a data directory at a
 * time; the lock is an OS file lock, so it dies with the process that held it (even under SIGKILL) and a crash
 * never leaves the store locked.
 * <p>
 * Public so that a cluster node, which drives its {@code chunks/} and {@code manifests/} stores itself rather than
 * through {@link LocalFileStore}, opens its data directory the same way.
 */
public final class StoreDirectory implements AutoCloseable
{
    /** The chunk store's directory under the data directory. */
    public static final String CHUNKS_DIRECTORY = "chunks";

    /** Format version of the data directory layout. */
    static final int FORMAT_VERSION = 1;
    static final String LOCK_FILE = "LOCK";
    static final String META_FILE = "store.meta";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int nodeId;

    private StoreDirectory(final Path root, final FileChannel lockChannel, final FileLock lock, final int nodeId)
    {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.nodeId = nodeId;
    }

    /**
     * Takes the directory's lock and reads (or, for a new directory, writes) its {@code store.meta}.
     *
     * @param root   the data directory; created if absent.
     * @param nodeId the node id written into a new directory's meta file.
     * @param disk   file system calls.
     * @return the open directory; {@link #nodeId()} is the id its meta file names.
     * @throws StoreLockedException if another process holds the lock.
     * @throws IOException          if the directory cannot be used.
     */
    public static StoreDirectory open(final Path root, final int nodeId, final Disk disk) throws IOException
    {
        if (Files.exists(root) && !Files.isDirectory(root))
        {
            throw new InvalidInputException("data directory " + root + " exists and is not a directory");
        }
        try
        {
            Files.createDirectories(root);
        }
        catch (final IOException ex)
        {
            throw new RfsException("cannot create data directory " + root + ": " + ex.getMessage(), ex);
        }
        final Path lockPath = root.resolve(LOCK_FILE);
        final FileChannel channel = FileChannel.open(
            lockPath, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = null;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            // Another store in this JVM holds it.
        }
        if (lock == null)
        {
            final String holder = Files.readString(lockPath, StandardCharsets.UTF_8).trim();
            channel.close();
            throw new StoreLockedException("data directory " + root + " is in use by another rfs process" +
                (holder.isEmpty() ? "" : " (" + holder + ")") + "; stop it or use another --data directory");
        }
        try
        {
            final byte[] owner = ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner), 0);
            final int storedNodeId = readOrCreateMeta(root, nodeId, disk);
            Files.createDirectories(root.resolve(CHUNKS_DIRECTORY));
            Files.createDirectories(root.resolve("manifests"));
            return new StoreDirectory(root, channel, lock, storedNodeId);
        }
        catch (final IOException | RuntimeException ex)
        {
            lock.release();
            channel.close();
            throw ex;
        }
    }

    private static int readOrCreateMeta(final Path root, final int nodeId, final Disk disk) throws IOException
    {
        final Path meta = root.resolve(META_FILE);
        if (!Files.exists(meta))
        {
            final String text = "# rfs data directory; do not edit\nformat=" + FORMAT_VERSION + "\nnodeId=" +
                nodeId + "\n";
            final Path temporary = root.resolve(META_FILE + ".tmp");
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
            {
                out.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            Files.move(temporary, meta, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            disk.forceDirectory(root);
            return nodeId;
        }
        final Properties properties = new Properties();
        try (Reader reader = new StringReader(Files.readString(meta, StandardCharsets.UTF_8)))
        {
            properties.load(reader);
        }
        final String format = properties.getProperty("format");
        if (!String.valueOf(FORMAT_VERSION).equals(format))
        {
            throw new CorruptStoreException(meta + " has format=" + format + "; this rfs reads format " +
                FORMAT_VERSION + " only");
        }
        try
        {
            return Integer.parseInt(properties.getProperty("nodeId", "").trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new CorruptStoreException(meta + " has no valid nodeId");
        }
    }

    /**
     * @return the data directory.
     */
    public Path root()
    {
        return root;
    }

    /**
     * @return where the chunk store's segments live.
     */
    public Path chunksDirectory()
    {
        return root.resolve(CHUNKS_DIRECTORY);
    }

    /**
     * @return where the manifest store's segments live.
     */
    public Path manifestsDirectory()
    {
        return root.resolve("manifests");
    }

    /**
     * @return the node id the directory's meta file names.
     */
    public int nodeId()
    {
        return nodeId;
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            lock.release();
        }
        finally
        {
            lockChannel.close();
        }
    }
}
