package io.rfs.replication.cluster;

import io.rfs.replication.protocol.AppendEntriesDecoder;
import io.rfs.replication.protocol.LogEntryDescriptor;
import io.rfs.store.CorruptStoreException;
import io.rfs.store.log.Disk;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import static io.rfs.replication.cluster.ClusterLogFileDescriptor.*;
import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;

/**
 * The cluster-metadata log of one node: membership and ring changes, each an entry with a term and an index, kept in
 * memory and in an append-only file ({@link ClusterLogFileDescriptor}) that is forced before any caller is told an
 * append happened. The leader appends its own entries ({@link #append}); a follower takes the leader's
 * ({@link #appendFrom}), which may first cut a suffix that conflicts with the leader's log. {@link #commit} moves the
 * commit index and tells the {@link CommittedEntryListener} of each newly committed entry, in order.
 * <p>
 * <b>Size.</b> Membership changes are rare (an operator's command, a node declared gone), so the log is small; it is
 * held in memory whole and never compacted. The commit index is not stored: after a restart it is learnt from the
 * leader again, as in Raft.
 * <p>
 * <b>Threads.</b> The owning agent's only. Appends force the file on the caller's thread; they are rare.
 */
public final class ClusterLog implements AutoCloseable
{
    static final String FILE_NAME = "log";

    private final Path file;
    private final FileChannel channel;
    private final Disk disk;
    private final CommittedEntryListener listener;
    private final List<Entry> entries = new ArrayList<>();
    private final LongArrayList fileOffsets = new LongArrayList();
    private final CRC32C crc = new CRC32C();
    private ByteBuffer writeBuffer = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
    private long fileEnd;
    private long commitIndex = -1;
    private long recoveredTailBytes;
    private long appendResult = -1;

    /**
     * One entry, held in memory.
     */
    public static final class Entry
    {
        private final long term;
        private final long index;
        private final int type;
        private final UnsafeBuffer payload;

        Entry(final long term, final long index, final int type, final byte[] payload)
        {
            this.term = term;
            this.index = index;
            this.type = type;
            this.payload = new UnsafeBuffer(payload);
        }

        public long term()
        {
            return term;
        }

        public long index()
        {
            return index;
        }

        public int type()
        {
            return type;
        }

        /**
         * @return the payload; read it, do not change it.
         */
        public DirectBuffer payload()
        {
            return payload;
        }

        @Override
        public String toString()
        {
            return index + "@" + term + ":" + LogEntryDescriptor.typeName(type) + "(" + payload.capacity() + "B)";
        }
    }

    private ClusterLog(final Path file, final FileChannel channel, final Disk disk,
        final CommittedEntryListener listener)
    {
        this.file = file;
        this.channel = channel;
        this.disk = disk;
        this.listener = listener;
    }

