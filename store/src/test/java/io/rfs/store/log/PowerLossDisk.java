package io.rfs.store.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@link Disk} that remembers what a power loss would leave: each file's bytes as they were at its last force,
 * and each directory's entries as they were at its last force. {@link #powerLossImage} writes that state to another
 * directory while the store goes on, so one run can be checked at many crash points.
 * <p>
 * The model is the harshest that {@code fdatasync} allows: every write not forced is lost, whether appended, written
 * through a mapping, a truncation or a rename. A file whose entry was forced but whose data never was comes back
 * empty (its size was not forced either). A file is known by its file key (the inode) and its name less a
 * {@code .retired} suffix, so the rename a compaction makes carries the bytes forced under the old name, while a new
 * file that reuses a deleted file's inode (under a new segment id) does not inherit its bytes. Reads whole files at
 * each force: for small segments in unit tests only.
 * <p>
 * <b>Threads.</b> Forces from several threads are serialised here.
 */
public final class PowerLossDisk extends Disk
{
    private final Map<Object, byte[]> forcedBytes = new HashMap<>();
    private final Map<Path, Map<String, Object>> forcedEntries = new HashMap<>();

    @Override
    public synchronized void force(final Path file, final FileChannel channel) throws IOException
    {
        super.force(file, channel);
        forcedBytes.put(fileKey(file), Files.readAllBytes(file));
    }

    @Override
    public synchronized void forceDirectory(final Path directory) throws IOException
    {
        super.forceDirectory(directory);
        final Map<String, Object> entries = new HashMap<>();
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file))
                {
                    entries.put(file.getFileName().toString(), fileKey(file));
                }
            }
        }
        forcedEntries.put(directory.toAbsolutePath().normalize(), entries);
    }

    /**
     * Writes into {@code target}, which must not exist, what {@code directory} would hold after a power loss now.
     *
     * @param directory a directory this disk was told to force, or whose files it forced.
     * @param target    where to write the image.
     * @throws IOException if the image cannot be written.
     */
    public synchronized void powerLossImage(final Path directory, final Path target) throws IOException
    {
        Files.createDirectories(target);
        final Map<String, Object> entries =
            forcedEntries.getOrDefault(directory.toAbsolutePath().normalize(), Map.of());
        for (final Map.Entry<String, Object> entry : entries.entrySet())
        {
            Files.write(target.resolve(entry.getKey()), forcedBytes.getOrDefault(entry.getValue(), new byte[0]));
        }
    }

    private static Object fileKey(final Path file) throws IOException
    {
        final String name = file.getFileName().toString();
        final String stem = name.endsWith(SegmentLog.RETIRED_SUFFIX) ?
            name.substring(0, name.length() - SegmentLog.RETIRED_SUFFIX.length()) : name;
        return List.of(Files.readAttributes(file, BasicFileAttributes.class).fileKey(), stem);
    }
}
