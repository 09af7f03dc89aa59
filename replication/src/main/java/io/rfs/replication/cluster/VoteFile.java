package io.rfs.replication.cluster;

import io.rfs.store.CorruptStoreException;
import io.rfs.store.log.Disk;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static io.rfs.replication.cluster.VoteFileDescriptor.*;

/**
 * The node's durable election state: current term and vote. A node grants at most one vote per term only if it
 * remembers, across a crash, that it voted; so {@link #store} returns only once the new state is on the device, and
 * the election answers a {@code RequestVote} only after it has returned.
 * <p>
 * Each store writes the whole 32-byte state to {@code vote.tmp}, forces it, renames it over {@code vote} (atomic on
 * POSIX file systems) and forces the directory, so a crash leaves either the old state or the new one, never a mix.
 * A file that fails its checks is refused with {@link CorruptStoreException} rather than read as "no vote": forgetting
 * a vote could elect two leaders in one term, so an operator must look.
 * <p>
 * <b>Threads.</b> The owning agent's only.
 */
public final class VoteFile
{
    static final String FILE_NAME = "vote";
    private static final String TEMPORARY_NAME = "vote.tmp";

    private final Path directory;
    private final Path file;
    private final Disk disk;
    private final ByteBuffer bytes = ByteBuffer.allocateDirect(LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    private long term;
    private int votedFor = NOBODY;

    private VoteFile(final Path directory, final Disk disk)
    {
        this.directory = directory;
        this.file = directory.resolve(FILE_NAME);
        this.disk = disk;
    }

    /**
     * Reads the state, or starts at term 0 with no vote if the file does not exist.
     *
     * @param directory the node's cluster directory, created if absent.
     * @param disk      file system calls.
     * @return the state.
     * @throws CorruptStoreException if the file exists and fails its checks.
     * @throws IOException           if it cannot be read.
     */
    public static VoteFile open(final Path directory, final Disk disk) throws IOException
    {
        Files.createDirectories(directory);
        final VoteFile voteFile = new VoteFile(directory, disk);
        voteFile.load();
        return voteFile;
    }

    private void load() throws IOException
    {
        if (!Files.exists(file))
        {
            return;
        }
        final byte[] content = Files.readAllBytes(file);
        if (content.length != LENGTH)
        {
            throw new CorruptStoreException(file + " is " + content.length + " bytes, not " + LENGTH);
        }
        final UnsafeBuffer read = new UnsafeBuffer(content);
        if (read.getInt(MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            throw new CorruptStoreException(file + " is not a vote file (bad magic)");
        }
        if (read.getByte(VERSION_OFFSET) != VERSION)
        {
            throw new CorruptStoreException(file + " has version " + read.getByte(VERSION_OFFSET) +
                "; this rfs reads version " + VERSION);
        }
        final CRC32C crc = new CRC32C();
        crc.update(content, 0, CHECKSUM_OFFSET);
        if ((int)crc.getValue() != read.getInt(CHECKSUM_OFFSET, ByteOrder.LITTLE_ENDIAN))
        {
            throw new CorruptStoreException(file + " fails its checksum; the node's vote is unknown, so it must not " +
                "take part in elections until an operator restores or removes the file (removing it is safe only " +
                "if the cluster has moved past its term)");
        }
        final long storedTerm = read.getLong(TERM_OFFSET, ByteOrder.LITTLE_ENDIAN);
        if (storedTerm < 0)
        {
            throw new CorruptStoreException(file + " has term=" + storedTerm);
        }
        term = storedTerm;
        votedFor = read.getInt(VOTED_FOR_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Makes a new state durable; returns only once it is.
     *
     * @param newTerm     the current term, not below the one stored.
     * @param newVotedFor whom the node votes for in it, or {@link VoteFileDescriptor#NOBODY}.
     * @throws IOException if the state could not be made durable; the caller must then not act on it.
     */
    public void store(final long newTerm, final int newVotedFor) throws IOException
    {
        if (newTerm < term)
        {
            throw new IllegalArgumentException("term=" + newTerm + " is below the stored term=" + term);
        }
        buffer.setMemory(0, LENGTH, (byte)0);
        buffer.putInt(MAGIC_OFFSET, MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(VERSION_OFFSET, VERSION);
        buffer.putLong(TERM_OFFSET, newTerm, ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(VOTED_FOR_OFFSET, newVotedFor, ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        bytes.clear().limit(CHECKSUM_OFFSET);
        crc.update(bytes);
        buffer.putInt(CHECKSUM_OFFSET, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        final Path temporary = directory.resolve(TEMPORARY_NAME);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            bytes.clear();
            while (bytes.hasRemaining())
            {
                channel.write(bytes);
            }
            disk.force(temporary, channel);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        disk.forceDirectory(directory);
        term = newTerm;
        votedFor = newVotedFor;
    }

    /**
     * @return the current term, as stored.
     */
    public long term()
    {
        return term;
    }

    /**
     * @return whom the node voted for in {@link #term()}, or {@link VoteFileDescriptor#NOBODY}.
     */
    public int votedFor()
    {
        return votedFor;
    }
}