    /**
     * Opens the log file, creating it if absent, and recovers it: the longest valid prefix of records is kept and
     * anything after it (an append a crash interrupted) cut off and forced.
     *
     * @param directory the node's cluster directory, created if absent.
     * @param disk      file system calls.
     * @param listener  told of committed entries.
     * @return the log.
     * @throws CorruptStoreException if the file header is not a cluster log's.
     * @throws IOException           on a failure to read, write or force.
     */
    public static ClusterLog open(final Path directory, final Disk disk, final CommittedEntryListener listener)
        throws IOException
    {
        Files.createDirectories(directory);
        final Path file = directory.resolve(FILE_NAME);
        final boolean created = !Files.exists(file);
        final FileChannel channel = FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        final ClusterLog log = new ClusterLog(file, channel, disk, listener);
        try
        {
            if (created || channel.size() == 0)
            {
                log.writeFileHeader();
                disk.forceDirectory(directory);
            }
            else
            {
                log.recover();
            }
            return log;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    private void writeFileHeader() throws IOException
    {
        final ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0, MAGIC).put(VERSION_OFFSET, VERSION);
        writeFully(header, 0);
        channel.truncate(FILE_HEADER_LENGTH);
        disk.force(file, channel);
        fileEnd = FILE_HEADER_LENGTH;
    }

    private void recover() throws IOException
    {
        final long size = channel.size();
        if (size > Integer.MAX_VALUE)
        {
            throw new CorruptStoreException(file + " is " + size + " bytes; a cluster log is far smaller");
        }
        final ByteBuffer content = ByteBuffer.allocate((int)size).order(ByteOrder.LITTLE_ENDIAN);
        while (content.hasRemaining() && channel.read(content, content.position()) >= 0)
        {
            // reads until full or end of file
        }
        final UnsafeBuffer bytes = new UnsafeBuffer(content.array(), 0, content.position());
        if (bytes.capacity() < FILE_HEADER_LENGTH || bytes.getInt(0, BYTE_ORDER) != MAGIC)
        {
            throw new CorruptStoreException(file + " is not a cluster-metadata log (bad header)");
        }
        if (bytes.getByte(VERSION_OFFSET) != VERSION)
        {
            throw new CorruptStoreException(file + " has version " + bytes.getByte(VERSION_OFFSET) +
                "; this rfs reads version " + VERSION);
        }
        int position = FILE_HEADER_LENGTH;
        long previousTerm = 0;
        while (true)
        {
            final int entryLength = validEntryLength(bytes, position, entries.size(), previousTerm);
            if (entryLength < 0)
            {
                break;
            }
            final int at = position + RECORD_HEADER_LENGTH;
            final long term = bytes.getLong(at + LogEntryDescriptor.TERM_OFFSET, BYTE_ORDER);
            final int payloadLength = bytes.getInt(at + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
            final byte[] payload = new byte[payloadLength];
            bytes.getBytes(at + LogEntryDescriptor.HEADER_LENGTH, payload);
            entries.add(new Entry(term, entries.size(), bytes.getInt(at + LogEntryDescriptor.TYPE_OFFSET, BYTE_ORDER),
                payload));
            fileOffsets.addLong(position);
            previousTerm = term;
            position = at + entryLength;
        }
        fileEnd = position;
        recoveredTailBytes = bytes.capacity() - position;
        if (recoveredTailBytes > 0)
        {
            channel.truncate(position);
            disk.force(file, channel);
        }
    }

    /**
     * @return the entry length of a valid record at {@code position}, or -1 if there is none (end or torn tail).
     */
    private int validEntryLength(
        final UnsafeBuffer bytes, final int position, final long expectedIndex, final long previousTerm)
    {
        if (position + RECORD_HEADER_LENGTH + LogEntryDescriptor.HEADER_LENGTH > bytes.capacity())
        {
            return -1;
        }
        final int entryLength = bytes.getInt(position + ENTRY_LENGTH_OFFSET, BYTE_ORDER);
        final int at = position + RECORD_HEADER_LENGTH;
        if (entryLength < LogEntryDescriptor.HEADER_LENGTH || (entryLength & 7) != 0 ||
            entryLength > bytes.capacity() - at)
        {
            return -1;
        }
        crc.reset();
        crc.update(bytes.byteArray(), at, entryLength);
        if ((int)crc.getValue() != bytes.getInt(position + CHECKSUM_OFFSET, BYTE_ORDER))
        {
            return -1;
        }
        final long term = bytes.getLong(at + LogEntryDescriptor.TERM_OFFSET, BYTE_ORDER);
        final long index = bytes.getLong(at + LogEntryDescriptor.INDEX_OFFSET, BYTE_ORDER);
        final int type = bytes.getInt(at + LogEntryDescriptor.TYPE_OFFSET, BYTE_ORDER);
        final int payloadLength = bytes.getInt(at + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, BYTE_ORDER);
        if (index != expectedIndex || term < Math.max(1, previousTerm) || !LogEntryDescriptor.isKnownType(type) ||
            payloadLength < 0 || payloadLength > LogEntryDescriptor.MAX_PAYLOAD_LENGTH ||
            LogEntryDescriptor.encodedLength(payloadLength) != entryLength)
        {
            return -1;
        }
        return entryLength;
    }

    /**
     * @return bytes cut off the end of the file when it was opened: a torn append, or 0.
     */
    public long recoveredTailBytes()
    {
        return recoveredTailBytes;
    }

    /**
     * @return index of the last entry, -1 if the log is empty.
     */
    public long lastIndex()
    {
        return entries.size() - 1;
    }

    /**
     * @return term of the last entry, 0 if the log is empty.
     */
    public long lastTerm()
    {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).term;
    }

    /**
     * @param index an index, -1 for "before the first entry".
     * @return the entry's term; 0 for -1; -1 if the log has no such entry.
     */
    public long termAt(final long index)
    {
        if (index == -1)
        {
            return 0;
        }
        return index >= 0 && index < entries.size() ? entries.get((int)index).term : -1;
    }

    /**
     * @param index 0 to {@link #lastIndex()}.
     * @return the entry.
     */
    public Entry entry(final long index)
    {
        return entries.get(Math.toIntExact(index));
    }

    /**
     * The election's rule: is a candidate's log at least as up to date as this one? A later last term wins; with
     * the same last term, the longer log.
     *
     * @param lastLogTerm  the candidate's last entry's term.
     * @param lastLogIndex the candidate's last index.
     * @return true if the candidate's log is at least as up to date.
     */
    public boolean isAtLeastAsUpToDate(final long lastLogTerm, final long lastLogIndex)
    {
        final long myTerm = lastTerm();
        return lastLogTerm > myTerm || (lastLogTerm == myTerm && lastLogIndex >= lastIndex());
    }

    /**
     * Appends the leader's own entry and forces it.
     *
     * @param term          the leader's term, at least {@link #lastTerm()}.
     * @param type          the entry type.
     * @param payload       holds the payload.
     * @param offset        where it starts.
     * @param length        its length, 0 to {@link LogEntryDescriptor#MAX_PAYLOAD_LENGTH}.
     * @return the new entry's index.
     * @throws IOException if it could not be made durable; the entry is then not in the log.
     */
    public long append(final long term, final int type, final DirectBuffer payload, final int offset, final int length)
        throws IOException
    {
        if (term < lastTerm() || term < 1)
        {
            throw new IllegalArgumentException("term=" + term + " is below the last entry's term=" + lastTerm());
        }
        if (!LogEntryDescriptor.isKnownType(type))
        {
            throw new IllegalArgumentException("type=" + type + " is not a log entry type");
        }
        if (length < 0 || length > LogEntryDescriptor.MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("length=" + length + " is outside 0.." +
                LogEntryDescriptor.MAX_PAYLOAD_LENGTH);
        }
        final long index = entries.size();
        final byte[] copy = new byte[length];
        payload.getBytes(offset, copy);
        writeEntry(term, index, type, copy);
        disk.force(file, channel);
        entries.add(new Entry(term, index, type, copy));
        return index;
    }

    /**
     * A follower's side of {@code AppendEntries}, after the caller has checked the term: if the log holds the entry
     * before the message's first, with the same term, the message's entries are merged in (an entry with the same
     * index and another term removes that entry and all after it; entries already held are kept, so a repeated or
     * late message removes nothing) and forced. {@link #appendResult()} then says how far the logs match, or where
     * the leader should retry.
     *
     * @param request a decoded, checked request.
     * @return true if the previous entry matched and the entries are in the log, durably.
     * @throws IOException if the change could not be made durable.
     */
    public boolean appendFrom(final AppendEntriesDecoder request) throws IOException
    {
        final long prevIndex = request.prevLogIndex();
        if (prevIndex > lastIndex() || termAt(prevIndex) != request.prevLogTerm())
        {
            appendResult = Math.max(-1, Math.min(lastIndex(), prevIndex - 1));
            return false;
        }
        boolean changed = false;
        for (int i = 0; i < request.entryCount(); i++)
        {
            final long index = request.entryIndex(i);
            final long term = request.entryTerm(i);
            if (index <= lastIndex())
            {
                if (termAt(index) == term)
                {
                    continue;
                }
                if (index <= commitIndex)
                {
                    throw new IllegalStateException("leader term=" + request.term() + " conflicts with committed " +
                        "entry " + entry(index) + " at index=" + index + ": the election's safety is broken");
                }
                truncateFrom(index);
            }
            final byte[] payload = new byte[request.entryPayloadLength(i)];
            request.buffer().getBytes(request.entryPayloadOffset(i), payload);
            writeEntry(term, index, request.entryType(i), payload);
            entries.add(new Entry(term, index, request.entryType(i), payload));
            changed = true;
        }
        if (changed)
        {
            disk.force(file, channel);
        }
        appendResult = prevIndex + request.entryCount();
        return true;
    }

    /**
     * @return after {@link #appendFrom}: on success the last index proved equal to the leader's log (previous index
     * plus entry count); on refusal the index the leader should retry after.
     */
    public long appendResult()
    {
        return appendResult;
    }

    private void truncateFrom(final long index) throws IOException
    {
        final long offset = fileOffsets.getLong((int)index);
        channel.truncate(offset);
        fileEnd = offset;
        while (entries.size() > index)
        {
            entries.remove(entries.size() - 1);
            fileOffsets.removeAt(fileOffsets.size() - 1);
        }
    }

    /**
     * Moves the commit index up (never down) and tells the listener of each entry it passes, in order.
     *
     * @param index the new commit index; capped at {@link #lastIndex()}.
     * @return entries newly committed.
     */
    public int commit(final long index)
    {
        final long target = Math.min(index, lastIndex());
        int count = 0;
        while (commitIndex < target)
        {
            final Entry entry = entries.get((int)(++commitIndex));
            listener.onCommitted(entry.index, entry.term, entry.type, entry.payload, 0, entry.payload.capacity());
            count++;
        }
        return count;
    }

    /**
     * @return the highest committed index this process knows, -1 if none.
     */
    public long commitIndex()
    {
        return commitIndex;
    }

    private void writeEntry(final long term, final long index, final int type, final byte[] payload)
        throws IOException
    {
        final int entryLength = LogEntryDescriptor.encodedLength(payload.length);
        final int recordLength = RECORD_HEADER_LENGTH + entryLength;
        if (writeBuffer.capacity() < recordLength)
        {
            writeBuffer = ByteBuffer.allocateDirect(Integer.highestOneBit(recordLength) << 1)
                .order(ByteOrder.LITTLE_ENDIAN);
        }
        final UnsafeBuffer record = new UnsafeBuffer(writeBuffer, 0, recordLength);
        record.setMemory(0, recordLength, (byte)0);
        final int at = RECORD_HEADER_LENGTH;
        record.putLong(at + LogEntryDescriptor.TERM_OFFSET, term, BYTE_ORDER);
        record.putLong(at + LogEntryDescriptor.INDEX_OFFSET, index, BYTE_ORDER);
        record.putInt(at + LogEntryDescriptor.TYPE_OFFSET, type, BYTE_ORDER);
        record.putInt(at + LogEntryDescriptor.PAYLOAD_LENGTH_OFFSET, payload.length, BYTE_ORDER);
        record.putBytes(at + LogEntryDescriptor.HEADER_LENGTH, payload);
        crc.reset();
        writeBuffer.clear().position(at).limit(at + entryLength);
        crc.update(writeBuffer);
        record.putInt(ENTRY_LENGTH_OFFSET, entryLength, BYTE_ORDER);
        record.putInt(CHECKSUM_OFFSET, (int)crc.getValue(), BYTE_ORDER);
        writeBuffer.clear().limit(recordLength);
        writeFully(writeBuffer, fileEnd);
        fileOffsets.addLong(fileEnd);
        fileEnd += recordLength;
    }

    private void writeFully(final ByteBuffer source, final long position) throws IOException
    {
        long at = position;
        while (source.hasRemaining())
        {
            at += channel.write(source, at);
        }
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }
}
