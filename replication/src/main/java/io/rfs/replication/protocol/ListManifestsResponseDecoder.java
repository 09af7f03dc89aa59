package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDescriptor;
import org.agrona.DirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ListManifestsResponseDescriptor.*;

/**
 * Reads a {@code ListManifestsResponse} body; see {@link ListManifestsResponseDescriptor} and
 * {@link MessageDecoder}. Walk the entries with the reusable {@link Entries} cursor:
 * <pre>{@code
 * final ListManifestsResponseDecoder.Entries entries = decoder.wrap(buffer, offset, length).entries();
 * while (entries.next())
 * {
 *     show(entries.nameOffset(), entries.nameLength(), entries.size());
 * }
 * }</pre>
 */
public final class ListManifestsResponseDecoder extends MessageDecoder
{
    private final Entries entries = new Entries();
    private int entryCount;

    /**
     * Checks: a known status and flags, token length within its limit and the body, entry count 0 to
     * {@link ListManifestsRequestDescriptor#MAX_ENTRIES}, and every entry: within the body, name length 1 to 1024,
     * the file name rules, known flags, size and chunk count in range, a tombstone with neither.
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public ListManifestsResponseDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        entryCount = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        BodyDescriptor.checkRange(name, "status", buffer.getByte(offset + STATUS_OFFSET) & 0xFF, 0, Status.maxCode());
        BodyDescriptor.checkFlags(name, "flags", buffer.getByte(offset + FLAGS_OFFSET) & 0xFF, KNOWN_FLAGS);
        final int tokenLength = pageTokenLength();
        BodyDescriptor.checkRange(
            name, "pageTokenLength", tokenLength, 0, ListManifestsRequestDescriptor.MAX_PAGE_TOKEN_LENGTH);
        BodyDescriptor.checkFits(name, "pageToken", PAGE_TOKEN_OFFSET, tokenLength, length);
        final int count = buffer.getInt(offset + ENTRY_COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(name, "entryCount", count, 0, ListManifestsRequestDescriptor.MAX_ENTRIES);

        int entry = entriesOffset(tokenLength);
        for (int i = 0; i < count; i++)
        {
            entry += checkEntry(name, i, entry, length);
        }
        entryCount = count;
        return this;
    }

    private int checkEntry(final String name, final int index, final int entry, final int length)
        throws MalformedMessageException
    {
        if (entry + ENTRY_BLOCK_LENGTH > length)
        {
            throw new MalformedMessageException(name, "entry[" + index + "] at offset " + entry +
                " runs past bodyLength=" + length);
        }
        final int at = offset + entry;
        final int nameLength = buffer.getShort(at + ENTRY_NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (nameLength < 1 || nameLength > ManifestDescriptor.MAX_NAME_BYTES)
        {
            throw entryError(name, index, "nameLength", nameLength, "outside 1.." + ManifestDescriptor.MAX_NAME_BYTES);
        }
        final int entryLength = entryLength(nameLength);
        if (entry + entryLength > length)
        {
            throw entryError(name, index, "nameLength", nameLength, "runs past bodyLength=" + length);
        }
        BodyDescriptor.checkName(name, "entry.name", buffer, at + ENTRY_NAME_OFFSET, nameLength);
        final int flags = buffer.getByte(at + ENTRY_FLAGS_OFFSET) & 0xFF;
        if ((flags & ~ENTRY_KNOWN_FLAGS) != 0)
        {
            throw entryError(name, index, "flags", flags, "has unknown bits");
        }
        final boolean tombstone = (flags & ENTRY_FLAG_TOMBSTONE) != 0;
        final long size = buffer.getLong(at + ENTRY_SIZE_OFFSET, BYTE_ORDER);
        if (size < 0 || (tombstone && size != 0))
        {
            throw entryError(name, index, "size", size, tombstone ? "must be 0 for a tombstone" : "is negative");
        }
        final int chunkCount = buffer.getInt(at + ENTRY_CHUNK_COUNT_OFFSET, BYTE_ORDER);
        if (chunkCount < 0 || chunkCount > ManifestDescriptor.MAX_CHUNKS || (tombstone && chunkCount != 0))
        {
            throw entryError(name, index, "chunkCount", chunkCount,
                tombstone ? "must be 0 for a tombstone" : "outside 0.." + ManifestDescriptor.MAX_CHUNKS);
        }
        return entryLength;
    }

    private static MalformedMessageException entryError(
        final String name, final int index, final String field, final long value, final String rule)
    {
        return new MalformedMessageException(name, "entry[" + index + "]." + field + "=" + value + ": " + rule);
    }

    public Status status()
    {
        return Status.get(buffer.getByte(offset + STATUS_OFFSET) & 0xFF);
    }

    public boolean hasMore()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_MORE) != 0;
    }

    public int pageTokenLength()
    {
        return buffer.getShort(offset + PAGE_TOKEN_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int pageTokenOffset()
    {
        return offset + PAGE_TOKEN_OFFSET;
    }

    public int entryCount()
    {
        return entryCount;
    }

    /**
     * @return the entry cursor, reset before the first entry; the same object on every call.
     */
    public Entries entries()
    {
        entries.reset();
        return entries;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.LIST_MANIFESTS_RESPONSE;
    }

    /**
     * A cursor over the entries of the wrapped page; accessors read the current entry.
     */
    public final class Entries
    {
        private int index;
        private int entry;
        private int nextEntry;

        void reset()
        {
            index = -1;
            entry = -1;
            nextEntry = offset + entriesOffset(pageTokenLength());
        }

        /**
         * @return true if it moved to another entry, false past the last one.
         */
        public boolean next()
        {
            if (index + 1 >= entryCount)
            {
                return false;
            }
            index++;
            entry = nextEntry;
            nextEntry += entryLength(nameLength());
            return true;
        }

        public int index()
        {
            return index;
        }

        public long size()
        {
            return buffer.getLong(entry + ENTRY_SIZE_OFFSET, BYTE_ORDER);
        }

        public long versionTimestamp()
        {
            return buffer.getLong(entry + ENTRY_VERSION_TIMESTAMP_OFFSET, BYTE_ORDER);
        }

        public int versionNodeId()
        {
            return buffer.getInt(entry + ENTRY_VERSION_NODE_ID_OFFSET, BYTE_ORDER);
        }

        public int chunkCount()
        {
            return buffer.getInt(entry + ENTRY_CHUNK_COUNT_OFFSET, BYTE_ORDER);
        }

        public int sha256Offset()
        {
            return entry + ENTRY_SHA256_OFFSET;
        }

        public boolean isTombstone()
        {
            return (buffer.getByte(entry + ENTRY_FLAGS_OFFSET) & ENTRY_FLAG_TOMBSTONE) != 0;
        }

        public int nameLength()
        {
            return buffer.getShort(entry + ENTRY_NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        }

        public int nameOffset()
        {
            return entry + ENTRY_NAME_OFFSET;
        }

        /**
         * @return the name as a new string.
         */
        public String name()
        {
            return buffer.getStringWithoutLengthUtf8(nameOffset(), nameLength());
        }
    }
}
