package io.rfs.replication.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

class FrameDescriptorTest
{
    @Test
    void shouldChecksumWholeFrameWithChecksumFieldAsZero()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        writeFrame(buffer, 8, 100, 7);

        FrameDescriptor.writeChecksum(buffer, 8);

        final byte[] frame = new byte[FrameDescriptor.HEADER_LENGTH + 100];
        buffer.getBytes(8, frame);
        frame[28] = 0;
        frame[29] = 0;
        frame[30] = 0;
        frame[31] = 0;
        final CRC32C crc = new CRC32C();
        crc.update(frame);
        assertThat(buffer.getInt(8 + FrameDescriptor.CHECKSUM_OFFSET)).isEqualTo((int)crc.getValue());
        assertThat(FrameDescriptor.computeChecksum(buffer, 8)).isEqualTo((int)crc.getValue());
        assertThat(FrameDescriptor.isChecksumValid(buffer, 8)).isTrue();
        assertThat(FrameDescriptor.verifyChecksumInPlace(buffer, 8)).isTrue();
    }

    @Test
    void shouldGiveHeapAndDirectBuffersTheSameChecksum()
    {
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(200));
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[200]);
        writeFrame(direct, 0, 64, 3);
        writeFrame(heap, 0, 64, 3);

        FrameDescriptor.writeChecksum(direct, 0);
        FrameDescriptor.writeChecksum(heap, 0);

        assertThat(heap.getInt(FrameDescriptor.CHECKSUM_OFFSET))
            .isEqualTo(direct.getInt(FrameDescriptor.CHECKSUM_OFFSET));
        assertThat(FrameDescriptor.isChecksumValid(heap, 0)).isTrue();
    }

    @Test
    void shouldGiveGatherFrameTheChecksumOfItsContiguousForm()
    {
        final int fieldsLength = 40;
        final int payloadLength = 100_000;
        final UnsafeBuffer contiguous = new UnsafeBuffer(ByteBuffer.allocateDirect(
            FrameDescriptor.HEADER_LENGTH + fieldsLength + payloadLength));
        writeFrame(contiguous, 0, fieldsLength + payloadLength, 11);
        FrameDescriptor.writeChecksum(contiguous, 0);
        final UnsafeBuffer head = new UnsafeBuffer(ByteBuffer.allocateDirect(FrameDescriptor.HEADER_LENGTH + fieldsLength));
        head.putBytes(0, contiguous, 0, FrameDescriptor.HEADER_LENGTH + fieldsLength);
        final UnsafeBuffer payload = new UnsafeBuffer(ByteBuffer.allocateDirect(payloadLength));
        payload.putBytes(0, contiguous, FrameDescriptor.HEADER_LENGTH + fieldsLength, payloadLength);

        FrameDescriptor.writeChecksum(head, 0, FrameDescriptor.HEADER_LENGTH + fieldsLength,
            FrameDescriptor.payloadChecksum(payload, 0, payloadLength), payloadLength);

        assertThat(head.getInt(FrameDescriptor.CHECKSUM_OFFSET))
            .isEqualTo(contiguous.getInt(FrameDescriptor.CHECKSUM_OFFSET));
    }

    @Test
    void shouldDetectEveryFlippedBit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        writeFrame(buffer, 0, 16, 5);
        FrameDescriptor.writeChecksum(buffer, 0);

        for (int bit = 0; bit < 48 * 8; bit++)
        {
            final int index = bit / 8;
            final byte original = buffer.getByte(index);
            buffer.putByte(index, (byte)(original ^ (1 << (bit % 8))));
            if (index < FrameDescriptor.LENGTH_OFFSET || index >= FrameDescriptor.LENGTH_OFFSET + 4)
            {
                assertThat(FrameDescriptor.verifyChecksumInPlace(buffer, 0)).as("bit %d", bit).isFalse();
            }
            buffer.putByte(index, original);
        }
        assertThat(FrameDescriptor.verifyChecksumInPlace(buffer, 0)).isTrue();
    }

    @Test
    void shouldCheckHeaderAgainstNegotiatedVersionAndLimit()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        writeFrame(buffer, 0, 16, 5);

        assertThat(FrameDescriptor.checkHeader(buffer, 0, 1024)).isNull();
        assertThat(FrameDescriptor.checkHeader(buffer, 0, 1024, 2)).isEqualTo("version=1");
        assertThat(FrameDescriptor.checkHeader(buffer, 0, 40)).startsWith("frameLength=48");
        buffer.putInt(FrameDescriptor.MAGIC_OFFSET, 0);
        assertThat(FrameDescriptor.checkHeader(buffer, 0, 1024)).isEqualTo("magic=0x0");
    }

    private static void writeFrame(final UnsafeBuffer buffer, final int offset, final int bodyLength, final long seed)
    {
        FrameDescriptor.writeHeader(buffer, offset, 42, bodyLength, 3, 99L);
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < bodyLength; i++)
        {
            buffer.putByte(offset + FrameDescriptor.HEADER_LENGTH + i, (byte)random.nextInt());
        }
    }
}
