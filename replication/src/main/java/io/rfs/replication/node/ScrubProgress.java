package io.rfs.replication.node;

import io.rfs.store.chunk.ChunkId;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

import static io.rfs.replication.node.ScrubProgressDescriptor.*;

/**
 * Where the background scrub's pass is, kept in {@code scrub/progress} ({@link ScrubProgressDescriptor}) so that a
 * restart resumes the pass. Written whole to {@code progress.tmp} and renamed over the file, never forced: losing
 * the latest progress to a crash only makes the scrub verify a few chunks again, and a file that fails its checks
 * is ignored (a new pass starts).
 *
 * @param passStartMs         when the pass began, epoch ms.
 * @param previousPassStartMs when the pass before it began, epoch ms, or {@link ScrubProgressDescriptor#NONE}.
 * @param chunksDone          chunks verified in the pass so far.
 * @param cursor              the last chunk verified, in id order, or null if none yet.
 */
record ScrubProgress(long passStartMs, long previousPassStartMs, long chunksDone, ChunkId cursor)
{
    static final String DIRECTORY = "scrub";
    static final String FILE = "progress";

    /**
     * @return the progress stored in {@code directory}, or null if there is none or it fails its checks.
     */
    static ScrubProgress read(final Path directory)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(directory.resolve(FILE));
        }
        catch (final IOException ex)
        {
            return null; // missing or unreadable: a new pass starts, which is always safe
        }
        if (bytes.length != LENGTH)
        {
            return null;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CHECKSUM_OFFSET);
        if (buffer.getInt(MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) != MAGIC ||
            buffer.getByte(VERSION_OFFSET) != VERSION ||
            buffer.getInt(CHECKSUM_OFFSET, ByteOrder.LITTLE_ENDIAN) != (int)crc.getValue())
        {
            return null;
        }
        final boolean hasCursor = (buffer.getInt(FLAGS_OFFSET, ByteOrder.LITTLE_ENDIAN) & FLAG_CURSOR) != 0;
        return new ScrubProgress(buffer.getLong(PASS_START_OFFSET, ByteOrder.LITTLE_ENDIAN),
            buffer.getLong(PREVIOUS_PASS_START_OFFSET, ByteOrder.LITTLE_ENDIAN),
            buffer.getLong(CHUNKS_DONE_OFFSET, ByteOrder.LITTLE_ENDIAN),
            hasCursor ? ChunkId.read(buffer, CURSOR_OFFSET) : null);
    }

    /**
     * Replaces the stored progress with this one.
     *
     * @throws IOException if it cannot be written.
     */
    void write(final Path directory) throws IOException
    {
        final byte[] bytes = new byte[LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putInt(MAGIC_OFFSET, MAGIC, ByteOrder.LITTLE_ENDIAN);
        buffer.putByte(VERSION_OFFSET, VERSION);
        buffer.putLong(PASS_START_OFFSET, passStartMs, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(PREVIOUS_PASS_START_OFFSET, previousPassStartMs, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(CHUNKS_DONE_OFFSET, chunksDone, ByteOrder.LITTLE_ENDIAN);
        if (cursor != null)
        {
            buffer.putInt(FLAGS_OFFSET, FLAG_CURSOR, ByteOrder.LITTLE_ENDIAN);
            cursor.write(buffer, CURSOR_OFFSET);
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CHECKSUM_OFFSET);
        buffer.putInt(CHECKSUM_OFFSET, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        Files.createDirectories(directory);
        final Path temporary = directory.resolve(FILE + ".tmp");
        Files.write(temporary, bytes);
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
    }
}
