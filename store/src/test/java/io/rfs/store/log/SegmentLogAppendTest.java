package io.rfs.store.log;

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static io.rfs.store.log.RecordDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appends are positional writes to the segment file while reads go through its mapping: these prove the two see
 * the same bytes, before any force, for records smaller and larger than the staging buffer.
 */
class SegmentLogAppendTest
{
    private static final int CAPACITY = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldReadThroughTheMappingEveryRecordJustAppendedBeforeAnyForce() throws IOException
    {
        final SplittableRandom random = new SplittableRandom(11);
        final int[] lengths = {0, 1, 7, 4093, 1024 * 1024, SegmentLog.MAX_STAGED_BYTES - HEADER_LENGTH + 3,
            SegmentLog.MAX_STAGED_BYTES + 1, 2 * SegmentLog.MAX_STAGED_BYTES + 5};
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            for (int i = 0; i < lengths.length; i++)
            {
                final byte[] payload = new byte[lengths[i]];
                random.nextBytes(payload);
                final long location = append(log, payload, (byte)i);

                final DirectBuffer buffer = log.buffer(location);
                final int offset = SegmentLog.offset(location);
                assertThat(isValidHeader(buffer, offset, offset + recordLength(payload.length)))
                    .as("header of record %d", i).isTrue();
                assertThat(isValidPayload(buffer, offset)).as("payload CRC of record %d", i).isTrue();
                assertThat(buffer.getByte(offset + KEY_OFFSET)).isEqualTo((byte)i);
                final byte[] read = new byte[payload.length];
                buffer.getBytes(offset + HEADER_LENGTH, read);
                assertThat(read).as("payload of record %d", i).isEqualTo(payload);
            }
        }
    }

    @Test
    void shouldLeavePaddingAndEverythingAfterTheLastRecordZeroInTheFile() throws IOException
    {
        final byte[] payload = new byte[SegmentLog.MAX_STAGED_BYTES + 3];
        Arrays.fill(payload, (byte)0x5A);
        final long first;
        final long second;
        try (SegmentLog log = SegmentLog.open(dir, new Disk(), CAPACITY, (l, b, o) -> {}))
        {
            first = append(log, payload, (byte)1);
            second = append(log, new byte[]{1, 2, 3}, (byte)2);
            log.force();
        }
        final byte[] file = Files.readAllBytes(segmentFile());
        final int firstEnd = SegmentLog.offset(first) + HEADER_LENGTH + payload.length;
        assertThat(SegmentLog.offset(second)).isEqualTo(SegmentLog.offset(first) + recordLength(payload.length));
        for (int i = firstEnd; i < SegmentLog.offset(second); i++)
        {
            assertThat(file[i]).as("padding byte at %d", i).isZero();
        }
        final int secondPayloadEnd = SegmentLog.offset(second) + HEADER_LENGTH + 3;
        assertThat(file[secondPayloadEnd - 1]).isEqualTo((byte)3);
        for (int i = secondPayloadEnd; i < secondPayloadEnd + 4096; i++)
        {
            assertThat(file[i]).as("byte at %d", i).isZero();
        }
    }

    private static long append(final SegmentLog log, final byte[] payload, final byte keyByte) throws IOException
    {
        final byte[] key = new byte[KEY_LENGTH];
        key[0] = keyByte;
        return log.append(TYPE_CHUNK, (short)0, key, payload.length, payload, 0, payload.length,
            SegmentLog.payloadCrc(payload, 0, payload.length));
    }

    private Path segmentFile() throws IOException
    {
        try (var stream = Files.list(dir))
        {
            return stream.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
        }
    }
}
