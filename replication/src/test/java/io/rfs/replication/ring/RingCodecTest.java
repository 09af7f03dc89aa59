package io.rfs.replication.ring;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static io.rfs.replication.ring.RingDescriptor.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class RingCodecTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());

    /** Two nodes, vnodes=2: the example in docs/FORMATS.md. */
    private static final String DOCUMENTED = String.join("",
        "52465347", "01", "03", "0000", "0700000000000000", "0200", "0000", "02000000", "03000000", "00000000",
        "01000000", "6400", "0d", "01", "02000000", "00000000",
        "31302e302e302e313a37303030", "61", "0000",
        "0000000000000040", "00000000000000c0",
        "02000000", "3200", "0d", "01", "01000000", "00000000",
        "31302e302e302e323a37303030", "62", "0000",
        "0000000000000080");

    @Test
    void shouldRoundTripTheEmptyRing() throws Exception
    {
        final Ring ring = Ring.empty(5, 128);

        final byte[] bytes = RingCodec.encode(ring);

        assertThat(bytes).hasSize(HEADER_LENGTH);
        assertThat(RingCodec.decode(bytes)).isEqualTo(ring);
    }

    @Test
    void shouldRoundTripRingsWithZonesAndWeights() throws Exception
    {
        final Ring ring = Ring.empty(3, 32).withNode(Rings.node(3, 100, "rack-a")).withNode(Rings.node(9, 250, "b"))
            .withNode(Rings.node(11, 40, "rack-a")).withNode(Rings.node(20, 100, "c.1")).withoutNode(9);

        final Ring decoded = RingCodec.decode(RingCodec.encode(ring));

        assertThat(decoded).isEqualTo(ring);
        assertThat(decoded.nodes()).isEqualTo(ring.nodes());
        assertThat(decoded.fingerprint()).isEqualTo(ring.fingerprint());
        final int[] a = new int[3];
        final int[] b = new int[3];
        for (int i = 0; i < ring.tokenCount(); i++)
        {
            assertThat(decoded.replicasAt(i, a)).isEqualTo(ring.replicasAt(i, b));
            assertThat(a).isEqualTo(b);
        }
    }

    @Test
    void shouldRoundTripRandomRings() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 20; iteration++)
        {
            Ring ring = Ring.empty(1 + random.nextInt(5), 1 + random.nextInt(24));
            final int[] nextId = { random.nextInt(1000) };
            final int changes = random.nextInt(12);
            for (int i = 0; i < changes; i++)
            {
                ring = Rings.randomChange(ring, random, random.nextInt(4), nextId);
            }
            final byte[] bytes = RingCodec.encode(ring);

            assertThat(bytes.length).as(context(iteration)).isEqualTo(RingCodec.encodedLength(ring));
            assertThat(RingCodec.decode(bytes)).as(context(iteration)).isEqualTo(ring);
            assertThat(RingCodec.ringVersion(new UnsafeBuffer(bytes), 0, bytes.length)).isEqualTo(ring.version());
        }
    }

    @Test
    void shouldMatchTheDocumentedLayout() throws Exception
    {
        final RingNode a = new RingNode(1, "10.0.0.1:7000", 100, "a");
        final RingNode b = new RingNode(2, "10.0.0.2:7000", 50, "b");
        final Ring ring = new Ring(7, 3, 2, new RingNode[]{ a, b },
            new long[]{ 0x4000_0000_0000_0000L, 0x8000_0000_0000_0000L, 0xC000_0000_0000_0000L },
            new int[]{ 0, 1, 0 });

        final byte[] bytes = RingCodec.encode(ring);

        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(DOCUMENTED);
        assertThat(RingCodec.decode(bytes)).isEqualTo(ring);
    }

    @Test
    void shouldWriteOnlyWithinTheEncodedRangeAndIntoExpandableBuffers() throws Exception
    {
        final Ring ring = Rings.equalNodes(4, 8, 3, 2);
        final int length = RingCodec.encodedLength(ring);
        final byte[] bytes = new byte[length + 64];
        Arrays.fill(bytes, (byte)0x5A);

        assertThat(RingCodec.encode(ring, new UnsafeBuffer(bytes), 32)).isEqualTo(length);

        for (int i = 0; i < 32; i++)
        {
            assertThat(bytes[i]).isEqualTo((byte)0x5A);
            assertThat(bytes[32 + length + i]).isEqualTo((byte)0x5A);
        }
        assertThat(RingCodec.decode(new UnsafeBuffer(bytes), 32, length)).isEqualTo(ring);
        final ExpandableArrayBuffer expandable = new ExpandableArrayBuffer(8);
        assertThat(RingCodec.encode(ring, expandable, 3)).isEqualTo(length);
        assertThat(RingCodec.decode(expandable, 3, length)).isEqualTo(ring);
    }

    @Test
    void shouldRejectBadMagic()
    {
        final byte[] bytes = documented();
        bytes[0] = 'X';

        assertCorrupt(bytes, "magic=0x47534658");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 2, 255 })
    void shouldRejectUnknownFormatVersion(final int formatVersion)
    {
        final byte[] bytes = documented();
        bytes[FORMAT_VERSION_OFFSET] = (byte)formatVersion;

        assertCorrupt(bytes, "formatVersion=" + formatVersion);
        assertCorrupt(Arrays.copyOf(bytes, PREAMBLE_LENGTH), "formatVersion=" + formatVersion);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 16, 255 })
    void shouldRejectReplicationFactorOutOfRange(final int replicationFactor)
    {
        final byte[] bytes = documented();
        bytes[REPLICATION_FACTOR_OFFSET] = (byte)replicationFactor;

        assertCorrupt(bytes, "replicationFactor=" + replicationFactor);
    }

    @Test
    void shouldRejectVnodesOutOfRange()
    {
        final byte[] bytes = documented();
        buffer(bytes).putShort(VNODES_OFFSET, (short)0, BYTE_ORDER);
        assertCorrupt(bytes, "vnodes=0");
        buffer(bytes).putShort(VNODES_OFFSET, (short)4097, BYTE_ORDER);
        assertCorrupt(bytes, "vnodes=4097");
    }

    @Test
    void shouldRejectNonZeroReservedFields()
    {
        for (final int offset : new int[]{ RESERVED1_OFFSET, RESERVED1_OFFSET + 1, RESERVED2_OFFSET,
            RESERVED3_OFFSET, HEADER_LENGTH + NODE_RESERVED_OFFSET })
        {
            final byte[] bytes = documented();
            bytes[offset] = 1;
            assertCorrupt(bytes, "reserved");
        }
    }

    @Test
    void shouldRejectCountsOutOfRangeBeforeAllocating()
    {
        final byte[] bytes = documented();
        buffer(bytes).putInt(NODE_COUNT_OFFSET, -1, BYTE_ORDER);
        assertCorrupt(bytes, "nodeCount=-1");

        buffer(bytes).putInt(NODE_COUNT_OFFSET, 2, BYTE_ORDER);
        buffer(bytes).putInt(TOKEN_COUNT_OFFSET, Ring.MAX_TOKENS + 1, BYTE_ORDER);
        assertCorrupt(bytes, "tokenCount=" + (Ring.MAX_TOKENS + 1));

        buffer(bytes).putInt(TOKEN_COUNT_OFFSET, 1, BYTE_ORDER);
        assertCorrupt(bytes, "tokenCount=1 is outside 2..");

        buffer(bytes).putInt(TOKEN_COUNT_OFFSET, Ring.MAX_TOKENS, BYTE_ORDER);
        assertCorrupt(bytes, "truncated: length=" + bytes.length + " but nodeCount=2 and tokenCount=" +
            Ring.MAX_TOKENS);
    }

    @Test
    void shouldRejectVersionZeroWithNodes()
    {
        final byte[] bytes = documented();
        buffer(bytes).putLong(RING_VERSION_OFFSET, 0, BYTE_ORDER);
        assertCorrupt(bytes, "ringVersion=0 with nodeCount=2");
        buffer(bytes).putLong(RING_VERSION_OFFSET, -5, BYTE_ORDER);
        assertCorrupt(bytes, "ringVersion=-5");
    }

    @Test
    void shouldRejectEveryTruncationAndTrailingBytes()
    {
        final byte[] bytes = documented();
        for (int length = 0; length < bytes.length; length++)
        {
            final byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> RingCodec.decode(truncated))
                .isInstanceOf(CorruptRingException.class).hasMessageStartingWith("corrupt ring: ");
        }
        assertCorrupt(Arrays.copyOf(bytes, bytes.length + 8), "trailing bytes");
    }

    @Test
    void shouldRejectNodeIdsOutOfOrder()
    {
        final byte[] bytes = documented();
        buffer(bytes).putInt(secondEntry(bytes) + NODE_ID_OFFSET, 1, BYTE_ORDER);

        assertCorrupt(bytes, "node[1].id=1 must be 0 or more and above the previous id 1");
    }

    @Test
    void shouldRejectWeightThatDoesNotMatchTheTokenCount()
    {
        final byte[] bytes = documented();
        buffer(bytes).putShort(HEADER_LENGTH + NODE_WEIGHT_OFFSET, (short)300, BYTE_ORDER);
        assertCorrupt(bytes, "node[0].tokenCount=2 but its weight and the ring's vnodes give 6");

        buffer(bytes).putShort(HEADER_LENGTH + NODE_WEIGHT_OFFSET, (short)0, BYTE_ORDER);
        assertCorrupt(bytes, "node[0].weight=0");
    }

    @Test
    void shouldRejectTokensOutOfOrderOrShared()
    {
        final byte[] bytes = documented();
        final int tokens = HEADER_LENGTH + tokensOffset(13, 1);
        final long first = buffer(bytes).getLong(tokens, BYTE_ORDER);
        final long second = buffer(bytes).getLong(tokens + 8, BYTE_ORDER);
        buffer(bytes).putLong(tokens, second, BYTE_ORDER);
        buffer(bytes).putLong(tokens + 8, first, BYTE_ORDER);
        assertCorrupt(bytes, "node[0].token[1]=0x4000000000000000 is not above the previous token " +
            "0xc000000000000000");

        final byte[] shared = documented();
        buffer(shared).putLong(secondEntry(shared) + tokensOffset(13, 1), first, BYTE_ORDER);
        assertCorrupt(shared, "token 0x4000000000000000 is owned by both node 1 and node 2");
    }

    @Test
    void shouldRejectBadAddressZoneAndPadding()
    {
        final byte[] noPort = documented();
        noPort[HEADER_LENGTH + NODE_HEADER_LENGTH + 8] = 'x';
        assertCorrupt(noPort, "node[0].address=10.0.0.1x7000 is not host:port");

        final byte[] control = documented();
        control[HEADER_LENGTH + NODE_HEADER_LENGTH] = 0x07;
        assertCorrupt(control, "node[0].address is not printable ASCII");

        final byte[] zone = documented();
        zone[HEADER_LENGTH + NODE_HEADER_LENGTH + 13] = '/';
        assertCorrupt(zone, "node[0].zone has a character outside [A-Za-z0-9._-]");

        final byte[] zoneLength = documented();
        zoneLength[HEADER_LENGTH + NODE_ZONE_LENGTH_OFFSET] = 0;
        assertCorrupt(zoneLength, "node[0].zoneLength=0");

        final byte[] padding = documented();
        padding[HEADER_LENGTH + NODE_HEADER_LENGTH + 14] = 1;
        assertCorrupt(padding, "node[0].padding[0]=0x1, must be zero");
    }

    @Test
    void shouldOnlyDecodeOrThrowCorruptRingOnMutatedEncodings()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[][] originals = { documented(), RingCodec.encode(Rings.equalNodes(5, 4, 3, 3)),
            RingCodec.encode(Ring.empty()) };
        int decoded = 0;
        for (int iteration = 0; iteration < 20_000; iteration++)
        {
            final byte[] original = originals[random.nextInt(originals.length)];
            byte[] bytes = original.clone();
            final int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++)
            {
                final int index = random.nextInt(bytes.length);
                bytes[index] = random.nextBoolean() ?
                    (byte)random.nextInt(256) : (byte)(bytes[index] ^ 1 << random.nextInt(8));
            }
            if (random.nextInt(4) == 0)
            {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 16));
            }
            try
            {
                final Ring ring = RingCodec.decode(bytes);
                decoded++;
                assertThat(RingCodec.encode(ring)).as(context(iteration) + " canonical").isEqualTo(bytes);
            }
            catch (final CorruptRingException expected)
            {
                assertThat(expected.getMessage()).startsWith("corrupt ring: ");
            }
            catch (final RuntimeException ex)
            {
                fail(context(iteration) + " bytes " + HexFormat.of().formatHex(bytes), ex);
            }
        }
        assertThat(decoded).as("some mutations are valid rings (a changed token)").isPositive();
    }

    @Test
    void shouldOnlyDecodeOrThrowCorruptRingOnGarbage()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int iteration = 0; iteration < 5_000; iteration++)
        {
            final byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            if (bytes.length >= 8 && random.nextBoolean())
            {
                System.arraycopy(documented(), 0, bytes, 0, Math.min(bytes.length, HEADER_LENGTH));
            }
            try
            {
                RingCodec.decode(bytes);
            }
            catch (final CorruptRingException expected)
            {
                assertThat(expected.getMessage()).startsWith("corrupt ring: ");
            }
            catch (final RuntimeException ex)
            {
                fail(context(iteration) + " bytes " + HexFormat.of().formatHex(bytes), ex);
            }
        }
    }

    @Test
    void shouldRefuseRangeOutsideTheBuffer()
    {
        assertThatThrownBy(() -> RingCodec.decode(new UnsafeBuffer(new byte[40]), 16, 32))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] documented()
    {
        return HexFormat.of().parseHex(DOCUMENTED);
    }

    private static UnsafeBuffer buffer(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes);
    }

    private static int secondEntry(final byte[] bytes)
    {
        return HEADER_LENGTH + (int)nodeEntryLength(13, 1, 2);
    }

    private static void assertCorrupt(final byte[] bytes, final String message)
    {
        assertThatThrownBy(() -> RingCodec.decode(bytes))
            .isInstanceOf(CorruptRingException.class)
            .hasMessageContaining(message);
    }

    private static String context(final int iteration)
    {
        return "seed=" + SEED + " (replay with -Drfs.test.seed=" + SEED + ") iteration=" + iteration;
    }
}
