package io.rfs.replication.protocol;

import io.rfs.store.manifest.Version;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.DropManifestsRequestDescriptor.*;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_BLOCK_LENGTH;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_NAME_LENGTH_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_VERSION_NODE_ID_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.ENTRY_VERSION_TIMESTAMP_OFFSET;
import static io.rfs.replication.protocol.RangeManifestsResponseDescriptor.entryLength;

/**
 * Writes a {@code DropManifestsRequest} body; see {@link DropManifestsRequestDescriptor}. Wrap, set the term, add
 * entries.
 */
public final class DropManifestsRequestEncoder extends MessageEncoder
{
    private int count;
    private int limit;

    public DropManifestsRequestEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        count = 0;
        limit = BLOCK_LENGTH;
        return this;
    }

    public DropManifestsRequestEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    /**
     * @param name    the name's UTF-8 bytes, 1 to 1024 of them.
     * @param upTo    drop the name if the newest version held is this one or older.
     * @return this.
     */
    public DropManifestsRequestEncoder addEntry(final byte[] name, final Version upTo)
    {
        if (count == MAX_COUNT)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_COUNT");
        }
        if (name.length < 1 || name.length > MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException("nameLength=" + name.length + " is outside 1.." + MAX_NAME_BYTES);
        }
        final int entryLength = entryLength(name.length);
        final int entry = offset + limit;
        checkRoom(buffer, entry, entryLength);
        buffer.setMemory(entry, entryLength, (byte)0);
        buffer.putLong(entry + ENTRY_VERSION_TIMESTAMP_OFFSET, upTo.timestamp(), BYTE_ORDER);
        buffer.putInt(entry + ENTRY_VERSION_NODE_ID_OFFSET, upTo.nodeId(), BYTE_ORDER);
        buffer.putShort(entry + ENTRY_NAME_LENGTH_OFFSET, (short)name.length, BYTE_ORDER);
        buffer.putBytes(entry + ENTRY_BLOCK_LENGTH, name);
        limit += entryLength;
        buffer.putInt(offset + COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    public int count()
    {
        return count;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.DROP_MANIFESTS_REQUEST;
    }

    @Override
    public int encodedLength()
    {
        return limit;
    }
}
