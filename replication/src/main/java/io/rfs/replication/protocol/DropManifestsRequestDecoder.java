package io.rfs.replication.protocol;

import io.rfs.store.manifest.Version;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.DropManifestsRequestDescriptor.*;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_BLOCK_LENGTH;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_FLAGS_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_NAME_LENGTH_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_VERSION_NODE_ID_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_VERSION_TIMESTAMP_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.entryLength;

/**
 * Reads a {@code DropManifestsRequest} body; see {@link DropManifestsRequestDescriptor} and {@link MessageDecoder}.
 * Entries are read by index; their offsets are found once, in {@link #wrap}.
 */
public final class DropManifestsRequestDecoder extends MessageDecoder
{
    private final int[] entryOffsets = new int[MAX_COUNT];
    private int count;

    /**
     * Checks: count 1 to {@link DropManifestsRequestDescriptor#MAX_COUNT}, term not negative, and every entry: within
     * the body, flags zero, name length 1 to 1024, the file name rules.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public DropManifestsRequestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        final int claimed = buffer.getInt(offset + COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(name, "count", claimed, 1, MAX_COUNT);
        BodyDescriptor.checkRange(name, "term", term(), 0, Long.MAX_VALUE);
        int entry = ENTRIES_OFFSET;
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkFits(name, "entry", entry, ENTRY_BLOCK_LENGTH, length);
            final int nameLength = buffer.getShort(offset + entry + ENTRY_NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
            BodyDescriptor.checkRange(name, "entry.nameLength", nameLength, 1, MAX_NAME_BYTES);
            BodyDescriptor.checkFits(name, "entry.name", entry + ENTRY_BLOCK_LENGTH, nameLength, length);
            BodyDescriptor.checkName(name, "entry.name", buffer, offset + entry + ENTRY_BLOCK_LENGTH, nameLength);
            BodyDescriptor.checkFlags(name, "entry.flags",
                buffer.getByte(offset + entry + ENTRY_FLAGS_OFFSET) & 0xFF, 0);
            entryOffsets[i] = offset + entry;
            entry += Math.min(entryLength(nameLength), length - entry);
        }
        count = claimed;
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
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
     * @return the newest version the name may have here to be dropped.
     */
    public Version upTo(final int index)
    {
        final int at = entryOffset(index);
        return new Version(buffer.getLong(at + ENTRY_VERSION_TIMESTAMP_OFFSET, BYTE_ORDER),
            buffer.getInt(at + ENTRY_VERSION_NODE_ID_OFFSET, BYTE_ORDER));
    }

    private int entryOffset(final int index)
    {
        Objects.checkIndex(index, count);
        return entryOffsets[index];
    }

    @Override
    public int messageType()
    {
        return MessageTypes.DROP_MANIFESTS_REQUEST;
    }
}
