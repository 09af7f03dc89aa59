package io.rfs.store.chunkstore;

import io.rfs.store.chunk.ChunkId;
import io.rfs.store.chunk.Sha256;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.security.MessageDigest;

/**
 * The per-thread tools a chunk needs on its way in and out: SHA-256, LZ4 compression and bounded decompression,
 * with their scratch buffers. One instance per thread; not thread safe. Reusing it keeps the chunk path free of
 * per-chunk allocation beyond the resulting id.
 * <p>
 * <b>When compression is kept.</b> LZ4 first compresses a probe, the chunk's first {@value #PROBE_BYTES} bytes.
 * If that saves less than {@value #MIN_SAVING_PERCENT}%, the chunk is stored raw and the rest of it is never
 * compressed, so incompressible data (media, archives, encrypted files) costs one small probe instead of a wasted
 * full pass. Otherwise the whole chunk is compressed, and kept only if it too saves at least that much.
 */
public final class ChunkCodec
{
    /** Bytes compressed to decide whether a chunk is worth compressing. */
    public static final int PROBE_BYTES = 32 * 1024;
    /** Compression is kept only if it saves at least this share of the raw size. */
    public static final int MIN_SAVING_PERCENT = 3;

    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    private final MessageDigest sha256;
    private final LZ4Compressor compressor = LZ4.fastCompressor();
    private final LZ4SafeDecompressor decompressor = LZ4.safeDecompressor();
    private byte[] compressed = new byte[0];
    private final byte[] digest = new byte[ChunkId.LENGTH];

    public ChunkCodec()
    {
        sha256 = Sha256.newDigest();
    }

    /**
     * @param raw    chunk bytes.
     * @param length how many.
     * @return the chunk's id: SHA-256 of those bytes.
     */
    public ChunkId hash(final byte[] raw, final int length)
    {
        digest(raw, length);
        return ChunkId.of(digest, 0);
    }

    /**
     * @param raw    chunk bytes.
     * @param length how many.
     * @return true if {@code raw[0..length)} hashes to {@code id}.
     */
    public boolean matches(final ChunkId id, final byte[] raw, final int length)
    {
        digest(raw, length);
        return id.matches(digest, 0);
    }

    private void digest(final byte[] raw, final int length)
    {
        sha256.update(raw, 0, length);
        Sha256.finish(sha256, digest);
    }

    /**
     * Compresses a chunk if that pays.
     *
     * @param raw    chunk bytes.
     * @param length how many.
     * @return the compressed length, held in {@link #compressed()}, or -1 to store the chunk raw.
     */
    public int compress(final byte[] raw, final int length)
    {
        final int maxLength = compressor.maxCompressedLength(length);
        if (compressed.length < maxLength)
        {
            compressed = new byte[maxLength];
        }
        if (length > PROBE_BYTES)
        {
            final int probe = compressor.compress(raw, 0, PROBE_BYTES, compressed, 0, compressed.length);
            if (!saves(probe, PROBE_BYTES))
            {
                return -1;
            }
        }
        final int storedLength = compressor.compress(raw, 0, length, compressed, 0, compressed.length);
        return saves(storedLength, length) ? storedLength : -1;
    }

    /**
     * @return the buffer {@link #compress} wrote to; valid until the next call.
     */
    public byte[] compressed()
    {
        return compressed;
    }

    /**
     * Decompresses exactly {@code rawLength} bytes, never writing past them.
     *
     * @param src       compressed bytes.
     * @param srcLength how many.
     * @param dst       destination, at least {@code rawLength} long.
     * @param rawLength the length recorded at compression.
     * @return true if the data decompressed to exactly {@code rawLength} bytes.
     */
    public boolean decompress(final byte[] src, final int srcLength, final byte[] dst, final int rawLength)
    {
        try
        {
            return decompressor.decompress(src, 0, srcLength, dst, 0, rawLength) == rawLength;
        }
        catch (final LZ4Exception ex)
        {
            return false;
        }
    }

    /**
     * @param minLength a length the caller needs.
     * @return a scratch array of at least that length for compressed bytes on the read path.
     */
    public byte[] scratch(final int minLength)
    {
        if (compressed.length < minLength)
        {
            compressed = new byte[minLength];
        }
        return compressed;
    }

    private static boolean saves(final int storedLength, final int rawLength)
    {
        return (long)storedLength * 100 <= (long)rawLength * (100 - MIN_SAVING_PERCENT);
    }
}
