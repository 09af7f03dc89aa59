package io.rfs.replication.protocol;

import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.*;

/**
 * Reads a {@code RangeManifestsResponse} body; see {@link RangeManifestsResponseDescriptor} and
 * {@link MessageDecoder}. Entries are read by index; their offsets are found once, in {@link #wrap}.
 */
public final class RangeManifestsResponseDecoder extends MessageDecoder
{
    private final int[] entryOffsets = new int[MAX_ENTRIES];
    private int count;
    private Status status;

    /**
     * Checks: a known status and flags, count 0 to {@link RangeManifestsResponseDescriptor#MAX_ENTRIES} (0 unless
     * {@code OK}), and every entry: within the body, known flags, name length 1 to 1024, the file name rules.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public RangeManifestsResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        final int code = buffer.getByte(offset + STATUS_OFFSET) & 0xFF;
        BodyDescriptor.checkRange(name, "status", code, 0, Status.maxCode());
        status = Status.get(code);
        BodyDescriptor.checkFlags(name, "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(name, "count", claimed, 0, status == Status.OK ? MAX_ENTRIES : 0);
        int entry = BLOCK_LENGTH;
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkFits(name, "entry", entry, ENTRY_BLOCK_LENGTH, length);
            final int nameLength = buffer.getShort(offset + entry + ENTRY_NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
            BodyDescriptor.checkRange(name, "entry.nameLength", nameLength, 1, MAX_NAME_BYTES);
            BodyDescriptor.checkFits(name, "entry.name", entry + ENTRY_BLOCK_LENGTH, nameLength, length);
            BodyDescriptor.checkName(name, "entry.name", buffer, offset + entry + ENTRY_BLOCK_LENGTH,
                nameLength);
            BodyDescriptor.checkFlags(name, "entry.flags",
                buffer.getByte(offset + entry + ENTRY_FLAGS_OFFSET) & 0xFF, ENTRY_KNOWN_FLAGS);
            entryOffsets[i] = offset + entry;
            entry += Math.min(entryLength(nameLength), length - entry);
        }
        count = claimed;
        return this;
    }

    public long ringFingerprint()
    {
        return buffer.getLong(offset + RING_FINGERPRINT_OFFSET, BYTE_ORDER);
    }

    public Status status()
    {
        return status;
    }

    public boolean hasMore()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_MORE) != 0;
    }

    public int count()
    {
        return count;
    }

    /**
     * @param index an entry.
     * @return its name.
     */
    public String name(final int index)
    {
        final int at = entryOffset(index);
        return buffer.getStringWithoutLengthUtf8(at + ENTRY_BLOCK_LENGTH,
            buffer.getShort(at + ENTRY_NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF);
    }

    /**
     * @param index an entry.
     * @return the version of the newest manifest the node holds of its name.
     */
    public Version version(final int index)
    {
        final int at = entryOffset(index);
        return new Version(buffer.getLong(at + ENTRY_VERSION_TIMESTAMP_OFFSET, BYTE_ORDER),
            buffer.getInt(at + ENTRY_VERSION_NODE_ID_OFFSET, BYTE_ORDER));
    }

    /**
     * @param index an entry.
     * @return true if that version is a delete.
     */
    public boolean tombstone(final int index)
    {
        return (buffer.getByte(entryOffset(index) + ENTRY_FLAGS_OFFSET) & ENTRY_FLAG_TOMBSTONE) != 0;
    }

    private int entryOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return entryOffsets[index];
    }

    @Override
    public int messageType()
    {
        return MessageTypes.RANGE_MANIFESTS_RESPONSE;
    }
}
