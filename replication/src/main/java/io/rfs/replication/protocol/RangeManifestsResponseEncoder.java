package io.rfs.replication.protocol;

import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.*;

/**
 * Writes a {@code RangeManifestsResponse} body; see {@link RangeManifestsResponseDescriptor}.
 */
public final class RangeManifestsResponseEncoder extends MessageEncoder
{
    private int count;
    private int limit;

    public RangeManifestsResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        limit = BLOCK_LENGTH;
        return this;
    }

    public RangeManifestsResponseEncoder ringFingerprint(final long fingerprint)
    {
        buffer.putLong(offset + RING_FINGERPRINT_OFFSET, fingerprint, BYTE_ORDER);
        return this;
    }

    public RangeManifestsResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public RangeManifestsResponseEncoder more(final boolean more)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(more ? FLAG_MORE : 0));
        return this;
    }

    /**
     * @param name             the name's UTF-8 bytes, 1 to 1024.
     * @param versionTimestamp the newest version's HLC timestamp.
     * @param versionNodeId    its writer.
     * @param tombstone        whether it is a delete.
     * @return this.
     */
    public RangeManifestsResponseEncoder addEntry(
        final byte[] name, final long versionTimestamp, final int versionNodeId, final boolean tombstone)
    {
        if (count == MAX_ENTRIES)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_ENTRIES");
        }
        if (name.length < 1 || name.length > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("nameLength=" + name.length + " is outside 1.." + MAX_NAME_BYTES);
        }
        final int entryLength = entryLength(name.length);
        final int entry = offset + limit;
        checkRoom(buffer, entry, entryLength);
        buffer.setMemory(entry, entryLength, (byte)0);
        buffer.putLong(entry + ENTRY_VERSION_TIMESTAMP_OFFSET, versionTimestamp, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_VERSION_NODE_ID_OFFSET, versionNodeId, BYTE_ORDER);
        buffer.putByte(entry + ENTRY_FLAGS_OFFSET, (byte)(tombstone ? ENTRY_FLAG_TOMBSTONE : 0));
        buffer.putShort(entry + ENTRY_NAME_LENGTH_OFFSET, (short)name.length, BYTE_ORDER);
        buffer.putBytes(entry + ENTRY_BLOCK_LENGTH, name);
        limit += entryLength;
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_MANIFESTS_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return limit;
    }
}
