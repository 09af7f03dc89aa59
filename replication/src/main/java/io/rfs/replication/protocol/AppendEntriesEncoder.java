package io.rfs.replication.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.AppendEntriesDescriptor.*;
import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;

/**
 * Writes an {@code AppendEntries} body; see {@link AppendEntriesDescriptor}. Wrap, set the fields (previous log
 * index first: entries are numbered from it), then add entries in index order.
 */
public final class AppendEntriesEncoder extends MessageEncoder
{
    private int count;
    private int length;

    public AppendEntriesEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        buffer.putLong(offset + PREV_LOG_INDEX_OFFSET, -1, BYTE_ORDER);
        buffer.putLong(offset + LEADER_COMMIT_OFFSET, -1, BYTE_ORDER);
        count = 0;
        length = BLOCK_LENGTH;
        return this;
    }

    public AppendEntriesEncoder term(final long term)
    {
        buffer.putLong(offset + TERM_OFFSET, term, BYTE_ORDER);
        return this;
    }

    public AppendEntriesEncoder prevLogIndex(final long prevLogIndex)
    {
        if (count != 0)
        {
            throw new IllegalStateException("prevLogIndex must be set before entries are added");
        }
        buffer.putLong(offset + PREV_LOG_INDEX_OFFSET, prevLogIndex, BYTE_ORDER);
        return this;
    }

    public AppendEntriesEncoder prevLogTerm(final long prevLogTerm)
    {
        buffer.putLong(offset + PREV_LOG_TERM_OFFSET, prevLogTerm, BYTE_ORDER);
        return this;
    }

    public AppendEntriesEncoder leaderCommit(final long leaderCommit)
    {
        buffer.putLong(offset + LEADER_COMMIT_OFFSET, leaderCommit, BYTE_ORDER);
        return this;
    }

    public AppendEntriesEncoder leaderId(final int leaderId)
    {
        buffer.putInt(offset + LEADER_ID_OFFSET, leaderId, BYTE_ORDER);
        return this;
    }

    /**
     * Appends the next entry; its index is the previous log index plus the entries before it plus one.
     *
     * @param term          the entry's term.
     * @param type          its type, one of {@link LogEntryDescriptor}'s.
     * @param payload       holds the payload.
     * @param payloadOffset where it starts.
     * @param payloadLength its length, 0 to {@link LogEntryDescriptor#MAX_PAYLOAD_LENGTH}.
     * @return this.
     */
    public AppendEntriesEncoder addEntry(
        final long term, final int type, final DirectBuffer payload, final int payloadOffset, final int payloadLength)
    {
        if (count == MAX_ENTRIES)
        {
            throw new IllegalStateException("count=" + count + " is already MAX_ENTRIES");
        }
        if (payloadLength < 0 || payloadLength > LogEntryDescriptor.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("payloadLength=" + payloadLength + " is outside 0.." +
                LogEntryDescriptor.MAX_PAYLOAD_LENGTH);
        }
        final int entryLength = LogEntryDescriptor.encodedLength(payloadLength);
        final int at = offset + length;
        checkRoom(buffer, at, entryLength);
        buffer.setMemory(at, entryLength, (byte)0);
        buffer.putLong(at + LogEntryDescriptor.TERM_OFFSET, term, BYTE_ORDER);
        buffer.putLong(at + LogEntryDescriptor.INDEX_OFFSET, prevLogIndex() + 1 + count, BYTE_ORDER);
        buffer.putInt(at + LogEntryDescriptor.TYPE_OFFSET, type, BYTE_ORDER);
        buffer.putInt(at + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, payloadLength, BYTE_ORDER);
        if (payloadLength > 0)
        {
            buffer.putBytes(at + LogEntryDescriptor.HEADER_LENGTH, payload, payloadOffset, payloadLength);
        }
        length += entryLength;
        buffer.putInt(offset + ENTRY_COUNT_OFFSET, ++count, BYTE_ORDER);
        return this;
    }

    private long prevLogIndex()
    {
        return buffer.getLong(offset + PREV_LOG_INDEX_OFFSET, BYTE_ORDER);
    }

    public int count()
    {
        return count;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.APPEND_ENTRIES;
    }

    @Override
    public int encodedLength()
    {
        return length;
    }
}
