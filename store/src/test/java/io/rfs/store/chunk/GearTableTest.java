package io.rfs.store.chunk;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class GearTableTest
{
    /**
     * Changing the table changes every content-defined chunk boundary, so stored files would stop deduplicating.
     * This digest must never change.
     */
    @Test
    void shouldNeverChange() throws Exception
    {
        final ByteBuffer bytes = ByteBuffer.allocate(GearTable.LENGTH * Long.BYTES);
        for (final long value : GearTable.newTable())
        {
            bytes.putLong(value);
        }

        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.array())))
            .isEqualTo("038ea1558a722111d2899eef023f864fd8636742dfe5d6091be307af9bd3fe32");
    }

    @Test
    void shouldBeSplitMix64FromSeed()
    {
        assertThat(GearTable.mix(0x9E37_79B9_7F4A_7C15L)).as("first SplitMix64 output from seed 0")
            .isEqualTo(0xE220_A839_7B1D_CDAFL);
        assertThat(GearTable.SEED).isEqualTo(ByteBuffer.wrap("rfs-gear".getBytes()).getLong());
        assertThat(GearTable.newTable()[0]).isEqualTo(GearTable.mix(GearTable.SEED + 0x9E37_79B9_7F4A_7C15L));
    }

    @Test
    void shouldHaveDistinctWellMixedEntries()
    {
        final long[] table = GearTable.newTable();
        assertThat(Arrays.stream(table).distinct().count()).isEqualTo(GearTable.LENGTH);
        final long ones = Arrays.stream(table).map(Long::bitCount).sum();
        assertThat(ones).isBetween(256L * 32 - 400, 256L * 32 + 400);
    }
}
