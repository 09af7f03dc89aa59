package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.replication.protocol.AppendEntriesDescriptor.*;
import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;

/**
 * Reads an {@code AppendEntries} body; see {@link AppendEntriesDescriptor} and {@link MessageDecoder}. Entries are
 * read by position: {@link #entryOffset(int)} gives where entry {@code i} starts, and the accessors read its fields.
 */
public final class AppendEntriesDecoder extends MessageDecoder
{
    private static final int MAX_INDEXED = MAX_ENTRIES;

    private final int[] entryOffsets = new int[MAX_INDEXED];
    private int count;

    /**
     * Checks every field of the fixed block and every entry: its place in the body, index, term, type and payload
     * length (see {@link AppendEntriesDescriptor}).
     *
     * @param buffer holds the body.
     * @param offset where it starts.
     * @param length body length.
     * @return this.
     * @throws MalformedMessageException naming the first field that is wrong.
     */
    public AppendEntriesDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws MalformedMessageException
    {
        count = 0;
        wrapBlock(buffer, offset, length, BLOCK_LENGTH);
        final String name = messageName();
        final long term = term();
        BodyDescriptor.checkRange(name, "term", term, 1, Long.MAX_VALUE);
        BodyDescriptor.checkRange(name, "prevLogIndex", prevLogIndex(), -1, Long.MAX_VALUE - MAX_ENTRIES);
        BodyDescriptor.checkRange(name, "prevLogTerm", prevLogTerm(), 0, term);
        BodyDescriptor.checkRange(name, "leaderCommit", leaderCommit(), -1, Long.MAX_VALUE);
        final int claimed = buffer.getInt(offset + ENTRY_COUNT_OFFSET, BYTE_ORDER);
        BodyDescriptor.checkRange(name, "entryCount", claimed, 0, MAX_ENTRIES);
        int position = BLOCK_LENGTH;
        long previousTerm = prevLogTerm();
        for (int i = 0; i < claimed; i++)
        {
            BodyDescriptor.checkFits(name, "entry[" + i + "]", position, LogEntryDescriptor.HEADER_LENGTH, length);
            final int at = offset + position;
            final long entryTerm = buffer.getLong(at + LogEntryDescriptor.TERM_OFFSET, BYTE_ORDER);
            BodyDescriptor.checkRange(name, "entry[" + i + "].term", entryTerm, Math.max(1, previousTerm), term);
            final long index = buffer.getLong(at + LogEntryDescriptor.INDEX_OFFSET, BYTE_ORDER);
            final long expected = prevLogIndex() + 1 + i;
            BodyDescriptor.checkRange(name, "entry[" + i + "].index", index, expected, expected);
            final int type = buffer.getInt(at + LogEntryDescriptor.TYPE_OFFSET, BYTE_ORDER);
            if (!LogEntryDescriptor.isKnownType(type))
            {
                throw new MalformedMessageException(name, "entry[" + i + "].type=" + type + " is not known");
            }
            final int payloadLength = buffer.getInt(at + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
            BodyDescriptor.checkRange(name, "entry[" + i + "].payloadLength", payloadLength, 0,
                LogEntryDescriptor.MAX_PAYLOAD_LENGTH);
            final int entryLength = LogEntryDescriptor.encodedLength(payloadLength);
            BodyDescriptor.checkFits(name, "entry[" + i + "]", position, entryLength, length);
            entryOffsets[i] = at;
            position += entryLength;
            previousTerm = entryTerm;
        }
        count = claimed;
        return this;
    }

    public long term()
    {
        return buffer.getLong(offset + TERM_OFFSET, BYTE_ORDER);
    }

    public long prevLogIndex()
    {
        return buffer.getLong(offset + PREV_LOG_INDEX_OFFSET, BYTE_ORDER);
    }

    public long prevLogTerm()
    {
        return buffer.getLong(offset + PREV_LOG_TERM_OFFSET, BYTE_ORDER);
    }

    public long leaderCommit()
    {
        return buffer.getLong(offset + LEADER_COMMIT_OFFSET, BYTE_ORDER);
    }

    public int leaderId()
    {
        return buffer.getInt(offset + LEADER_ID_OFFSET, BYTE_ORDER);
    }

    public int entryCount()
    {
        return count;
    }

    /**
     * @param i entry position, 0 to {@link #entryCount()} - 1.
     * @return where the entry starts in {@link #buffer()}; its layout is {@link LogEntryDescriptor}'s.
     */
    public int entryOffset(final int i)
    {
        Objects.checkIndex(i, count);
        return entryOffsets[i];
    }

    public long entryTerm(final int i)
    {
        return buffer.getLong(entryOffset(i) + LogEntryDescriptor.TERM_OFFSET, BYTE_ORDER);
    }

    public long entryIndex(final int i)
    {
        return buffer.getLong(entryOffset(i) + LogEntryDescriptor.INDEX_OFFSET, BYTE_ORDER);
    }

    public int entryType(final int i)
    {
        return buffer.getInt(entryOffset(i) + LogEntryDescriptor.TYPE_OFFSET, BYTE_ORDER);
    }

    public int entryPayloadLength(final int i)
    {
        return buffer.getInt(entryOffset(i) + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
    }

    public int entryPayloadOffset(final int i)
    {
        return entryOffset(i) + LogEntryDescriptor.HEADER_LENGTH;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.APPEND_ENTRIES;
    }
}
