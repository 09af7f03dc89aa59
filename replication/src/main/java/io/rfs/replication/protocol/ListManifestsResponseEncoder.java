package io.rfs.replication.protocol;

import io.rfs.store.manifest.ManifestDecoder;
import io.rfs.store.manifest.ManifestDescriptor;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static io.rfs.replication.protocol.BodyDescriptor.BYTE_ORDER;
import static io.rfs.replication.protocol.ListManifestsResponseDescriptor.*;

/**
 * Writes a {@code ListManifestsResponse} body; see {@link ListManifestsResponseDescriptor}. Wrap, set the status,
 * flag and next page token, then add entries; the token cannot change once an entry is added.
 */
public final class ListManifestsResponseEncoder extends MessageEncoder
{
    private int entryCount;
    private int limit;

    public ListManifestsResponseEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        wrapBlock(buffer, offset, BLOCK_LENGTH);
        entryCount = 0;
        limit = BLOCK_LENGTH;
        return this;
    }

    public ListManifestsResponseEncoder status(final Status status)
    {
        buffer.putByte(offset + STATUS_OFFSET, (byte)status.code());
        return this;
    }

    public ListManifestsResponseEncoder more(final boolean more)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)(more ? FLAG_MORE : 0));
        return this;
    }

    /**
     * @param src       holds the token the requester sends to get the next page.
     * @param srcOffset where it starts.
     * @param length    0 to {@link ListManifestsRequestDescriptor#MAX_PAGE_TOKEN_LENGTH}.
     * @return this.
     */
    public ListManifestsResponseEncoder nextPageToken(final DirectBuffer src, final int srcOffset, final int length)
    {
        if (entryCount > 0)
        {
            throw new IllegalStateException("the page token must be set before the first entry");
        }
        if (length < 0 || length > ListManifestsRequestDescriptor.MAX_PAGE_TOKEN_LENGTH)
        {
            throw new IllegalArgumentException("pageTokenLength=" + length + " is outside 0.." +
                ListManifestsRequestDescriptor.MAX_PAGE_TOKEN_LENGTH);
        }
        final int entriesOffset = entriesOffset(length);
        checkRoom(buffer, offset, entriesOffset);
        buffer.putShort(offset + PAGE_TOKEN_LENGTH_OFFSET, (short)length, BYTE_ORDER);
        buffer.putBytes(offset + PAGE_TOKEN_OFFSET, src, srcOffset, length);
        buffer.setMemory(offset + PAGE_TOKEN_OFFSET + length, entriesOffset - BLOCK_LENGTH - length, (byte)0);
        limit = entriesOffset;
        return this;
    }

    /**
     * Adds the stat of an encoded manifest, read in place: allocation-free.
     *
     * @param manifest a wrapped manifest view.
     * @return this.
     */
    public ListManifestsResponseEncoder addEntry(final ManifestDecoder manifest)
    {
        final DirectBuffer src = manifest.buffer();
        return addEntry(
            src, manifest.offset() + ManifestDescriptor.HEADER_LENGTH, manifest.nameLength(), manifest.size(),
            manifest.versionTimestamp(), manifest.versionNodeId(), manifest.chunkCount(),
            src, manifest.offset() + ManifestDescriptor.SHA256_OFFSET, manifest.isTombstone());
    }

    /**
     * Adds one entry.
     *
     * @param nameSrc          holds the name's UTF-8 bytes.
     * @param nameOffset       where they start.
     * @param nameLength       1 to 1024.
     * @param size             file size.
     * @param versionTimestamp version's HLC timestamp.
     * @param versionNodeId    version's writer.
     * @param chunkCount       number of chunks.
     * @param sha256Src        holds the 32-byte whole-file SHA-256.
     * @param sha256Offset     where it starts.
     * @param tombstone        the version is a delete.
     * @return this.
     */
    public ListManifestsResponseEncoder addEntry(
        final DirectBuffer nameSrc,
        final int nameOffset,
        final int nameLength,
        final long size,
        final long versionTimestamp,
        final int versionNodeId,
        final int chunkCount,
        final DirectBuffer sha256Src,
        final int sha256Offset,
        final boolean tombstone)
    {
        if (entryCount == ListManifestsRequestDescriptor.MAX_ENTRIES)
        {
            throw new IllegalStateException("entryCount=" + entryCount + " is already MAX_ENTRIES");
        }
        if (nameLength < 1 || nameLength > ManifestDescriptor.MAX_NAME_BYTES)
        {
            throw new IllegalArgumentException(
                "nameLength=" + nameLength + " is outside 1.." + ManifestDescriptor.MAX_NAME_BYTES);
        }
        if (limit == BLOCK_LENGTH)
        {
            limit = entriesOffset(0);
        }
        final int entryLength = entryLength(nameLength);
        final int entry = offset + limit;
        checkRoom(buffer, entry, entryLength);
        buffer.setMemory(entry, entryLength, (byte)0);
        buffer.putLong(entry + ENTRY_SIZE_OFFSET, size, BYTE_ORDER);
        buffer.putLong(entry + ENTRY_VERSION_TIMESTAMP_OFFSET, versionTimestamp, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_VERSION_NODE_ID_OFFSET, versionNodeId, BYTE_ORDER);
        buffer.putInt(entry + ENTRY_CHUNK_COUNT_OFFSET, chunkCount, BYTE_ORDER);
        buffer.putBytes(entry + ENTRY_SHA256_OFFSET, sha256Src, sha256Offset, SHA256_LENGTH);
        buffer.putByte(entry + ENTRY_FLAGS_OFFSET, (byte)(tombstone ? ENTRY_FLAG_TOMBSTONE : 0));
        buffer.putShort(entry + ENTRY_NAME_LENGTH_OFFSET, (short)nameLength, BYTE_ORDER);
        buffer.putBytes(entry + ENTRY_NAME_OFFSET, nameSrc, nameOffset, nameLength);
        limit += entryLength;
        buffer.putInt(offset + ENTRY_COUNT_OFFSET, ++entryCount, BYTE_ORDER);
        return this;
    }

    public int entryCount()
    {
        return entryCount;
    }

    @Override
    public int messageType()
    {
        return MessageTypes.LIST_MANIFESTS_RESPONSE;
    }

    @Override
    public int encodedLength()
    {
        return limit;
    }
}
