package io.rfs.replication.node;

import io.rfs.store.log.RecordDescriptor;
import io.rfs.store.log.SegmentLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Bit rot for tests: damages a stored chunk in its segment file the way a disk can without the CRCs noticing.
 */
final class SegmentRot
{
    private SegmentRot()
    {
    }

    /**
     * Flips a payload byte of the first record of the first chunk segment and rewrites both CRCs to match, so the
     * node's own checks pass and only the SHA-256 of the bytes can tell: the rot a CRC misses.
     */
    static void rotFirstChunkKeepingCrcs(final Path chunks) throws IOException
    {
        final Path segment;
        try (Stream<Path> files = Files.list(chunks))
        {
            segment = files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer header =
                ByteBuffer.allocate(RecordDescriptor.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            final int storedLength = header.getInt(RecordDescriptor.STORED_LENGTH_OFFSET);
            final byte[] payload = new byte[storedLength];
            channel.read(ByteBuffer.wrap(payload), RecordDescriptor.HEADER_LENGTH);
            payload[storedLength / 2] ^= 1;
            channel.write(ByteBuffer.wrap(payload), RecordDescriptor.HEADER_LENGTH);
            header.putInt(RecordDescriptor.PAYLOAD_CRC_OFFSET, SegmentLog.payloadCrc(payload, 0, storedLength));
            final CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, RecordDescriptor.HEADER_CRC_OFFSET);
            header.putInt(RecordDescriptor.HEADER_CRC_OFFSET, (int)crc.getValue());
            header.rewind();
            channel.write(header, 0);
        }
    }
}
