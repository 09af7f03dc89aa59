package io.rfs.store.manifest;

import io.rfs.store.FileName;
import io.rfs.store.InvalidNameException;
import io.rfs.store.chunk.ChunkId;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static io.rfs.store.manifest.ManifestDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class ManifestCodecTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final Version VERSION = new Version(0x0123_4567_89AB_CDEFL, 7);

    @Test
    void shouldRoundTripEmptyFile() throws Exception
    {
        roundTrip(new Manifest("empty", 0, Manifest.EMPTY_SHA256.clone(), new ChunkId[0], new int[0], VERSION, false));
    }

    @Test
    void shouldRoundTripOneChunk() throws Exception
    {
        final Manifest manifest = manifest("docs/one.bin", new int[]{ 65536 }, new SplittableRandom(1));

        final UnsafeBuffer buffer = roundTrip(manifest);

        assertThat(ManifestCodec.encodedLength(manifest)).isEqualTo(HEADER_LENGTH + 16 + ENTRY_LENGTH);
        assertThat(buffer.capacity()).isEqualTo(HEADER_LENGTH + 16 + ENTRY_LENGTH);
    }

    @Test
    void shouldRoundTripManyChunks() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(2);
        final int[] lengths = new int[50_000];
        for (int i = 0; i < lengths.length; i++)
        {
            lengths[i] = 1 + random.nextInt(Integer.MAX_VALUE);
        }

        roundTrip(manifest("big/file", lengths, random));
    }

    @Test
    void shouldRoundTripTombstone() throws Exception
    {
        final UnsafeBuffer buffer = roundTrip(Manifest.tombstone("gone/file.txt", new Version(-1L, Integer.MIN_VALUE)));

        assertThat(buffer.getByte(FLAGS_OFFSET)).isEqualTo((byte)FLAG_TOMBSTONE);
        assertThat(decode(buffer).isTombstone()).isTrue();
        assertThat(decode(buffer).chunkCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D\uDE00", "語", "é", "x"})
    void shouldRoundTripUnicodeNamesOfExactly1024Bytes(final String unit) throws Exception
    {
        final int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        final String name = unit.repeat(MAX_NAME_BYTES / unitBytes) + "y".repeat(MAX_NAME_BYTES % unitBytes);
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_NAME_BYTES);

        final UnsafeBuffer buffer = roundTrip(manifest(name, new int[]{ 1, 2, 3 }, new SplittableRandom(3)));

        assertThat(buffer.getShort(NAME_LENGTH_OFFSET, LE)).isEqualTo((short)MAX_NAME_BYTES);
        assertThat(buffer.capacity()).isEqualTo(HEADER_LENGTH + MAX_NAME_BYTES + 3 * ENTRY_LENGTH);
    }

    @Test
    void shouldRoundTripRandomManifests() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 2_000; i++)
        {
            final Manifest manifest = randomManifest(random);
            final int offset = random.nextInt(64);
            final int length = ManifestCodec.encodedLength(manifest);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + length + random.nextInt(64)]);
            fillRandom(buffer, random);

            assertThat(ManifestCodec.encode(manifest, buffer, offset)).as(seed(i)).isEqualTo(length);

            assertSameManifest(ManifestCodec.decode(buffer, offset, length), manifest, seed(i));
            final ManifestDecoder decoder = new ManifestDecoder().wrap(buffer, offset, length);
            assertDecoderShows(decoder, manifest, seed(i));
        }
    }

    @Test
    void shouldWriteOnlyWithinTheEncodedRange() throws Exception
    {
        final Manifest manifest = manifest("a/b/c", new int[]{ 10, 20 }, new SplittableRandom(4));
        final int length = ManifestCodec.encodedLength(manifest);
        final byte[] bytes = new byte[length + 40];
        Arrays.fill(bytes, (byte)0x5A);

        ManifestCodec.encode(manifest, new UnsafeBuffer(bytes), 13);

        for (int i = 0; i < bytes.length; i++)
        {
            if (i < 13 || i >= 13 + length)
            {
                assertThat(bytes[i]).as("byte %d", i).isEqualTo((byte)0x5A);
            }
        }
        assertThat(ManifestCodec.decode(new UnsafeBuffer(bytes), 13, length).name()).isEqualTo("a/b/c");
    }

    @Test
    void shouldEncodeIntoExpandableBuffer() throws Exception
    {
        final Manifest manifest = manifest("grow", new int[2000], null);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(16);

        final int length = ManifestCodec.encode(manifest, buffer, 8);

        assertSameManifest(ManifestCodec.decode(buffer, 8, length), manifest, "expandable");
    }

    @Test
    void shouldMatchTheDocumentedLayout() throws Exception
    {
        final byte[] sha = new byte[32];
        final byte[] id = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            sha[i] = (byte)i;
            id[i] = (byte)(0xA0 + i);
        }
        final Manifest manifest = new Manifest(
            "héllo", 300, sha, new ChunkId[]{ ChunkId.of(id) }, new int[]{ 300 }, new Version(0x1122334455667788L, 9),
            false);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ManifestCodec.encodedLength(manifest)]);

        ManifestCodec.encode(manifest, buffer, 0);

        final String expected =
            "5246534d" + "01" + "00" + "0600" +                     // magic 'RFSM', version 1, flags, name length 6
            "8877665544332211" +                                     // version timestamp
            "09000000" + "01000000" +                                // node id 9, chunk count 1
            "2c01000000000000" +                                     // size 300
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" +
            "68c3a96c6c6f" + "0000" +                                // "héllo", padding to 72
            "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" +
            "2c010000" + "00000000";                                 // raw length 300, reserved
        final byte[] actual = new byte[buffer.capacity()];
        buffer.getBytes(0, actual);
        assertThat(HexFormat.of().formatHex(actual)).isEqualTo(expected);
    }

    @Test
    void shouldFitTheLargestManifestInOneSegmentRecord()
    {
        assertThat((long)MAX_CHUNKS * 1024 * 1024).isEqualTo(1L << 40);
        assertThat(ManifestDescriptor.encodedLength(MAX_NAME_BYTES, MAX_CHUNKS))
            .isEqualTo(HEADER_LENGTH + MAX_NAME_BYTES + (long)MAX_CHUNKS * ENTRY_LENGTH)
            .isLessThanOrEqualTo(io.rfs.store.log.RecordDescriptor.MAX_PAYLOAD_LENGTH);
        assertThat(ManifestDescriptor.entriesOffset(1)).isEqualTo(72);
        assertThat(ManifestDescriptor.entriesOffset(8)).isEqualTo(72);
        assertThat(ManifestDescriptor.entriesOffset(9)).isEqualTo(80);
    }

    @Test
    void shouldReadFieldsInPlaceWithDecoder() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(5);
        final Manifest first = manifest("list/a", new int[]{ 5, 6, 7 }, random);
        final Manifest second = Manifest.tombstone("list/b", VERSION);
        final ManifestDecoder decoder = new ManifestDecoder();

        final UnsafeBuffer firstBuffer = encode(first);
        decoder.wrap(firstBuffer, 0, firstBuffer.capacity());
        assertDecoderShows(decoder, first, "first");
        assertThat(first.chunkId(1).matches(decoder.buffer(), decoder.chunkIdOffset(1))).isTrue();
        assertThat(decoder.toManifest().name()).isEqualTo("list/a");
        assertThatThrownBy(() -> decoder.chunkLength(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> decoder.chunkId(-1)).isInstanceOf(IndexOutOfBoundsException.class);

        final UnsafeBuffer secondBuffer = encode(second);
        decoder.wrap(secondBuffer, 0, secondBuffer.capacity());
        assertDecoderShows(decoder, second, "second");

        secondBuffer.putInt(0, 0);
        assertThatThrownBy(() -> decoder.wrap(secondBuffer, 0, secondBuffer.capacity()))
            .isInstanceOf(CorruptManifestException.class);
        assertThat(decoder.chunkCount()).isZero();
        assertThatThrownBy(decoder::name).isInstanceOf(NullPointerException.class);
    }

    @Test
    void shouldRejectBadMagic() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putInt(MAGIC_OFFSET, 0x12345678, LE);

        assertCorrupt(buffer, "magic=0x12345678");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 255})
    void shouldRejectUnknownFormatVersion(final int formatVersion) throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putByte(FORMAT_VERSION_OFFSET, (byte)formatVersion);

        assertCorrupt(buffer, "formatVersion=" + formatVersion + " is not supported");
    }

    @Test
    void shouldRejectUnknownVersionEvenWhenShorterThanTheHeader()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[PREAMBLE_LENGTH]);
        buffer.putInt(MAGIC_OFFSET, MAGIC, LE);
        buffer.putByte(FORMAT_VERSION_OFFSET, (byte)2);

        assertCorrupt(buffer, "formatVersion=2");
    }

    @ParameterizedTest
    @ValueSource(ints = {1025, 0xFFFF, 0})
    void shouldRejectBadNameLength(final int nameLength) throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putShort(NAME_LENGTH_OFFSET, (short)nameLength, LE);

        assertCorrupt(buffer, "nameLength=" + nameLength + " is outside 1..1024");
    }

    @ParameterizedTest
    @ValueSource(ints = {MAX_CHUNKS + 1, Integer.MAX_VALUE, -1, Integer.MIN_VALUE})
    void shouldRejectChunkCountOutOfRange(final int chunkCount) throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putInt(CHUNK_COUNT_OFFSET, chunkCount, LE);

        assertCorrupt(buffer, "chunkCount=" + chunkCount + " is outside 0.." + MAX_CHUNKS);
    }

    @Test
    void shouldRejectChunkCountBeyondTheBytesGiven() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putInt(CHUNK_COUNT_OFFSET, MAX_CHUNKS, LE);

        assertCorrupt(buffer, "truncated: length=" + buffer.capacity() + " but nameLength=");
    }

    @Test
    void shouldRejectSizeMismatch() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        final long size = buffer.getLong(SIZE_OFFSET, LE);
        buffer.putLong(SIZE_OFFSET, size + 1, LE);

        assertCorrupt(buffer, "size=" + (size + 1) + " but the chunk lengths sum to " + size);
    }

    @Test
    void shouldRejectNegativeSizeOfEmptyFile() throws Exception
    {
        final UnsafeBuffer buffer = encode(Manifest.tombstone("t", VERSION));
        buffer.putLong(SIZE_OFFSET, -1, LE);

        assertCorrupt(buffer, "size=-1 but the chunk lengths sum to 0");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void shouldRejectChunkLengthThatIsNotPositive(final int rawLength) throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        final int nameLength = buffer.getShort(NAME_LENGTH_OFFSET, LE);
        buffer.putInt(entryOffset(nameLength, 1) + ENTRY_RAW_LENGTH_OFFSET, rawLength, LE);

        assertCorrupt(buffer, "chunkLength[1]=" + rawLength + " must be positive");
    }

    @Test
    void shouldRejectEveryTruncation() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        for (int length = 0; length < buffer.capacity(); length++)
        {
            assertCorrupt(new UnsafeBuffer(buffer, 0, length), "truncated: length=" + length);
        }
    }

    @Test
    void shouldRejectTrailingBytes() throws Exception
    {
        final UnsafeBuffer valid = validEncoding();
        final UnsafeBuffer longer = new UnsafeBuffer(new byte[valid.capacity() + 8]);
        longer.putBytes(0, valid, 0, valid.capacity());

        assertCorrupt(longer, "(trailing bytes)");
    }

    @Test
    void shouldRejectTombstoneWithChunks() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putByte(FLAGS_OFFSET, (byte)FLAG_TOMBSTONE);

        assertCorrupt(buffer, "chunkCount=3 but a tombstone has no chunks");
    }

    @Test
    void shouldRejectUnknownFlags() throws Exception
    {
        final UnsafeBuffer buffer = validEncoding();
        buffer.putByte(FLAGS_OFFSET, (byte)0x80);

        assertCorrupt(buffer, "flags=0x80 has unknown bits set");
    }

    @Test
    void shouldRejectNonZeroPaddingAndReserved() throws Exception
    {
        final UnsafeBuffer padded = encode(manifest("abc", new int[]{ 1 }, new SplittableRandom(6)));
        padded.putByte(HEADER_LENGTH + 3 + 2, (byte)1);
        assertCorrupt(padded, "padding[2]=0x1, must be zero");

        final UnsafeBuffer reserved = validEncoding();
        final int nameLength = reserved.getShort(NAME_LENGTH_OFFSET, LE);
        reserved.putInt(entryOffset(nameLength, 2) + ENTRY_RESERVED_OFFSET, -1, LE);
        assertCorrupt(reserved, "chunkReserved[2]=0xffffffff, must be zero");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ff", "c0af", "e080af", "eda080", "f4908080", "f8888080", "80", "c3", "e0a0", "61c328", "f09f9880e0"})
    void shouldRejectNameThatIsNotUtf8(final String hex) throws Exception
    {
        assertCorrupt(withNameBytes(HexFormat.of().parseHex(hex)), "name is not valid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", "a/./b", "a/..", "../a", "a\0b"})
    void shouldRejectNameThatFileNameRefuses(final String name) throws Exception
    {
        assertThatThrownBy(() -> FileName.validate(name)).isInstanceOf(InvalidNameException.class);

        final UnsafeBuffer buffer = withNameBytes(name.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> ManifestCodec.decode(buffer, 0, buffer.capacity()))
            .isInstanceOf(CorruptManifestException.class)
            .hasMessageStartingWith("corrupt manifest: name has a");
    }

    @Test
    void shouldAgreeWithFileNameOnRandomNameBytes() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[] alphabet = HexFormat.of().parseHex("00612e2f80bfc2c3dfe0e1edeff0f4f5ff9fa0");
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] name = new byte[1 + random.nextInt(8)];
            for (int j = 0; j < name.length; j++)
            {
                name[j] = alphabet[random.nextInt(alphabet.length)];
            }
            final UnsafeBuffer buffer = withNameBytes(name);
            final boolean fileNameAccepts = acceptsAsFileName(name);

            boolean verified = true;
            try
            {
                ManifestCodec.verify(buffer, 0, buffer.capacity());
            }
            catch (final CorruptManifestException ex)
            {
                verified = false;
            }
            assertThat(verified).as("%s name=%s", seed(i), HexFormat.of().formatHex(name)).isEqualTo(fileNameAccepts);
        }
    }

    @Test
    void shouldRefuseToEncodeWhatDecodeWouldRefuse()
    {
        final SplittableRandom random = new SplittableRandom(7);
        final ChunkId id = randomChunkId(random);
        final byte[] sha = new byte[32];

        assertEncodeRefused(manifest("x".repeat(1025), new int[0], random), "1025 bytes in UTF-8");
        assertEncodeRefused(manifest("語".repeat(342), new int[0], random), "bytes in UTF-8, outside 1..1024");
        assertEncodeRefused(manifest("", new int[0], random), "0 bytes in UTF-8");
        assertEncodeRefused(manifest("a\uD800b", new int[0], random), "lone surrogate at index 1");
        assertEncodeRefused(manifest("a/../b", new int[0], random), "'..' segment");
        assertEncodeRefused(manifest("a\0", new int[0], random), "NUL byte at index 1");
        assertEncodeRefused(
            new Manifest("t", 1, sha, new ChunkId[]{ id }, new int[]{ 1 }, VERSION, true),
            "tombstone with chunkCount=1");
        assertEncodeRefused(
            new Manifest("z", 0, sha, new ChunkId[]{ id }, new int[]{ 0 }, VERSION, false), "chunkLength[0]=0");
    }

    @Test
    void shouldRefuseToEncodeIntoTooSmallBuffer()
    {
        final Manifest manifest = manifest("small", new int[]{ 1 }, new SplittableRandom(8));
        final int length = ManifestCodec.encodedLength(manifest);

        assertThatThrownBy(() -> ManifestCodec.encode(manifest, new UnsafeBuffer(new byte[length + 3]), 4))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("does not fit capacity=" + (length + 3));
        assertThatThrownBy(() -> ManifestCodec.encode(manifest, new UnsafeBuffer(new byte[length]), -1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRefuseRangeOutsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);

        assertThatThrownBy(() -> ManifestCodec.decode(buffer, 90, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestCodec.decode(buffer, -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestCodec.decode(buffer, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ManifestCodec.decode(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldOnlyDecodeOrThrowCorruptManifestOnMutatedEncodings()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++)
        {
            final Manifest manifest = randomManifest(random);
            final int length = ManifestCodec.encodedLength(manifest);
            final int offset = random.nextInt(16);
            final int newLength = mutatedLength(length, random);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + Math.max(length, newLength)]);
            fillRandom(buffer, random);
            ManifestCodec.encode(manifest, buffer, offset);
            mutate(buffer, offset, newLength, random);

            assertDecodesOrRefuses(buffer, offset, newLength, seed(i));
        }
    }

    @Test
    void shouldOnlyDecodeOrThrowCorruptManifestOnGarbage()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++)
        {
            final int length = random.nextInt(random.nextBoolean() ? 128 : 4096);
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
            fillRandom(buffer, random);
            if (length >= HEADER_LENGTH && random.nextBoolean())
            {
                buffer.putInt(MAGIC_OFFSET, MAGIC, LE);
                buffer.putByte(FORMAT_VERSION_OFFSET, (byte)CURRENT_VERSION);
                buffer.putByte(FLAGS_OFFSET, (byte)random.nextInt(2));
                buffer.putShort(NAME_LENGTH_OFFSET, (short)random.nextInt(1, 40), LE);
                buffer.putInt(CHUNK_COUNT_OFFSET, random.nextInt(100), LE);
            }

            assertDecodesOrRefuses(buffer, 0, length, seed(i));
        }
    }

    private static void assertDecodesOrRefuses(
        final UnsafeBuffer buffer, final int offset, final int length, final String seed)
    {
        final Manifest decoded;
        try
        {
            decoded = ManifestCodec.decode(buffer, offset, length);
        }
        catch (final CorruptManifestException ex)
        {
            return;
        }
        catch (final Throwable ex)
        {
            fail(seed + ": decode threw " + ex + " on " + hex(buffer, offset, length), ex);
            return;
        }

        // Whatever decodes is a valid manifest whose canonical encoding is the very same bytes.
        final UnsafeBuffer reencoded = encode(decoded);
        assertThat(hex(reencoded, 0, reencoded.capacity())).as(seed).isEqualTo(hex(buffer, offset, length));
        try
        {
            assertDecoderShows(new ManifestDecoder().wrap(buffer, offset, length), decoded, seed);
        }
        catch (final CorruptManifestException ex)
        {
            fail(seed + ": decode accepted what wrap refused: " + ex.getMessage());
        }
    }

    private static int mutatedLength(final int length, final SplittableRandom random)
    {
        switch (random.nextInt(4))
        {
            case 0:
                return random.nextInt(length + 1);
            case 1:
                return length + random.nextInt(1, 64);
            default:
                return length;
        }
    }

    private static void mutate(
        final UnsafeBuffer buffer, final int offset, final int length, final SplittableRandom random)
    {
        if (length == 0)
        {
            return;
        }
        final int mutations = random.nextInt(4);
        for (int m = 0; m < mutations; m++)
        {
            switch (random.nextInt(4))
            {
                case 0:
                {
                    final int index = offset + random.nextInt(length);
                    buffer.putByte(index, (byte)(buffer.getByte(index) ^ (1 << random.nextInt(8))));
                    break;
                }
                case 1:
                    buffer.putByte(offset + random.nextInt(length), (byte)random.nextInt(256));
                    break;
                case 2:
                {
                    final int[] fields = {NAME_LENGTH_OFFSET, CHUNK_COUNT_OFFSET, SIZE_OFFSET, FLAGS_OFFSET};
                    final int field = offset + fields[random.nextInt(fields.length)];
                    if (field + 4 <= offset + length)
                    {
                        buffer.putInt(field, interestingInt(random), LE);
                    }
                    break;
                }
                default:
                    break;
            }
        }
    }

    private static int interestingInt(final SplittableRandom random)
    {
        final int[] values = {0, 1, -1, 1024, 1025, MAX_CHUNKS, MAX_CHUNKS + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        return random.nextBoolean() ? values[random.nextInt(values.length)] : random.nextInt();
    }

    private static boolean acceptsAsFileName(final byte[] name)
    {
        final String decoded = new String(name, StandardCharsets.UTF_8);
        try
        {
            return Arrays.equals(FileName.validate(decoded), name);
        }
        catch (final InvalidNameException ex)
        {
            return false;
        }
    }

    private static UnsafeBuffer roundTrip(final Manifest manifest) throws CorruptManifestException
    {
        final UnsafeBuffer buffer = encode(manifest);
        assertSameManifest(decode(buffer), manifest, manifest.name());
        assertDecoderShows(new ManifestDecoder().wrap(buffer, 0, buffer.capacity()), manifest, manifest.name());
        return buffer;
    }

    private static Manifest decode(final UnsafeBuffer buffer) throws CorruptManifestException
    {
        return ManifestCodec.decode(buffer, 0, buffer.capacity());
    }

    private static UnsafeBuffer encode(final Manifest manifest)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ManifestCodec.encodedLength(manifest)]);
        assertThat(ManifestCodec.encode(manifest, buffer, 0)).isEqualTo(buffer.capacity());
        return buffer;
    }

    /** A valid encoding of a three-chunk manifest named "valid/name". */
    private static UnsafeBuffer validEncoding()
    {
        return encode(manifest("valid/name", new int[]{ 100, 200, 300 }, new SplittableRandom(9)));
    }

    /** A valid three-chunk encoding except that its name is the given bytes. */
    private static UnsafeBuffer withNameBytes(final byte[] name)
    {
        final int[] lengths = {1, 2, 3};
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ManifestDescriptor.encodedLength(name.length, 3)]);
        final UnsafeBuffer template = encode(manifest("n", lengths, new SplittableRandom(10)));
        buffer.putBytes(0, template, 0, HEADER_LENGTH);
        buffer.putShort(NAME_LENGTH_OFFSET, (short)name.length, LE);
        buffer.putBytes(HEADER_LENGTH, name);
        buffer.putBytes(
            entryOffset(name.length, 0), template, entryOffset(1, 0), lengths.length * ENTRY_LENGTH);
        return buffer;
    }

    private static void assertCorrupt(final UnsafeBuffer buffer, final String message)
    {
        assertThatThrownBy(() -> ManifestCodec.decode(buffer, 0, buffer.capacity()))
            .isInstanceOf(CorruptManifestException.class)
            .hasMessageContaining(message);
        assertThatThrownBy(() -> new ManifestDecoder().wrap(buffer, 0, buffer.capacity()))
            .isInstanceOf(CorruptManifestException.class)
            .hasMessageContaining(message);
    }

    private static void assertEncodeRefused(final Manifest manifest, final String message)
    {
        final MutableDirectBuffer buffer = new UnsafeBuffer(new byte[4096]);
        assertThatThrownBy(() -> ManifestCodec.encode(manifest, buffer, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message);
    }

    private static void assertSameManifest(final Manifest actual, final Manifest expected, final String description)
    {
        assertThat(actual.name()).as(description).isEqualTo(expected.name());
        assertThat(actual.size()).as(description).isEqualTo(expected.size());
        assertThat(actual.sha256()).as(description).isEqualTo(expected.sha256());
        assertThat(actual.version()).as(description).isEqualTo(expected.version());
        assertThat(actual.isTombstone()).as(description).isEqualTo(expected.isTombstone());
        assertThat(actual.chunkCount()).as(description).isEqualTo(expected.chunkCount());
        for (int i = 0; i < expected.chunkCount(); i++)
        {
            assertThat(actual.chunkId(i)).as("%s chunk %d", description, i).isEqualTo(expected.chunkId(i));
            assertThat(actual.chunkLength(i)).as("%s chunk %d", description, i).isEqualTo(expected.chunkLength(i));
        }
    }

    private static void assertDecoderShows(
        final ManifestDecoder decoder, final Manifest expected, final String description)
    {
        assertThat(decoder.name()).as(description).isEqualTo(expected.name());
        assertThat(decoder.nameLength()).as(description)
            .isEqualTo(expected.name().getBytes(StandardCharsets.UTF_8).length);
        assertThat(decoder.size()).as(description).isEqualTo(expected.size());
        assertThat(decoder.version()).as(description).isEqualTo(expected.version());
        assertThat(decoder.isTombstone()).as(description).isEqualTo(expected.isTombstone());
        final byte[] sha = new byte[SHA256_LENGTH + 1];
        decoder.getSha256(sha, 1);
        assertThat(Arrays.copyOfRange(sha, 1, sha.length)).as(description).isEqualTo(expected.sha256());
        assertThat(decoder.chunkCount()).as(description).isEqualTo(expected.chunkCount());
        for (int i = 0; i < expected.chunkCount(); i++)
        {
            assertThat(decoder.chunkId(i)).as("%s chunk %d", description, i).isEqualTo(expected.chunkId(i));
            assertThat(decoder.chunkLength(i)).as("%s chunk %d", description, i).isEqualTo(expected.chunkLength(i));
        }
    }

    private static Manifest randomManifest(final SplittableRandom random)
    {
        final String name = randomName(random);
        final Version version = new Version(random.nextLong(), random.nextInt());
        if (random.nextInt(10) == 0)
        {
            return Manifest.tombstone(name, version);
        }
        final int chunkCount = random.nextInt(20) == 0 ? random.nextInt(3000) : random.nextInt(8);
        final int[] lengths = new int[chunkCount];
        for (int i = 0; i < chunkCount; i++)
        {
            lengths[i] = random.nextBoolean() ? 1 + random.nextInt(1 << 20) : 1 + random.nextInt(Integer.MAX_VALUE);
        }
        return manifest(name, lengths, random, version);
    }

    private static String randomName(final SplittableRandom random)
    {
        final int[] codePoints = {'a', 'Z', '0', '/', '.', '-', ' ', 0xE9, 0x3B1, 0x8A9E, 0xFFFD, 0x1F600, 0x10FFFF};
        while (true)
        {
            final int limit = random.nextInt(10) == 0 ? MAX_NAME_BYTES : 1 + random.nextInt(64);
            final StringBuilder name = new StringBuilder();
            int bytes = 0;
            while (true)
            {
                final int codePoint = codePoints[random.nextInt(codePoints.length)];
                final int length = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
                if (bytes + length > limit)
                {
                    break;
                }
                name.appendCodePoint(codePoint);
                bytes += length;
            }
            try
            {
                FileName.validate(name.toString());
                return name.toString();
            }
            catch (final InvalidNameException ex)
            {
                // "", ".", ".." or a dot segment: try again.
            }
        }
    }

    /** A manifest with the given chunk lengths, random ids and digest (or zero ones if random is null). */
    private static Manifest manifest(final String name, final int[] lengths, final SplittableRandom random)
    {
        return manifest(name, lengths, random, VERSION);
    }

    private static Manifest manifest(
        final String name, final int[] lengths, final SplittableRandom random, final Version version)
    {
        final int[] positive = lengths.clone();
        long size = 0;
        final ChunkId[] ids = new ChunkId[lengths.length];
        for (int i = 0; i < lengths.length; i++)
        {
            positive[i] = lengths[i] == 0 ? 1 : lengths[i];
            size += positive[i];
            ids[i] = random == null ? ChunkId.of(new byte[32]) : randomChunkId(random);
        }
        final byte[] sha = new byte[32];
        if (random != null)
        {
            random.nextBytes(sha);
        }
        return new Manifest(name, size, sha, ids, positive, version, false);
    }

    private static ChunkId randomChunkId(final SplittableRandom random)
    {
        final byte[] digest = new byte[32];
        random.nextBytes(digest);
        return ChunkId.of(digest);
    }

    private static void fillRandom(final UnsafeBuffer buffer, final SplittableRandom random)
    {
        final byte[] bytes = new byte[buffer.capacity()];
        random.nextBytes(bytes);
        buffer.putBytes(0, bytes);
    }

    private static String hex(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String seed(final int iteration)
    {
        return "seed=" + SEED + " (replay with -Drfs.test.seed=" + SEED + ") iteration=" + iteration;
    }
}
