package io.rfs.replication.transport.tcp;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;

import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * A reusable direct {@link ByteBuffer} that can be pointed at any range of native memory, so that a payload known
 * only by its address (an {@code UnsafeBuffer} over a mapped segment has no {@code ByteBuffer}) can be handed to
 * {@code SocketChannel.write} or {@code SSLEngine.wrap} without copying and without allocating a buffer per message.
 * <p>
 * It sets the address and capacity fields of one {@code DirectByteBuffer} it owns, as JNI's
 * {@code NewDirectByteBuffer} would for a new one; the buffer's own allocation is freed by its cleaner as usual,
 * since the cleaner holds the original address. The memory pointed at must stay valid while the view is used.
 * Used by one thread.
 */
final class AddressByteBuffer
{
    private static final long CAPACITY_FIELD_OFFSET = UnsafeApi.objectFieldOffset(Buffer.class, "capacity");

    private final ByteBuffer view = ByteBuffer.allocateDirect(1);
    private final long ownAddress = BufferUtil.address(view);

    /**
     * @param address first byte.
     * @param length  bytes.
     * @return the view over {@code [address, address + length)}, position 0, limit {@code length}.
     */
    ByteBuffer wrap(final long address, final int length)
    {
        UnsafeApi.putLong(view, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, address);
        UnsafeApi.putInt(view, CAPACITY_FIELD_OFFSET, length);
        view.clear();
        return view;
    }

    /**
     * Points the view back at its own byte, so that no stale address survives the range it was lent.
     */
    void reset()
    {
        wrap(ownAddress, 1);
    }
}
