package io.rfs.store;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.rfs.store.log.RecordDescriptor.*;

/**
 * Reads a segment log's files as a crash left them, without {@link io.rfs.store.log.SegmentLog}, to say what its
 * recovery must find. A process killed with SIGKILL loses no byte it wrote to a mapped segment, so the only damage
 * is the one append it was in the middle of: every segment but the newest ends in a seal, and in the newest the
 * records run back to back from offset 0 up to a torn tail, if any.
 */
final class SegmentFiles
{
    /**
     * The state of a log directory.
     *
     * @param segments      segment files found.
     * @param records       whole records in them, seals not counted: what recovery must keep.
     * @param unsealedOlder ids of segments other than the newest that do not end in a seal (none after a SIGKILL).
     * @param newest        the newest segment file, or null if there is none.
     * @param end           end of the last whole record of the newest segment (its write position).
     * @param tornBytes     bytes from {@code end} to the last non-zero 8-byte word after it, as recovery counts
     *                      the torn tail it cuts; 0 if the newest segment is sealed or clean.
     */
    record State(int segments, long records, List<Path> unsealedOlder, Path newest, int end, long tornBytes)
    {
    }

    private record Walk(int end, boolean sealed, int records)
    {
    }

    private SegmentFiles()
    {
    }

    /**
     * @param logDirectory a segment log's directory, such as {@code chunks/}.
     * @return what its files hold.
     * @throws IOException if they cannot be read.
     */
    static State inspect(final Path logDirectory) throws IOException
    {
        final List<Path> files;
        try (Stream<Path> list = Files.list(logDirectory))
        {
            files = list.filter(p -> p.getFileName().toString().matches("\\d{10}\\.seg")).sorted().toList();
        }
        final List<Path> unsealedOlder = new ArrayList<>();
        Path newest = null;
        int end = 0;
        long tornBytes = 0;
        long records = 0;
        for (int i = 0; i < files.size(); i++)
        {
            final Path file = files.get(i);
            final ByteBuffer bytes = read(file);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
                final Walk walk = walk(buffer);
                records += walk.records();
                if (i < files.size() - 1)
                {
                    if (!walk.sealed())
                    {
                        unsealedOlder.add(file);
                    }
                }
                else
                {
                    newest = file;
                    end = walk.end();
                    tornBytes = walk.sealed() ? 0 : nonZeroTail(buffer, walk.end());
                }
            }
            finally
            {
                BufferUtil.free(bytes);
            }
        }
        return new State(files.size(), records, unsealedOlder, newest, end, tornBytes);
    }

    private static Walk walk(final UnsafeBuffer buffer)
    {
        final int limit = buffer.capacity();
        int offset = 0;
        int records = 0;
        while (isValidHeader(buffer, offset, limit) && isValidPayload(buffer, offset))
        {
            if (buffer.getByte(offset + TYPE_OFFSET) == TYPE_SEAL)
            {
                return new Walk(offset + HEADER_LENGTH, true, records);
            }
            offset += recordLength(buffer.getInt(offset + STORED_LENGTH_OFFSET));
            records++;
        }
        return new Walk(offset, false, records);
    }

    private static long nonZeroTail(final UnsafeBuffer buffer, final int end)
    {
        final int limit = buffer.capacity() & ~(ALIGNMENT - 1);
        for (int offset = limit - ALIGNMENT; offset >= end; offset -= ALIGNMENT)
        {
            if (buffer.getLong(offset) != 0)
            {
                return offset + ALIGNMENT - end;
            }
        }
        return 0;
    }

    private static ByteBuffer read(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocateDirect((int)channel.size());
            while (bytes.hasRemaining() && channel.read(bytes) >= 0)
            {
                // Read it all.
            }
            bytes.clear();
            return bytes;
        }
    }
}
