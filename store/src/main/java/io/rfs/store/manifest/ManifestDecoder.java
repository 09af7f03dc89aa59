package io.rfs.store.manifest;

import io.rfs.store.chunk.ChunkId;
import org.agrona.DirectBuffer;

import java.util.Objects;

import static io.rfs.store.manifest.ManifestDescriptor.*;

/**
 * A reusable read-only view of an encoded manifest: reads fields in place, so listing files needs no
 * {@link Manifest} and the chunk list of a huge manifest can be walked without building arrays.
 * <pre>{@code
 * final ManifestDecoder decoder = new ManifestDecoder();
 * decoder.wrap(buffer, offset, length);          // verifies everything, allocates nothing
 * for (int i = 0; i < decoder.chunkCount(); i++)
 * {
 *     fetch(decoder.chunkIdOffset(i), decoder.chunkLength(i));
 * }
 * }</pre>
 * {@link #wrap} runs the full {@link ManifestCodec#verify} check, so every accessor afterwards reads valid fields
 * within bounds. The view reads the buffer on every call: the caller must not change those bytes while it uses the
 * view. Accessors of a view that was never wrapped, or whose last wrap failed, throw
 * {@link NullPointerException}. Not thread safe; keep one per thread.
 */
public final class ManifestDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private int nameLength;
    private int chunkCount;
    private int entriesOffset;

    /**
     * Verifies the bytes and points this view at them.
     *
     * @param buffer holding the manifest.
     * @param offset where the manifest starts.
     * @param length bytes the manifest occupies; must be exactly its encoded length.
     * @return this view.
     * @throws CorruptManifestException naming the first field found wrong; the view is then unwrapped.
     * @throws IllegalArgumentException if {@code offset} and {@code length} do not lie within {@code buffer}.
     */
    public ManifestDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
        throws CorruptManifestException
    {
        this.buffer = null;
        this.offset = 0;
        this.length = 0;
        this.nameLength = 0;
        this.chunkCount = 0;
        this.entriesOffset = 0;
        ManifestCodec.verify(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.nameLength = buffer.getShort(offset + NAME_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
        this.chunkCount = buffer.getInt(offset + CHUNK_COUNT_OFFSET, BYTE_ORDER);
        this.entriesOffset = offset + ManifestDescriptor.entriesOffset(nameLength);
        return this;
    }

    /**
     * @return the wrapped buffer.
     */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return where the manifest starts in {@link #buffer()}.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * @return bytes the manifest occupies.
     */
    public int encodedLength()
    {
        return length;
    }

    /**
     * @return the name's length in UTF-8 bytes.
     */
    public int nameLength()
    {
        return nameLength;
    }

    /**
     * @return the file name, decoded into a new string.
     */
    public String name()
    {
        return buffer.getStringWithoutLengthUtf8(offset + HEADER_LENGTH, nameLength);
    }

    /**
     * @return the file's length in bytes.
     */
    public long size()
    {
        return buffer.getLong(offset + SIZE_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the version's hybrid logical clock timestamp, without allocating a {@link Version}.
     */
    public long versionTimestamp()
    {
        return buffer.getLong(offset + TIMESTAMP_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the id of the node that wrote this version, without allocating a {@link Version}.
     */
    public int versionNodeId()
    {
        return buffer.getInt(offset + NODE_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @return this manifest's version, as a new value.
     */
    public Version version()
    {
        return new Version(versionTimestamp(), versionNodeId());
    }

    /**
     * @return true if this manifest is a delete.
     */
    public boolean isTombstone()
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & FLAG_TOMBSTONE) != 0;
    }

    /**
     * Copies the whole-file SHA-256.
     *
     * @param dst       destination, with room for {@link ManifestDescriptor#SHA256_LENGTH} bytes at
     *                  {@code dstOffset}.
     * @param dstOffset where to copy to.
     */
    public void getSha256(final byte[] dst, final int dstOffset)
    {
        buffer.getBytes(offset + SHA256_OFFSET, dst, dstOffset, SHA256_LENGTH);
    }

    /**
     * @return number of chunks, 0 to {@link ManifestDescriptor#MAX_CHUNKS}.
     */
    public int chunkCount()
    {
        return chunkCount;
    }

    /**
     * Where a chunk's 32-byte id lies in {@link #buffer()}, for {@link ChunkId#matches(DirectBuffer, int)} or a
     * copy without allocating a {@link ChunkId}.
     *
     * @param index chunk position in file order.
     * @return offset of its id in {@link #buffer()}.
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < chunkCount()}.
     */
    public int chunkIdOffset(final int index)
    {
        return entryOffset(index) + ENTRY_CHUNK_ID_OFFSET;
    }

    /**
     * @param index chunk position in file order.
     * @return that chunk's id, as a new value.
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < chunkCount()}.
     */
    public ChunkId chunkId(final int index)
    {
        return ChunkId.read(buffer, chunkIdOffset(index));
    }

    /**
     * @param index chunk position in file order.
     * @return that chunk's uncompressed length, always positive.
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < chunkCount()}.
     */
    public int chunkLength(final int index)
    {
        return buffer.getInt(entryOffset(index) + ENTRY_RAW_LENGTH_OFFSET, BYTE_ORDER);
    }

    /**
     * Builds the full value; verifies the bytes again, since they may have changed since {@link #wrap}.
     *
     * @return a full {@link Manifest} decoded from the wrapped bytes.
     * @throws CorruptManifestException as {@link ManifestCodec#decode} does.
     */
    public Manifest toManifest() throws CorruptManifestException
    {
        return ManifestCodec.decode(buffer, offset, length);
    }

    @Override
    public String toString()
    {
        return buffer == null ? "ManifestDecoder{unwrapped}" :
            "ManifestDecoder{name=" + name() + ", size=" + size() + ", chunks=" + chunkCount + ", version=" +
            version() + (isTombstone() ? ", tombstone" : "") + '}';
    }

    private int entryOffset(final int index)
    {
        Objects.checkIndex(index, chunkCount);
        return entriesOffset + index * ENTRY_LENGTH;
    }
}
