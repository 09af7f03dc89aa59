package io.rfs.replication.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds random and mutated bodies to every decoder: each must either accept (and then read only within the body)
 * or throw {@link MalformedMessageException}, and never allocate in proportion to a length it was told.
 */
class MessageDecoderFuzzTest
{
    /** Run with {@code -Drfs.test.seed=N} to replay a failure; every message names the seed it used. */
    private static final long SEED = Long.getLong("rfs.test.seed", ThreadLocalRandom.current().nextLong());
    private static final int ITERATIONS = 60_000;
    private static final int WARM_UP = 5_000;
    private static final long ALLOCATION_LIMIT = 64 * 1024;
    private static final int[] NASTY = {
        0, 1, -1, 7, 8, 31, 32, 33, 255, 256, 4095, 4096, 4097, 65535, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE - 7, 1 << 30,
    };

    @Test
    void shouldOnlyAcceptOrRefuseMutatedBodies()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final SplittableRandom random = new SplittableRandom(SEED);
        final AllDecoders decoders = new AllDecoders();
        final UnsafeBuffer scratch = new UnsafeBuffer(new byte[1 << 20]);
        int accepted = 0;
        int refused = 0;
        int overAllocations = 0;
        String lastOverAllocation = "none";
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int type = RandomMessages.TYPES[random.nextInt(RandomMessages.TYPES.length)];
            final int length = mutate(random, scratch, RandomMessages.encode(type, random, scratch, 0));
            final int offset = random.nextInt(16);
            final byte[] bytes = new byte[offset + length];
            scratch.getBytes(0, bytes, offset, length);
            final UnsafeBuffer body = new UnsafeBuffer(bytes);
            final int decodeAs = random.nextInt(4) == 0 ?
                RandomMessages.TYPES[random.nextInt(RandomMessages.TYPES.length)] : type;

            final long before = threads.getCurrentThreadAllocatedBytes();
            try
            {
                decoders.decode(decodeAs, body, offset, length);
                accepted++;
            }
            catch (final MalformedMessageException ex)
            {
                assertThat(ex.getMessage()).startsWith("malformed " + MessageTypes.name(decodeAs) + ": ");
                refused++;
            }
            catch (final RuntimeException | Error ex)
            {
                fail("seed=" + SEED + " iteration=" + i + ": decoding a " + MessageTypes.name(type) + " body as " +
                    MessageTypes.name(decodeAs) + " threw " + ex, ex);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (i > WARM_UP && allocated > ALLOCATION_LIMIT + 4L * length)
            {
                // A decoder that trusted a hostile length would allocate on every such input; a JIT recompilation
                // or a GC-time TLAB refill can make one call look expensive. So outliers are counted, not fatal.
                overAllocations++;
                lastOverAllocation = "iteration=" + i + " decoding " + MessageTypes.name(decodeAs) + " allocated " +
                    allocated + " bytes for a body of " + length;
            }
        }
        assertThat(overAllocations).as("seed=" + SEED + ", last: " + lastOverAllocation)
            .isLessThanOrEqualTo((ITERATIONS - WARM_UP) / 1000);
        assertThat(accepted).as("seed=" + SEED).isPositive();
        assertThat(refused).as("seed=" + SEED).isPositive();
    }

    private static int mutate(final SplittableRandom random, final UnsafeBuffer body, final int length)
    {
        switch (random.nextInt(6))
        {
            case 0:
                for (int i = 0, n = 1 + random.nextInt(8); i < n && length > 0; i++)
                {
                    body.putByte(random.nextInt(length), (byte)random.nextInt());
                }
                return length;
            case 1:
                if (length >= 4)
                {
                    final int at = random.nextBoolean() ? random.nextInt(Math.min(length, 64) - 3) & ~1 :
                        random.nextInt(length - 3);
                    final int value = NASTY[random.nextInt(NASTY.length)];
                    if (random.nextBoolean())
                    {
                        body.putInt(at, value, BodyDescriptor.BYTE_ORDER);
                    }
                    else
                    {
                        body.putShort(at, (short)value, BodyDescriptor.BYTE_ORDER);
                    }
                }
                return length;
            case 2:
                return random.nextInt(length + 1);
            case 3:
            {
                final int extra = random.nextInt(64);
                for (int i = 0; i < extra; i++)
                {
                    body.putByte(length + i, (byte)random.nextInt());
                }
                return length + extra;
            }
            case 4:
            {
                final int randomLength = random.nextInt(512);
                for (int i = 0; i < randomLength; i++)
                {
                    body.putByte(i, (byte)random.nextInt());
                }
                return randomLength;
            }
            default:
                return length;
        }
    }
}
